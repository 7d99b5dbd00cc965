"""Bundles Azure's REST API specifications (swagger 2.0, Azure/azure-rest-api-specs) into one
document for Tests/Contracts/azure.json: the path items the Azure driver and its fake use, each
from its own service's file at its own api-version, with every definition they reach. Cross-file
`$ref`s are followed into the copied files; a definition in a file that was not copied (an
application gateway's pools under a NIC's IP configuration, say: nothing the driver sends or
reads) becomes a free-form object that names the reference it stands for. Parameters are inlined;
each operation's `api-version` is pinned to its file's version, so a call made with another
service's version (a disk asked with the VMs' 2024-11-01) fails the check.

    azure-spec-bundle.py SPECIFICATION_DIR OUT.json COMMITS.json

SPECIFICATION_DIR holds the files under their paths below `specification/`; COMMITS.json maps each
path to the repository commit it was copied at (recorded in the bundle's `x-sources`).
"""
import json, os, posixpath, sys

KEEP = {
    "resources/resource-manager/Microsoft.Resources/stable/2022-09-01/resources.json": [
        "/subscriptions/{subscriptionId}/resourcegroups",
        "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}",
    ],
    "compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-11-01/virtualMachine.json": [
        "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{vmName}",
    ],
    "compute/resource-manager/Microsoft.Compute/Skus/stable/2021-07-01/skus.json": [
        "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/skus",
    ],
    "compute/resource-manager/Microsoft.Compute/DiskRP/stable/2024-03-02/disk.json": [
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/disks/{diskName}",
    ],
    "network/resource-manager/Microsoft.Network/stable/2024-05-01/networkSecurityGroup.json": [
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}",
    ],
    "network/resource-manager/Microsoft.Network/stable/2024-05-01/virtualNetwork.json": [
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}",
    ],
    "network/resource-manager/Microsoft.Network/stable/2024-05-01/publicIpAddress.json": [
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/publicIPAddresses",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/publicIPAddresses/{publicIpAddressName}",
    ],
    "network/resource-manager/Microsoft.Network/stable/2024-05-01/networkInterface.json": [
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkInterfaces",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}",
    ],
}

root, out, commits = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
files = {}


def load(path):
    if path not in files:
        full = os.path.join(root, path)
        files[path] = json.load(open(full)) if os.path.exists(full) else None
    return files[path]


present = [posixpath.relpath(posixpath.join(d, f), root) for d, _, names in os.walk(root) for f in names if f.endswith(".json")]


def stem(path):
    """A file's name for its definitions (`virtualMachine`); with its folder where two copied files
    share a name (`v1-types`, `v3-types`)."""
    name = posixpath.splitext(posixpath.basename(path))[0]
    if sum(1 for other in present if posixpath.basename(other) == posixpath.basename(path)) > 1:
        return f"{posixpath.basename(posixpath.dirname(path))}-{name}"
    return name


definitions, pending, missing, origin = {}, [], set(), {}


def target(ref, where):
    """(file, pointer parts) that `ref`, written in file `where`, points at."""
    file, _, pointer = ref.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(where), file)) if file else where
    return path, [part for part in pointer.split("/") if part]


def lookup(path, parts):
    node = load(path)
    for part in parts:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def rewrite(node, where):
    """`node` from file `where`, its references made local to the bundle."""
    if isinstance(node, list):
        return [rewrite(value, where) for value in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str):
        path, parts = target(node["$ref"], where)
        if load(path) is None or lookup(path, parts) is None:
            missing.add(f"{path}#/{'/'.join(parts)}")
            return {"description": f"not bundled: {path}#/{'/'.join(parts)}"}
        if parts[0] == "definitions":
            name = f"{stem(path)}.{parts[1]}"
            if origin.setdefault(name, path) != path:
                sys.exit(f"{name} would name definitions of both {origin[name]} and {path}")
            if name not in definitions:
                definitions[name] = None
                pending.append((name, path, parts))
            return {"$ref": f"#/definitions/{name}"}
        return rewrite(lookup(path, parts), path)  # parameters and responses inlined
    return {key: rewrite(value, where) for key, value in node.items() if key != "x-ms-examples"}


paths = {}
for path, templates in KEEP.items():
    spec = load(path)
    version = spec["info"]["version"]
    for template in templates:
        if template not in spec["paths"]:
            sys.exit(f"{template} is not in {path}; it has:\n  " + "\n  ".join(sorted(spec["paths"])))
        item = rewrite(spec["paths"][template], path)
        shared = item.pop("parameters", [])
        for method, operation in item.items():
            parameters = shared + operation.get("parameters", [])
            for parameter in parameters:
                if parameter.get("name") == "api-version":
                    parameter["enum"] = [version]
            operation["parameters"] = parameters
        paths[template] = item
while pending:
    name, path, parts = pending.pop()
    definitions[name] = rewrite(lookup(path, parts), path)

sources = [{"file": "specification/" + path, "commit": commits[path]} for path, spec in sorted(files.items()) if spec is not None]
bundle = {
    "swagger": "2.0",
    "info": {"title": "Azure Resource Manager: the operations blueprint-remote uses", "version": "bundle"},
    "host": "management.azure.com", "schemes": ["https"],
    "x-sources": sources,
    "x-not-bundled": sorted(missing),
    "paths": dict(sorted(paths.items())),
    "definitions": dict(sorted(definitions.items())),
}
json.dump(bundle, open(out, "w"), indent=1)
print(f"{sum(len(t) for t in KEEP.values())} paths, {len(definitions)} definitions, {len(missing)} references left free-form -> {out}")
