"""Trims a Google API discovery document to the methods the driver and its peer client call,
with every schema they reach, for Tests/Contracts (the whole Compute Engine one is 5 MB).

    discovery-trim.py SOURCE.json OUT.json resource.method ...
"""
import json, sys

source, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
document = json.load(open(source))
resources = {}
for name in wanted:
    resource, method = name.split(".")
    resources.setdefault(resource, {"methods": {}})["methods"][method] = document["resources"][resource]["methods"][method]

reached, pending = set(), []
def visit(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and node["$ref"] not in reached:
            reached.add(node["$ref"])
            pending.append(node["$ref"])
        for value in node.values():
            visit(value)
    elif isinstance(node, list):
        for value in node:
            visit(value)
visit(resources)
while pending:
    visit(document["schemas"][pending.pop()])

trimmed = {key: value for key, value in document.items() if key not in ("resources", "schemas", "icons")}
trimmed["resources"] = resources
trimmed["schemas"] = {name: document["schemas"][name] for name in sorted(reached)}
json.dump(trimmed, open(out, "w"), indent=1, sort_keys=True)
print(f"{len(wanted)} methods, {len(reached)} schemas -> {out}")
