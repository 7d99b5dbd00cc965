#!/usr/bin/env bash
# gc and up against moto (behind the proxy of scripts/moto-faults.py, which also measures the
# time requests spend at moto: the provider's share), release build.
#
#  1. One gc reconcile of COUNT instances that carry this store's owner id and that the store does
#     not know (orphans: listed, recorded, claimed, terminated, verified), against the floor with
#     boto3 (list, terminate, describe until terminated), taking turns at going first; and a
#     --dry-run over the same COUNT (list and classify only).
#  2. The tool's own overhead per deployment: `up` of one replica (a native process with a command
#     health check on an sshd test host, reached through BLUEPRINT_REMOTE_SSH_ADDRESS_OVERRIDE),
#     wall time from process start to exit, minus the time its requests spent at moto; with one
#     bare OpenSSH connection's time beside it for scale. moto is reset before each up, so every
#     up also makes its key pair and security group.
# Medians of RUNS runs. Needs root (the sshd hosts live in network namespaces) and no other
# test-services running.
#
#   Benchmarks/gc.sh [COUNT] [RUNS]     (default 1000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"; runs="${2:-3}"
root="$(pwd)"

swift build -c release --product blueprint-remote >/var/tmp/blueprint-bench-build.log 2>&1 || { cat /var/tmp/blueprint-bench-build.log; exit 1; }
bin="$root/.build/release/blueprint-remote"
work="$(mktemp -d /var/tmp/blueprint-gc-bench.XXXXXX)"
export BLUEPRINT_TEST_STATE="$work/services" BLUEPRINT_TEST_SSH_HOST_COUNT=1
trap 'scripts/test-services stop >/dev/null 2>&1; rm -rf "$work"' EXIT
scripts/test-services install >/dev/null
eval "$(scripts/test-services start moto sshhosts)"
proxy="$BLUEPRINT_TEST_MOTO_FAULTS_URL"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=benchsecret AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export BLUEPRINT_REMOTE_ENDPOINT_AWS="$proxy" BLUEPRINT_REMOTE_STATE="$work/state.sqlite" XDG_STATE_HOME="$work/xdg" HOME="$work/home"
mkdir -p "$HOME" "$XDG_STATE_HOME/blueprint-remote/ssh"
# The controller key is the test hosts' key, so up reaches them.
install -m 600 "$BLUEPRINT_TEST_SSH_KEY" "$XDG_STATE_HOME/blueprint-remote/ssh/id_ed25519"
"$bin" gc --dry-run --region us-east-1 --json >/dev/null  # makes the store and its owner id
owner="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select value from meta where key = ?", ("owner_id",)).fetchone()[0])' "$BLUEPRINT_REMOTE_STATE")"

reset() { curl -fs -X POST "$BLUEPRINT_TEST_MOTO_URL/moto-api/reset" >/dev/null; curl -fs -X DELETE "$proxy/_faults" >/dev/null; }
upstream() { curl -fs "$proxy/_faults" | python3 -c 'import json,sys; print(json.load(sys.stdin)["upstream_seconds"])'; }
seed() { reset; python3 Benchmarks/gc_peer.py seed "$BLUEPRINT_TEST_MOTO_URL" "$owner" "$count"; curl -fs -X DELETE "$proxy/_faults" >/dev/null; }
now() { date +%s.%N; }

run_gc() {
  seed
  local start end
  start="$(now)"; "$bin" gc --stale-after 0s --region us-east-1 --json >"$work/gc.json"; end="$(now)"
  local done; done="$(python3 -c 'import json,sys; print(sum(1 for a in json.load(open(sys.argv[1]))["gc"]["actions"] if a["kind"] == "orphan" and a["done"]))' "$work/gc.json")"
  [ "$done" = "$count" ] || { echo "gc terminated $done of $count"; exit 1; }
  gc_times+=("$(python3 -c "print(round($end - $start, 3))")"); gc_upstream+=("$(upstream)")
}
run_peer() {
  seed
  local out; out="$(python3 Benchmarks/gc_peer.py reconcile "$proxy" "$owner")"
  [ "${out#* }" = "$count" ] || { echo "boto3 saw ${out#* } of $count"; exit 1; }
  peer_times+=("${out% *}")
}
run_dry() {
  seed
  local start end
  start="$(now)"; "$bin" gc --dry-run --region us-east-1 --json >/dev/null; end="$(now)"
  dry_times+=("$(python3 -c "print(round($end - $start, 3))")")
}
gc_times=(); gc_upstream=(); peer_times=(); dry_times=()
# moto's first requests after it starts are slow (it loads its AMI and instance type data): warm it.
seed; "$bin" gc --stale-after 0s --region us-east-1 --json >/dev/null
for run in $(seq "$runs"); do
  if (( run % 2 )); then run_gc; run_peer; else run_peer; run_gc; fi
  run_dry
  echo "run $run: gc ${gc_times[-1]} s (${gc_upstream[-1]} s at moto), boto3 floor ${peer_times[-1]} s, gc --dry-run ${dry_times[-1]} s"
done

# 2. up on moto, SSH to the test host.
host_user=bph1@10.200.0.11  # the first sshd test host (scripts/test-services)
export BLUEPRINT_REMOTE_SSH_ADDRESS_OVERRIDE="$host_user:22"
cat > "$work/service.yaml" <<YAML
name: overhead
command: [sh, -c, "trap 'exit 0' TERM; while :; do sleep 1; done"]
runtime: native
resources: {cpus: 1, memory_gb: 0.5}
providers: [aws]
regions: [us-east-1]
ttl: 1h
# A health check, as services have: without one, up watches the process for 2 s (a deliberate wait).
health: {command: ["true"], interval: 1s, timeout: 5s}
YAML
up_times=(); up_upstream=(); ssh_times=()
reset; "$bin" up "$work/service.yaml" --yes --json >/dev/null; "$bin" down overhead >/dev/null  # warm
for run in $(seq "$((runs * 2 + 1))"); do
  reset
  start="$(now)"; "$bin" up "$work/service.yaml" --yes --json >/dev/null; end="$(now)"
  up_times+=("$(python3 -c "print(round($end - $start, 3))")"); up_upstream+=("$(upstream)")
  "$bin" down overhead >/dev/null
  start="$(now)"
  ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i "$BLUEPRINT_TEST_SSH_KEY" -o UserKnownHostsFile="$BLUEPRINT_TEST_SSH_KNOWN_HOSTS" \
    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes "$host_user" true
  end="$(now)"; ssh_times+=("$(python3 -c "print(round($end - $start, 3))")")
done

python3 - "$count" "${gc_times[*]}" "${gc_upstream[*]}" "${peer_times[*]}" "${dry_times[*]}" "${up_times[*]}" "${up_upstream[*]}" "${ssh_times[*]}" <<'PY'
import statistics, sys
count = int(sys.argv[1])
gc, gc_up, peer, dry, up, up_up, ssh = (list(map(float, a.split())) for a in sys.argv[2:9])
m = statistics.median
print(f"gc reconcile of {count} orphans: median {m(gc):.2f} s ({m(gc_up):.2f} s of it at moto); boto3 floor {m(peer):.2f} s; gc / floor {m(gc) / m(peer):.2f}x")
print(f"gc --dry-run over {count}: median {m(dry):.2f} s")
overhead = [u - p for u, p in zip(up, up_up)]
print(f"up (1 replica, moto + ssh host): median {m(up):.2f} s, at moto {m(up_up):.2f} s, tool overhead {m(overhead):.2f} s; one bare ssh connection {m(ssh):.2f} s")
PY
