#!/usr/bin/env bash
# `blueprint-remote status` with 10,000 stored deployments, release build, on SQLite and on
# PostgreSQL; median of RUNS runs each, against the database's own client running the same list
# query in the same run (the floor).
#
#   Benchmarks/status.sh [COUNT] [RUNS]     (default 10000 and 15)
#
# PostgreSQL comes from scripts/test-services (started and stopped here).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
runs="${2:-15}"

build() { swift build -c release --product "$1" >/tmp/blueprint-bench-build.log 2>&1 || { cat /tmp/blueprint-bench-build.log; exit 1; }; }
build blueprint-remote
build StoreSeeder
bin=.build/release/blueprint-remote
work="$(mktemp -d)"
export BLUEPRINT_TEST_STATE="$work/services"
trap 'scripts/test-services stop; rm -rf "$work"' EXIT
service_env="$(scripts/test-services start postgres)"
eval "$service_env"

sqlite_path="$work/state.sqlite"
pg_url="${BLUEPRINT_TEST_POSTGRES_URL}"
BLUEPRINT_REMOTE_STATE="$sqlite_path" .build/release/StoreSeeder "$count"
BLUEPRINT_REMOTE_STATE="$pg_url" .build/release/StoreSeeder "$count"
pg_port="$(echo "$pg_url" | sed -E 's#.*:([0-9]+)/.*#\1#')"

python3 - "$runs" "$bin" "$sqlite_path" "$pg_url" "$pg_port" <<'PY'
import os, statistics, subprocess, sys, time
runs, binary, sqlite_path, pg_url, pg_port = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
query = "SELECT id, name, state, target, created_at, updated_at, expires_at, price_per_hour FROM deployments WHERE state <> 'terminated' ORDER BY created_at DESC"
cases = [
    ("sqlite: blueprint-remote status --json", [binary, "status", "--json"], {"BLUEPRINT_REMOTE_STATE": sqlite_path}),
    ("sqlite: blueprint-remote status", [binary, "status"], {"BLUEPRINT_REMOTE_STATE": sqlite_path}),
    ("sqlite: floor, sqlite3 CLI same query", ["sqlite3", sqlite_path, query], {}),
    ("postgres: blueprint-remote status --json", [binary, "status", "--json"], {"BLUEPRINT_REMOTE_STATE": pg_url}),
    ("postgres: floor, psql same query", ["psql", "-h", "127.0.0.1", "-p", pg_port, "-U", "blueprint", "-d", "blueprint", "-Atc", query], {}),
]
medians = {}
for name, argv, extra in cases:
    env = dict(os.environ, **extra)
    out = subprocess.run(argv, env=env, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"{name} failed: {out.stderr.decode()}")
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    medians[name] = statistics.median(samples)
    print(f"{name:45s} median {medians[name]:8.1f} ms  (min {min(samples):.1f}, max {max(samples):.1f}, n={runs})")
print(f"sqlite status --json / sqlite3: {medians['sqlite: blueprint-remote status --json'] / medians['sqlite: floor, sqlite3 CLI same query']:.1f}x")
print(f"postgres status --json / psql: {medians['postgres: blueprint-remote status --json'] / medians['postgres: floor, psql same query']:.1f}x")
PY
