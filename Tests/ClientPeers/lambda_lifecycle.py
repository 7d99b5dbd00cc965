"""Drives the Lambda fake with the two clients generated from Lambda's published API document,
unmodified but for their base URL: `lambda-cloud-api-client` (the one Lambda's docs point to; it
returns raw answers, read here with its own models) and `lambda-ai-cloud-api-client` (generated
from document 1.8.3; it parses every answer, errors included, into typed models).

usage: lambda_lifecycle.py BASE_URL API_KEY PUBLIC_KEY OWNER
"""
import json
import sys
import time

import lambda_cloud_api_client as old
import lambda_ai_cloud_api_client as new
from lambda_cloud_api_client.api.default import (
    add_ssh_key, get_instance as old_get, instance_types, launch_instance as old_launch, list_instances as old_list,
    list_ssh_keys, terminate_instance as old_terminate,
)
from lambda_cloud_api_client.models import (
    AddSSHKeyBody, ErrorCode, ErrorResponseBody, Instance as OldInstance, InstanceStatus as OldStatus, InstanceType as OldType,
    LaunchInstanceBody, Region as OldRegion, SshKey, TerminateInstanceBody,
)
from lambda_ai_cloud_api_client.api.firewalls import create_firewall_ruleset, delete_firewall_ruleset, firewall_rulesets_list
from lambda_ai_cloud_api_client.api.instances import (
    get_instance, launch_instance, list_instance_types, list_instances, terminate_instance,
)
from lambda_ai_cloud_api_client.api.ssh_keys import delete_ssh_key, list_ssh_keys as new_list_keys
from lambda_ai_cloud_api_client.models import (
    DeleteFirewallRulesetResponse200, DeleteFirewallRulesetResponse400, FirewallRule, FirewallRulesetCreateRequest,
    FirewallRulesetEntry, GetInstanceResponse200, GetInstanceResponse404, InstanceLaunchRequest, InstanceStatus,
    LaunchInstanceResponse200, LaunchInstanceResponse400, LaunchInstanceResponse401, ListInstanceTypesResponse200,
    NetworkProtocol, PublicRegionCode, RequestedTagEntry, TerminateInstanceResponse200,
)

base, key, public_key, owner = sys.argv[1:5]


def ok(message):
    print("ok:", message, flush=True)


def data(response):
    assert response.status_code == 200, (response.status_code, response.content)
    return json.loads(response.content)["data"]


# The older client, its base URL ending in /api/v1; answers read with its own models.
legacy = old.AuthenticatedClient(base_url=base + "/api/v1", token=key, raise_on_unexpected_status=True)
made = SshKey.from_dict(data(add_ssh_key.sync_detailed(client=legacy, body=AddSSHKeyBody(name="peer-key", public_key=public_key))))
assert made.public_key == public_key
assert [SshKey.from_dict(k).name for k in data(list_ssh_keys.sync_detailed(client=legacy))] == ["peer-key"]
ok("key added")
for name, item in data(instance_types.sync_detailed(client=legacy)).items():
    kind = OldType.from_dict(item["instance_type"])
    assert kind.name == name and kind.price_cents_per_hour > 0 and kind.specs.gpus >= 1
    [OldRegion.from_dict(region) for region in item["regions_with_capacity_available"]]
ok("instance types read")
body = LaunchInstanceBody(region_name="us-east-1", instance_type_name="gpu_1x_a10", ssh_key_names=["peer-key"], name="peer-legacy")
ids = data(old_launch.sync_detailed(client=legacy, body=body))["instance_ids"]
assert len(ids) == 1
first = OldInstance.from_dict(data(old_get.sync_detailed(ids[0], client=legacy)))
assert first.status in (OldStatus.BOOTING, OldStatus.ACTIVE) and first.instance_type.name == "gpu_1x_a10" and first.region.name == "us-east-1"
assert [OldInstance.from_dict(i).id for i in data(old_list.sync_detailed(client=legacy))] == ids
full = old_launch.sync_detailed(client=legacy, body=LaunchInstanceBody(region_name="us-west-1", instance_type_name="gpu_8x_h100_sxm5", ssh_key_names=["peer-key"]))
assert full.status_code == 400
assert ErrorResponseBody.from_dict(json.loads(full.content)).error.code == ErrorCode.INSTANCE_OPERATIONSLAUNCHINSUFFICIENT_CAPACITY
ok("legacy launch and errors read")

