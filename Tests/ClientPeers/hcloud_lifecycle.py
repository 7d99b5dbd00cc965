"""Hetzner's own Python client (hcloud) against the Hetzner fake, unmodified but for its endpoint.

    HCLOUD_ENDPOINT=http://127.0.0.1:P/v1 HCLOUD_TOKEN=T python hcloud_lifecycle.py OWNER PUBLIC_KEY

Walks what the driver relies on, the client's way: server types and locations, an image by name
and architecture, a key (and the duplicate refused), a firewall, three servers, paging by label
selector with `in`, a firewall refused deletion while applied, deletes, an unknown id. Prints one
line per step; exits non-zero on the first that does not hold.
"""
import os, sys

from hcloud import APIException, Client
from hcloud.firewalls import FirewallRule
from hcloud.locations import Location
from hcloud.server_types import ServerType


def step(name, ok, detail=""):
    print(f"{'ok' if ok else 'FAILED'}: {name} {detail}".rstrip(), flush=True)
    if not ok:
        sys.exit(1)


def refused(code, call):
    try:
        call()
    except APIException as error:
        return error.code == code
    return False


owner, public_key = sys.argv[1], sys.argv[2]
client = Client(token=os.environ["HCLOUD_TOKEN"], api_endpoint=os.environ["HCLOUD_ENDPOINT"], poll_interval=0.1)

types = client.server_types.get_all()
step("server types", any(t.name == "cx23" for t in types), str(len(types)))
cx23 = next(t for t in types if t.name == "cx23")
step("per-location availability", all(location.location.name for location in cx23.locations))
locations = client.locations.get_all()
step("locations", {l.name for l in locations} >= {"fsn1", "nbg1"})
image = client.images.get_by_name_and_architecture("ubuntu-24.04", "x86")
step("image by name and architecture", image is not None and image.architecture == "x86")

key = client.ssh_keys.create(name="peer-key", public_key=public_key, labels={"blueprint-remote-owner": owner})
step("key registered", client.ssh_keys.get_by_fingerprint(key.fingerprint).id == key.id)
step("the same key again refused", refused("uniqueness_error", lambda: client.ssh_keys.create(name="peer-key-2", public_key=public_key)))

wall = client.firewalls.create(
    name="peer-firewall", labels={"blueprint-remote-owner": owner},
    rules=[FirewallRule(direction="in", protocol="tcp", port="22", source_ips=["198.51.100.0/24"])]).firewall
step("firewall", client.firewalls.get_by_name("peer-firewall").id == wall.id)

servers = []
for index in range(3):
    made = client.servers.create(
        name=f"peer-{index}", server_type=ServerType(name="cx23"), image=image, location=Location(name="fsn1"), ssh_keys=[key],
        firewalls=[wall], labels={"blueprint-remote-owner": owner, "index": str(index)})
    servers.append(made.server)
step("three servers", [s.status for s in servers] == ["initializing"] * 3, str([s.status for s in servers]))
chosen = client.servers.get_all(label_selector=f"blueprint-remote-owner={owner},index in (0,2)")
step("label selector with in, page by page", sorted(s.name for s in chosen) == ["peer-0", "peer-2"], str([s.name for s in chosen]))
step("firewall delete refused while applied", refused("resource_in_use", lambda: client.firewalls.delete(wall)))
for server in servers:
    client.servers.delete(server)
step("servers deleting", all(client.servers.get_by_id(s.id).status == "deleting" for s in servers))
step("an unknown id is not_found", refused("not_found", lambda: client.servers.get_by_id(987654321)))
client.ssh_keys.delete(key)
step("key deleted", client.ssh_keys.get_by_fingerprint(key.fingerprint) is None)
