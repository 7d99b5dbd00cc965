#!/usr/bin/env bash
# The optimizer over COUNT synthetic offers (three requests, RUNS runs each, medians) against the
# same requests in Python (standard library, and pandas as SkyPilot's catalog uses it); then the
# cold start of `blueprint-remote offers --cpus 2 --memory 4 --json` (release build, bundled
# snapshot, no cache) against a Python script doing the same over the same snapshot.
#
#   Benchmarks/optimizer.sh [COUNT] [RUNS]     (default 100000 21)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"; runs="${2:-21}"
log="$(mktemp)"
for product in OptimizerBench blueprint-remote; do
  swift build -c release --product "$product" >"$log" 2>&1 || { cat "$log"; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work" "$log"' EXIT

# pandas in a virtualenv of its own (from the package mirror), unless python3 already has it.
python=python3
if ! python3 -c 'import pandas' 2>/dev/null; then
  venv="${BLUEPRINT_BENCH_VENV:-$HOME/.cache/blueprint-remote-bench-venv}"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -c 'import pandas' 2>/dev/null || "$venv/bin/pip" install -q pandas >"$log" 2>&1 || true
  "$venv/bin/python" -c 'import pandas' 2>/dev/null && python="$venv/bin/python"
fi

echo "optimizer over $count offers, median of $runs runs (ms; fitting offers; cheapest \$/h; swift also the plan on top):"
.build/release/OptimizerBench "$count" "$runs" "$work/offers.csv" "$work/snapshot.csv" | sed 's/^/  swift   /'
python3 Benchmarks/optimizer_peer.py "$work/offers.csv" "$runs" | sed 's/^/  python  /'
if "$python" -c 'import pandas' 2>/dev/null; then
  "$python" Benchmarks/optimizer_peer.py "$work/offers.csv" "$runs" pandas | sed 's/^/  pandas  /'
else
  echo "  pandas  (not installed; skipped)"
fi

echo "offers --cpus 2 --memory 4 --json, cold start, median of $runs runs:"
BLUEPRINT_REMOTE_STATE="$work/state/state.sqlite" python3 - "$runs" "$work/snapshot.csv" <<'PY'
import statistics, subprocess, sys, time
runs, snapshot = int(sys.argv[1]), sys.argv[2]
def median(argv):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
tool = median([".build/release/blueprint-remote", "offers", "--cpus", "2", "--memory", "4", "--json"])
peer = median([sys.executable, "Benchmarks/offers_peer.py", snapshot])
print(f"  blueprint-remote offers  {tool:.1f} ms")
print(f"  python peer              {peer:.1f} ms   (peer / tool: {peer / tool:.2f}x)")
PY
