#!/usr/bin/env bash
# Deploys the same container to HOSTS sshd hosts in network namespaces (rootless Podman on each),
# three ways, and times each until every host answers HTTP from here:
#   - blueprint-remote `up` (release build): replicas = HOSTS on the ssh provider;
#   - Ansible (ansible-core, forks = HOSTS, pipelining): the same runtime commands as tasks;
#   - plain OpenSSH, one ssh per host in parallel, and curl: the floor.
# Each way uploads the env file (0600), replaces the container, runs it, and waits for it to answer.
# RUNS runs each, taking turns at going first; the containers are removed between runs (untimed).
# Needs root (network namespaces) and no other test-services run (it makes its own hosts).
#
#   Benchmarks/deploy.sh [HOSTS] [RUNS]     (default 16 3)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-16}"; runs="${2:-3}"
root="$(pwd)"

swift build -c release --product blueprint-remote >/var/tmp/blueprint-bench-build.log 2>&1 || { cat /var/tmp/blueprint-bench-build.log; exit 1; }
bin="$root/.build/release/blueprint-remote"
python3 -c 'import ansible' 2>/dev/null || python3 -m pip install -q ansible-core
work="$(mktemp -d /var/tmp/blueprint-deploy-bench.XXXXXX)"
export BLUEPRINT_TEST_STATE="$work/services" BLUEPRINT_TEST_SSH_HOST_COUNT="$count"
trap 'scripts/test-services stop >/dev/null 2>&1; rm -rf "$work"' EXIT
scripts/test-services install
service_env="$(scripts/test-services start sshhosts containers)"
eval "$service_env"
key="$BLUEPRINT_TEST_SSH_KEY"; known="$BLUEPRINT_TEST_SSH_KNOWN_HOSTS"; image="$BLUEPRINT_TEST_IMAGE"
port=18300
server='trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait'
addresses=(); users=()
for i in $(seq "$count"); do addresses+=("10.200.0.$((10 + i))"); users+=("bph$i"); done