# The newer client, generated from document 1.8.3: every answer parsed into its typed model.
client = new.AuthenticatedClient(base_url=base, token=key, raise_on_unexpected_status=True)
types = list_instance_types.sync(client=client)
assert isinstance(types, ListInstanceTypesResponse200) and "gpu_1x_h100_pcie" in types.data.additional_properties
assert [k.name for k in new_list_keys.sync(client=client).data] == ["peer-key"]
rule = FirewallRule(protocol=NetworkProtocol.TCP, source_network="198.51.100.0/24", description="ssh", port_range=[22, 22])
ruleset = create_firewall_ruleset.sync(client=client, body=FirewallRulesetCreateRequest(name="peer", region=PublicRegionCode.US_WEST_1, rules=[rule])).data
assert ruleset.instance_ids == [] and ruleset.rules[0].port_range == [22, 22]
request = InstanceLaunchRequest(
    region_name=PublicRegionCode.US_WEST_1, instance_type_name="gpu_1x_h100_pcie", ssh_key_names=["peer-key"], name="peer-typed",
    tags=[RequestedTagEntry(key="blueprint-remote-owner", value=owner)], firewall_rulesets=[FirewallRulesetEntry(id=ruleset.id)],
    user_data="#cloud-config\n",
)
launched = launch_instance.sync(client=client, body=request)
assert isinstance(launched, LaunchInstanceResponse200), launched
typed_id = launched.data.instance_ids[0]
got = get_instance.sync(typed_id, client=client)
assert isinstance(got, GetInstanceResponse200) and got.data.status in (InstanceStatus.BOOTING, InstanceStatus.ACTIVE)
assert [(t.key, t.value) for t in got.data.tags] == [("blueprint-remote-owner", owner)] and got.data.firewall_rulesets[0].id == ruleset.id
assert got.data.actions.terminate.available is True
assert sorted(i.id for i in list_instances.sync(client=client).data) == sorted(ids + [typed_id])
in_use = delete_firewall_ruleset.sync(ruleset.id, client=client)
assert isinstance(in_use, DeleteFirewallRulesetResponse400) and in_use.error.code == "firewall-rulesets/firewall-ruleset-in-use"
ok("typed launch with tags and ruleset")
refused = launch_instance.sync(client=client, body=InstanceLaunchRequest(
    region_name=PublicRegionCode.EUROPE_CENTRAL_1, instance_type_name="gpu_1x_h100_pcie", ssh_key_names=["peer-key"]))
assert isinstance(refused, LaunchInstanceResponse400) and refused.error.code == "instance-operations/launch/insufficient-capacity", refused
wrong = new.AuthenticatedClient(base_url=base, token="wrong", raise_on_unexpected_status=True)
denied = launch_instance.sync(client=wrong, body=request)
assert isinstance(denied, LaunchInstanceResponse401) and denied.error.code == "global/invalid-api-key", denied
ok("typed errors")

gone = terminate_instance.sync(client=client, body=new.models.InstanceTerminateRequest(instance_ids=ids + [typed_id]))
assert isinstance(gone, TerminateInstanceResponse200) and sorted(i.id for i in gone.data.terminated_instances) == sorted(ids + [typed_id])
assert all(i.status in (InstanceStatus.TERMINATING, InstanceStatus.TERMINATED) for i in gone.data.terminated_instances)
legacy_gone = old_terminate.sync_detailed(client=legacy, body=TerminateInstanceBody(instance_ids=["0" * 32]))
assert legacy_gone.status_code == 404
assert ErrorResponseBody.from_dict(json.loads(legacy_gone.content)).error.code == ErrorCode.GLOBALOBJECT_DOES_NOT_EXIST
ok("terminated")
for _ in range(200):  # terminating, then gone
    missing = get_instance.sync(typed_id, client=client)
    if isinstance(missing, GetInstanceResponse404):
        break
    time.sleep(0.05)
assert isinstance(missing, GetInstanceResponse404), missing
assert isinstance(delete_firewall_ruleset.sync(ruleset.id, client=client), DeleteFirewallRulesetResponse200)
assert firewall_rulesets_list.sync(client=client).data == []
delete_ssh_key.sync(made.id, client=client)
assert new_list_keys.sync(client=client).data == []
ok("cleaned up")
