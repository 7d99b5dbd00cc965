"""Drives the Azure Resource Manager fake over HTTPS with Azure's own clients (`azure-mgmt-resource`,
`azure-mgmt-network`, `azure-mgmt-compute`), unmodified but for their base URL, CA and a static
token: their long-running-operation pollers follow the fake's Azure-AsyncOperation and Location
headers, every answer is read into their models, and their typed errors must come out of the
fake's refusals.

usage: azure_lifecycle.py BASE_URL TOKEN SUBSCRIPTION CA_PEM PUBLIC_KEY
"""
import sys
import time

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

base, token, subscription, ca, public_key = sys.argv[1:6]


class StaticToken:
    def get_token(self, *scopes, **kwargs):
        return AccessToken(token, int(time.time()) + 3600)


def ok(message):
    print("ok:", message, flush=True)


options = dict(base_url=base, connection_verify=ca, polling_interval=0, retry_total=0)
resources = ResourceManagementClient(StaticToken(), subscription, **options)
network = NetworkManagementClient(StaticToken(), subscription, **options)
compute = ComputeManagementClient(StaticToken(), subscription, **options)
group, location = "peer-rg", "eastus"

made = resources.resource_groups.create_or_update(group, {"location": location, "tags": {"owner": "peer"}})
assert made.name == group and made.properties.provisioning_state == "Succeeded", made
ok("group made")

prefix = f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network"
nsg = network.network_security_groups.begin_create_or_update(group, "peer-nsg", {"location": location, "properties": {"securityRules": [{
    "name": "ssh", "properties": {"protocol": "Tcp", "sourcePortRange": "*", "destinationPortRange": "22", "sourceAddressPrefix": "198.51.100.0/24",
                                  "destinationAddressPrefix": "*", "access": "Allow", "priority": 100, "direction": "Inbound"}}]}}).result()
assert nsg.security_rules[0].destination_port_range == "22", nsg
vnet = network.virtual_networks.begin_create_or_update(group, "peer-vnet", {"location": location, "properties": {
    "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
    "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24", "networkSecurityGroup": {"id": f"{prefix}/networkSecurityGroups/peer-nsg"}}}]}}).result()
assert vnet.subnets[0].name == "default"
ip = network.public_ip_addresses.begin_create_or_update(group, "peer-ip", {"location": location, "sku": {"name": "Standard"},
    "properties": {"publicIPAllocationMethod": "Static"}}).result()
assert ip.ip_address, ip
nic = network.network_interfaces.begin_create_or_update(group, "peer-nic", {"location": location, "properties": {"ipConfigurations": [{
    "name": "ipconfig1", "properties": {"subnet": {"id": f"{prefix}/virtualNetworks/peer-vnet/subnets/default"}, "publicIPAddress": {"id": ip.id}}}]}}).result()
assert nic.ip_configurations[0].private_ip_address, nic
ok("network made")


def vm(size, interface=None):
    return {"location": location, "tags": {"owner": "peer"}, "properties": {
        "hardwareProfile": {"vmSize": size},
        "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"},
                           "osDisk": {"createOption": "FromImage", "deleteOption": "Delete", "managedDisk": {"storageAccountType": "StandardSSD_LRS"}}},
        "osProfile": {"computerName": "peer", "adminUsername": "azureuser", "linuxConfiguration": {"disablePasswordAuthentication": True,
                      "ssh": {"publicKeys": [{"path": "/home/azureuser/.ssh/authorized_keys", "keyData": public_key}]}}},
        "networkProfile": {"networkInterfaces": [{"id": (interface or nic).id, "properties": {"primary": True, "deleteOption": "Delete"}}]}}}


machine = compute.virtual_machines.begin_create_or_update(group, "peer-vm", vm("Standard_B1s")).result()
assert machine.provisioning_state == "Succeeded" and machine.storage_profile.os_disk.name, machine
for _ in range(100):
    view = compute.virtual_machines.get(group, "peer-vm", expand="instanceView").instance_view
    codes = [status.code for status in view.statuses]
    if "PowerState/running" in codes:
        break
    time.sleep(0.05)
assert "ProvisioningState/succeeded" in codes and "PowerState/running" in codes, codes
assert [m.name for m in compute.virtual_machines.list_all()] == ["peer-vm"]
ok("VM made, running, listed")

try:
    compute.virtual_machines.begin_create_or_update(group, "peer-sku", vm("Standard_D4s_v5")).result()
    raise AssertionError("an unavailable size was accepted")
except ResourceExistsError as error:
    assert error.error.code == "SkuNotAvailable", error
try:
    compute.virtual_machines.begin_create_or_update(group, "peer-taken", vm("Standard_B1s")).result()
    raise AssertionError("a NIC another VM holds was taken")
except HttpResponseError as error:
    assert error.error.code == "NicInUse", error
spare = network.network_interfaces.begin_create_or_update(group, "peer-nic2", {"location": location, "properties": {"ipConfigurations": [{
    "name": "ipconfig1", "properties": {"subnet": {"id": f"{prefix}/virtualNetworks/peer-vnet/subnets/default"}}}]}}).result()
try:
    compute.virtual_machines.begin_create_or_update(group, "peer-alloc", vm("Standard_D2s_v5", spare)).result()
    raise AssertionError("a failed allocation was reported as success")
except HttpResponseError as error:
    assert error.error.code == "AllocationFailed", error
compute.virtual_machines.begin_delete(group, "peer-alloc").result()
try:
    network.network_interfaces.begin_delete(group, "peer-nic").result()
    raise AssertionError("a NIC in use was deleted")
except HttpResponseError as error:
    assert error.error.code == "NicInUse", error
ok("typed errors")

compute.virtual_machines.begin_delete(group, "peer-vm").result()
try:
    compute.virtual_machines.get(group, "peer-vm")
    raise AssertionError("a deleted VM is still there")
except ResourceNotFoundError:
    pass
resources.resource_groups.begin_delete(group).result()
assert list(resources.resource_groups.list()) == []
ok("cleaned up")
