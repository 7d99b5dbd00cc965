#!/usr/bin/env bash
# Provision and terminate COUNT instances against moto, CONCURRENCY at a time, with the EC2
# driver (release build) and with boto3; RUNS runs each, taking turns at going first (moto slows
# as its state grows, and is reset before each). Reports medians, the ratio
# and API calls per instance (counted by the moto proxy of scripts/moto-faults.py).
#
#   Benchmarks/ec2.sh [COUNT] [CONCURRENCY] [RUNS]     (default 100 10 3)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100}"; concurrency="${2:-10}"; runs="${3:-3}"

swift build -c release --product EC2Bench >/tmp/blueprint-bench-build.log 2>&1 || { cat /tmp/blueprint-bench-build.log; exit 1; }
work="$(mktemp -d)"
export BLUEPRINT_TEST_STATE="$work/services"
trap 'scripts/test-services stop; rm -rf "$work"' EXIT
service_env="$(scripts/test-services start moto)"
eval "$service_env"
proxy="$BLUEPRINT_TEST_MOTO_FAULTS_URL"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=benchsecret AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1

reset() { curl -fs -X POST "$BLUEPRINT_TEST_MOTO_URL/moto-api/reset" >/dev/null; curl -fs -X DELETE "$proxy/_faults" >/dev/null; }
calls() { curl -fs "$proxy/_faults" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["seen"]))'; }

run_driver() { reset; swift_times+=("$(BLUEPRINT_REMOTE_ENDPOINT_AWS="$proxy" .build/release/EC2Bench "$count" "$concurrency")"); swift_calls="$(calls)"; }
run_boto3() { reset; boto_times+=("$(python3 Benchmarks/ec2_boto3.py "$proxy" "$count" "$concurrency")"); boto_calls="$(calls)"; }
swift_times=(); boto_times=()
# moto's first requests after it starts are slow (it loads its AMI and instance type data): warm it.
reset; BLUEPRINT_REMOTE_ENDPOINT_AWS="$proxy" .build/release/EC2Bench 10 "$concurrency" >/dev/null
python3 Benchmarks/ec2_boto3.py "$proxy" 10 "$concurrency" >/dev/null
for run in $(seq "$runs"); do
  if (( run % 2 )); then run_driver; run_boto3; else run_boto3; run_driver; fi
  echo "run $run: driver ${swift_times[-1]} s ($swift_calls calls), boto3 ${boto_times[-1]} s ($boto_calls calls)"
done
python3 - "$count" "$swift_calls" "$boto_calls" "${swift_times[*]}" "${boto_times[*]}" <<'PY'
import statistics, sys
count, swift_calls, boto_calls = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
swift = statistics.median(map(float, sys.argv[4].split())); boto = statistics.median(map(float, sys.argv[5].split()))
print(f"EC2 driver: median {swift:.2f} s, {swift_calls / count:.2f} calls per instance")
print(f"boto3:      median {boto:.2f} s, {boto_calls / count:.2f} calls per instance")
print(f"boto3 / driver time: {boto / swift:.2f}x")
PY