# The one service, for the tool.
cat > "$work/service.json" <<JSON
{"name": "bench", "image": "$image", "runtime": "podman", "replicas": $count, "ports": ["$port:8080"],
 "env": {"GREETING": "hello"}, "command": ["sh", "-c", $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$server")],
 "health": {"http": "/", "port": 8080, "interval": "1s", "timeout": "2s", "start_period": "60s", "retries": 3},
 "resources": {"cpus": 0.5, "memory_gb": 0.25}}
JSON
# The same commands for the others: env script in, old container out, new one run with its env.
printf 'export GREETING=hello\n' > "$work/env"
remote="umask 077 && mkdir -p .bench && cat > .bench/env && { podman rm -f -t 0 bench >/dev/null 2>&1 || true; } && . .bench/env && exec podman run --detach --name bench --restart unless-stopped --cpus 0.5 --memory 256m --pids-limit 4096 --publish $port:8080/tcp --env GREETING -- $image sh -c '$server'"
ssh_options=(-F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i "$key" -o UserKnownHostsFile="$known" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes)

# Ansible: an inventory of the same hosts, host keys checked against the same known_hosts.
{
  echo "[bench]"
  for i in $(seq 0 $((count - 1))); do echo "h$((i + 1)) ansible_host=${addresses[$i]} ansible_user=${users[$i]}"; done
  echo "[bench:vars]"
  echo "ansible_ssh_private_key_file=$key"
  echo "ansible_ssh_common_args='-F /dev/null -o UserKnownHostsFile=$known -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes'"
  echo "ansible_python_interpreter=/usr/bin/python3"
} > "$work/inventory"
cat > "$work/ansible.cfg" <<CFG
[defaults]
forks = $count
host_key_checking = True
gathering = explicit
stdout_callback = default
[ssh_connection]
pipelining = True
CFG
cat > "$work/playbook.yaml" <<YAML
- hosts: bench
  tasks:
    - file: {path: .bench, state: directory, mode: "0700"}
    - copy: {src: "$work/env", dest: .bench/env, mode: "0600"}
    - shell: >-
        { podman rm -f -t 0 bench >/dev/null 2>&1 || true; } && . .bench/env && exec podman run --detach --name bench
        --restart unless-stopped --cpus 0.5 --memory 256m --pids-limit 4096 --publish $port:8080/tcp --env GREETING -- $image sh -c '$server'
    - uri: {url: "http://{{ ansible_host }}:$port/"}
      delegate_to: localhost
      register: answer
      until: answer.status == 200
      retries: 300
      delay: 0.1
YAML

now() { date +%s.%N; }
clean() {  # untimed: every host's container and files gone
  for i in $(seq 0 $((count - 1))); do
    ssh "${ssh_options[@]}" "${users[$i]}@${addresses[$i]}" 'podman rm -f -t 0 bench >/dev/null 2>&1; podman rm -f -t 0 $(podman ps -aq) >/dev/null 2>&1; rm -rf .bench .blueprint-remote; true' &
  done
  wait
}
run_tool() {
  # A folder of its own: the store makes its folder owner-only, and the hosts read files under $work.
  local state="$work/state/$RANDOM.sqlite" started
  started="$(now)"
  BLUEPRINT_REMOTE_STATE="$state" "$bin" up "$work/service.json" --provider ssh --hosts "$BLUEPRINT_TEST_SSH_HOSTS" >/dev/null
  tool_times+=("$(python3 -c "print($(now) - $started)")")
  BLUEPRINT_REMOTE_STATE="$state" "$bin" down bench --hosts "$BLUEPRINT_TEST_SSH_HOSTS" >/dev/null
}
run_ansible() {
  local started; started="$(now)"
  ANSIBLE_CONFIG="$work/ansible.cfg" ansible-playbook -i "$work/inventory" "$work/playbook.yaml" >"$work/ansible.log" 2>&1 || { cat "$work/ansible.log"; exit 1; }
  ansible_times+=("$(python3 -c "print($(now) - $started)")")
}
run_openssh() {
  local started pids=() i; started="$(now)"
  for i in $(seq 0 $((count - 1))); do
    (
      ssh "${ssh_options[@]}" "${users[$i]}@${addresses[$i]}" "$remote" < "$work/env" >/dev/null
      for _ in $(seq 600); do curl -fs -o /dev/null --max-time 2 "http://${addresses[$i]}:$port/" && exit 0; sleep 0.1; done
      exit 1
    ) & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  openssh_times+=("$(python3 -c "print($(now) - $started)")")
}

tool_times=(); ansible_times=(); openssh_times=()
# Warm up: each image layer and podman's per-user state made once, outside the timing.
clean; run_openssh; openssh_times=(); clean
for run in $(seq "$runs"); do
  order=(run_tool run_ansible run_openssh)
  for _ in $(seq $(((run - 1) % 3))); do order=("${order[@]:1}" "${order[0]}"); done
  for step in "${order[@]}"; do "$step"; clean; done
  printf 'run %s: blueprint-remote %.2f s, ansible %.2f s, openssh %.2f s\n' "$run" "${tool_times[-1]}" "${ansible_times[-1]}" "${openssh_times[-1]}"
done
python3 - "$count" "${tool_times[*]}" "${ansible_times[*]}" "${openssh_times[*]}" <<'PY'
import statistics, sys
count = sys.argv[1]
tool, ansible, openssh = (statistics.median(map(float, a.split())) for a in sys.argv[2:5])
print(f"{count} hosts, medians: blueprint-remote {tool:.2f} s, ansible {ansible:.2f} s, plain openssh {openssh:.2f} s")
print(f"blueprint-remote / openssh: {tool / openssh:.2f}x   ansible / blueprint-remote: {ansible / tool:.2f}x")
PY
