#!/usr/bin/env bash
# Start-up time of `blueprint-remote --help` (release build), median of N runs, against a peer
# CLI measured in the same run (the AWS CLI, a Python program, when installed).
#
#   Benchmarks/startup.sh [RUNS]      (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
swift build -c release --product blueprint-remote >/tmp/blueprint-bench-build.log 2>&1 || { cat /tmp/blueprint-bench-build.log; exit 1; }
bin=.build/release/blueprint-remote

python3 - "$runs" "$bin" <<'PY'
import shutil, statistics, subprocess, sys, time
runs, binary = int(sys.argv[1]), sys.argv[2]
commands = [("blueprint-remote --help", [binary, "--help"]),
            ("blueprint-remote version", [binary, "version"]),
            ("blueprint-remote providers --json", [binary, "providers", "--json"])]
if shutil.which("aws"):
    commands.append(("peer: aws --version", ["aws", "--version"]))
commands.append(("floor: /bin/true", ["/bin/true"]))
medians = {}
for name, argv in commands:
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the page cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append((time.perf_counter() - start) * 1000)
    medians[name] = statistics.median(samples)
    print(f"{name:40s} median {medians[name]:7.1f} ms  (min {min(samples):.1f}, max {max(samples):.1f}, n={runs})")
peer = next((v for k, v in medians.items() if k.startswith("peer")), None)
if peer:
    print(f"ratio peer / blueprint-remote --help: {peer / medians['blueprint-remote --help']:.1f}x")
PY
