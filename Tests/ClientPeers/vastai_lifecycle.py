"""Vast.ai's own CLI (vastai) against the Vast.ai fake, unmodified but for VAST_URL.

    HOME=scratch VAST_URL=http://127.0.0.1:P VAST_API_KEY=K VASTAI_NO_UPDATE_CHECK=1 python vastai_lifecycle.py PUBLIC_KEY

Walks the lifecycle the driver relies on, the CLI's way: search offers, register a key, rent an
offer with an image, env and ports, see it running with its SSH address, list instances, lose a
race for the same offer, destroy it. The CLI exits 0 even on errors (it says so on stderr), so every
step reads its output. Prints one line per step; exits non-zero on the first that does not hold.
"""
import json, os, subprocess, sys, time

VASTAI = os.path.join(os.path.dirname(sys.executable), "vastai")


def run(*args):
    done = subprocess.run([VASTAI, *args], capture_output=True, text=True, timeout=60)
    return done.stdout.strip(), done.stderr.strip()


def step(name, ok, detail=""):
    print(f"{'ok' if ok else 'FAILED'}: {name} {detail}".rstrip(), flush=True)
    if not ok:
        sys.exit(1)


public_key = sys.argv[1]
out, err = run("search", "offers", "gpu_name=H100_SXM num_gpus=1", "-o", "dph+", "--raw")
offers = json.loads(out or "[]")
step("offers searched, cheapest first", len(offers) >= 2 and offers[0]["dph_total"] <= offers[1]["dph_total"], err)
offer = offers[0]["id"]

out, err = run("create", "ssh-key", public_key)
step("key registered", "error" not in (out + err).lower(), out + err)

out, err = run("create", "instance", str(offer), "--image", "nginx:1.27", "--env", "-p 8080:8080 -e GREETING=hello",
               "--disk", "20", "--label", "peer-1", "--onstart-cmd", "echo hi", "--ssh", "--direct", "--raw")
made = json.loads(out or "{}")
step("rented", made.get("success") is True and isinstance(made.get("new_contract"), int), out + err)
instance = made["new_contract"]

out, err = run("create", "instance", str(offer), "--image", "nginx:1.27", "--raw")
step("the same offer again is a lost race", "no_such_ask" in err, err)

status = None
for _ in range(50):
    out, err = run("show", "instance", str(instance), "--raw")
    status = (json.loads(out or "{}") or {}).get("actual_status")
    if status == "running":
        break
    time.sleep(0.2)
step("running", status == "running", str(status))

out, err = run("show", "instances", "--raw")
rows = json.loads(out or "[]")
step("listed with its label and ports", any(r["id"] == instance and r["label"] == "peer-1" and "8080/tcp" in r["ports"] for r in rows), err)

out, err = run("ssh-url", str(instance))
step("an SSH address on a published port", out.startswith("ssh://root@") and not out.endswith(":22"), out + err)

out, err = run("destroy", "instance", str(instance), "-y", "--raw")
out, err = run("show", "instance", str(instance), "--raw")
shown = json.loads(out or "null")
step("destroyed", (shown is None or shown.get("instances", shown.get("id")) is None) and "error" not in err.lower(), out + err)
