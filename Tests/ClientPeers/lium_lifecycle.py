"""Lium's own client (lium-io) against the Lium fake, unmodified but for LIUM_BASE_URL.

    LIUM_BASE_URL=http://127.0.0.1:P/api LIUM_API_KEY=K LIUM_SSH_KEY_PATH=~/.ssh/id_ed25519 HOME=scratch \
        python lium_lifecycle.py

Walks the lifecycle the driver relies on, the client's way: list executors, rent one with an image
and an idempotency key (one-time template, key registration, the rent), read the pod, wait until it
is ready, list pods, delete it; then the deleted pod is gone and its node listed again. Prints one
line per step; exits non-zero on the first that does not hold.
"""
import sys

from lium.sdk import Lium, LiumError, LiumNotFoundError


def step(name, ok, detail=""):
    print(f"{'ok' if ok else 'FAILED'}: {name} {detail}".rstrip(), flush=True)
    if not ok:
        sys.exit(1)


lium = Lium()
executors = lium.ls()
step("executors listed", len(executors) > 0, str(len(executors)))
h100 = sorted((e for e in executors if e.gpu_type == "H100" and e.gpu_count == 1), key=lambda e: e.price_per_hour)
step("an H100 node with its price", bool(h100) and h100[0].price_per_hour > 0, str([(e.id, e.price_per_hour) for e in h100]))
node = h100[0]

created = lium.up(executor_id=node.id, image="nginx:1.27", name="peer-pod", idempotency_key="peer-rent-0001")
pod_id = created["id"]
step("rented", bool(pod_id), pod_id)
raw = lium.pod(pod_id)
step("read back", raw.get("pod_name") == "peer-pod", str(raw.get("status")))
ready = lium.wait_ready(pod_id, timeout=60)
step("ready with SSH on a mapped port", ready is not None and ready.ssh_port != 22 and ready.host, f"{ready.username}@{ready.host}:{ready.ssh_port}")
pod = next(p for p in lium.ps() if p.id == pod_id)
step("listed with its ports", "22" in {str(k) for k in (pod.ports or {})}, str(pod.ports))
step("its node left the listing", all(e.id != node.id for e in lium.ls()))
lium.rm(pod)
step("deleted", all(p.id != pod_id for p in lium.ps()))
try:
    lium.pod(pod_id)
    step("a deleted pod is not found", False)
except LiumNotFoundError:
    step("a deleted pod is not found", True)
step("its node is listed again", any(e.id == node.id for e in lium.ls()))
