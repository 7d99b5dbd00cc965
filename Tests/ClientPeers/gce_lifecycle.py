"""Drives the Compute Engine fake over HTTPS with Google's own client `google-cloud-compute`,
unmodified but for its endpoint: every answer is parsed into the client's types, operations are
followed with its ExtendedOperation (its operations client pointed at the fake too: the client
builds that one without the endpoint given), and its typed errors must come out of the fake's refusals.

usage: gce_lifecycle.py BASE_URL TOKEN PUBLIC_KEY   (REQUESTS_CA_BUNDLE names the test CA)
"""
import sys

from google.api_core import exceptions
from google.api_core.client_options import ClientOptions
from google.cloud import compute_v1
from google.oauth2.credentials import Credentials

base, token, public_key = sys.argv[1:4]
project, zone = "blueprint-test", "us-central1-a"
credentials = Credentials(token=token)
options = ClientOptions(api_endpoint=base)


def ok(message):
    print("ok:", message, flush=True)


def client(kind):
    made = kind(credentials=credentials, client_options=options)
    services = made._transport._extended_operations_services
    services["zone_operations"] = compute_v1.ZoneOperationsClient(credentials=credentials, client_options=options)
    services["global_operations"] = compute_v1.GlobalOperationsClient(credentials=credentials, client_options=options)
    return made


instances, firewalls = client(compute_v1.InstancesClient), client(compute_v1.FirewallsClient)
zones = [z.name for z in compute_v1.ZonesClient(credentials=credentials, client_options=options).list(project=project)]
assert zone in zones, zones
ok("zones listed")

rule = compute_v1.Firewall(
    name="peer-ssh", network="global/networks/default", direction="INGRESS", source_ranges=["198.51.100.0/24"], target_tags=["peer"],
    allowed=[compute_v1.Allowed(I_p_protocol="tcp", ports=["22"])])
firewalls.insert(project=project, firewall_resource=rule).result(timeout=30)
assert firewalls.get(project=project, firewall="peer-ssh").allowed[0].ports == ["22"]
ok("firewall made")


def instance(name, machine="e2-small", labels=None):
    return compute_v1.Instance(
        name=name, machine_type=f"zones/{zone}/machineTypes/{machine}",
        disks=[compute_v1.AttachedDisk(boot=True, auto_delete=True, initialize_params=compute_v1.AttachedDiskInitializeParams(
            source_image="projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64", disk_size_gb=20))],
        network_interfaces=[compute_v1.NetworkInterface(network="global/networks/default", access_configs=[compute_v1.AccessConfig(name="External NAT", type_="ONE_TO_ONE_NAT")])],
        metadata=compute_v1.Metadata(items=[compute_v1.Items(key="ssh-keys", value=f"peer:{public_key}")]),
        labels=labels or {"owner": "peer"}, tags=compute_v1.Tags(items=["peer"]),
        # A machine with GPUs cannot live-migrate.
        scheduling=compute_v1.Scheduling(on_host_maintenance="TERMINATE" if machine.startswith("g2-") else "MIGRATE"))


request = compute_v1.InsertInstanceRequest(project=project, zone=zone, instance_resource=instance("peer-1"), request_id="6f1c3a52-8d4e-4b7a-9c0d-1e2f3a4b5c6d")
operation = instances.insert(request=request)
operation.result(timeout=30)
again = instances.insert(request=request)
assert again.name == operation.name, "the same requestId answers with the first operation"
got = instances.get(project=project, zone=zone, instance="peer-1")
assert got.labels["owner"] == "peer" and got.metadata.items[0].key == "ssh-keys" and got.status in ("PROVISIONING", "STAGING", "RUNNING"), got
assert [i.name for i in instances.list(request=compute_v1.ListInstancesRequest(project=project, zone=zone, filter="labels.owner=peer"))] == ["peer-1"]
assert [i.name for i in instances.list(request=compute_v1.ListInstancesRequest(project=project, zone=zone, filter="labels.owner=nobody"))] == []
scoped = {scope: len(found.instances) for scope, found in instances.aggregated_list(request=compute_v1.AggregatedListInstancesRequest(project=project, filter="labels.owner=peer"))}
assert scoped.get(f"zones/{zone}") == 1, scoped
ok("instance made, read, listed by label")

try:
    instances.insert(project=project, zone=zone, instance_resource=instance("peer-1")).result(timeout=30)
    raise AssertionError("a second instance of the same name was accepted")
except exceptions.Conflict:
    pass
try:
    instances.insert(project=project, zone=zone, instance_resource=instance("peer-2", machine="g2-standard-4")).result(timeout=30)
    raise AssertionError("an exhausted zone made an instance")
except exceptions.ServiceUnavailable as error:
    assert error.errors and error.errors[0].code == "ZONE_RESOURCE_POOL_EXHAUSTED", error
try:
    instances.insert(project=project, zone=zone, instance_resource=instance("peer-3", machine="n1-standard-8")).result(timeout=30)
    raise AssertionError("an instance beyond the CPU quota was accepted")
except exceptions.Forbidden as error:
    assert "Quota 'CPUS' exceeded" in error.message, error
ok("typed errors")

instances.delete(project=project, zone=zone, instance="peer-1").result(timeout=30)
try:
    instances.get(project=project, zone=zone, instance="peer-1")
    raise AssertionError("a deleted instance is still there")
except exceptions.NotFound:
    pass
firewalls.delete(project=project, firewall="peer-ssh").result(timeout=30)
ok("cleaned up")
