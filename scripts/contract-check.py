"""Checks HTTP exchanges with the cloud fakes against the providers' official API documents.

    contract-check.py serve PORT VIOLATIONS_LOG     an HTTP service for the tests
    contract-check.py check PROVIDER < EXCHANGES    one-off: JSON exchanges on stdin, violations out

POST /validate {"provider": "digitalocean", "exchanges": [{"method", "path", "query", "headers",
"body", "status", "response_headers", "response_body"}]} answers {"violations": [...]} and appends
each violation, with its provider, to VIOLATIONS_LOG (scripts/test fails the run when it is not
empty) — unless "expected": true (the test of the checker itself, which sends violations on purpose). Runs in its own virtualenv with openapi-core (scripts/test-services makes it).

openapi-core checks each request (path, method, parameters, body) and each response (status, body)
against Tests/Contracts/<provider>.json. It lets an object carry properties its schema does not
declare (none of these documents says `additionalProperties: false`), so request bodies get one
more check here: every key must be declared by some branch of the schema at its place (an
invented field such as `ssh_keys` on a Vultr instance fails). Where a document is wrong, it is
patched at load time, each patch with its reason below.
"""
import json, os, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACTS = os.path.join(HERE, "..", "Tests", "Contracts")


def walk(node, visit):
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            walk(value, visit)


def patch_digitalocean(spec):
    # The droplet status enum was written in YAML as `off`, which YAML 1.1 reads as false.
    def visit(node):
        if isinstance(node.get("enum"), list) and False in node["enum"]:
            node["enum"] = ["off" if value is False else value for value in node["enum"]]
    walk(spec, visit)


def patch_vultr(spec):
    # The bearer scheme carries a stray `in` key, which OpenAPI 3 does not allow there.
    for scheme in spec.get("components", {}).get("securitySchemes", {}).values():
        if scheme.get("type") == "http":
            scheme.pop("in", None)
    # Every operation takes the API key, and the API answers 401 to a wrong one everywhere; the
    # document lists that answer on most operations but not on /account, /plans, /regions, /os.
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation and "401" not in operation["responses"]:
                operation["responses"]["401"] = {"description": "Unauthorized"}


def patch_hetzner(spec):
    # `nullable: true` without a `type` admits no null under OpenAPI 3.0's rules; the API sends
    # null there (the document's own examples do).
    def visit(node):
        if node.get("nullable") is True and "type" not in node:
            branches = [dict(node)]
            branches[0].pop("nullable")
            node.clear()
            node["anyOf"] = branches + [{"type": "string", "nullable": True, "enum": [None]}]
    walk(spec, visit)
    # "ID or name" fields are typed string, yet the API takes an ID as a number, and Hetzner's own
    # client `hcloud` sends it so (`image`, `server_type`, `location`, and each of `ssh_keys`).
    either = [{"type": "string"}, {"type": "integer"}]
    def id_or_name(node):
        for name, prop in list(node.get("properties", {}).items()):
            text = prop.get("description", "")
            if prop.get("type") == "string" and text.startswith("ID or name"):
                node["properties"][name] = {"description": text, "anyOf": either}
            elif prop.get("type") == "array" and "or names" in text and prop.get("items", {}).get("type") == "string":
                prop["items"] = {"anyOf": either}
    walk(spec, id_or_name)
    # Lower-case `4xx`/`5xx` response keys are not response codes OpenAPI knows.
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                for key in [k for k in operation["responses"] if k.lower() in ("4xx", "5xx")]:
                    operation["responses"][key.upper()] = operation["responses"].pop(key)


def patch_parameters(spec):
    # `readOnly` marks a property answers carry and requests must not; on a parameter's schema
    # (DigitalOcean's `ssh_key_identifier`) it means nothing, yet a validator would refuse every
    # request that fills the parameter in.
    def strip(node):
        node.pop("readOnly", None)
    for path in spec.get("paths", {}).values():
        for parameter in path.get("parameters", []) + [p for op in path.values() if isinstance(op, dict) for p in op.get("parameters", [])]:
            walk(parameter.get("schema", {}), strip)


def patch_paperspace(spec):
    # `nullable: true` beside an `enum` that does not list null admits no null under OpenAPI 3.0's
    # rules (the enum is checked too); the document means null to be allowed
    # (`autoSnapshotFrequency`, `restorePointFrequency` of a machine with neither set).
    def visit(node):
        if node.get("nullable") is True and isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = node["enum"] + [None]
    walk(spec, visit)


def from_discovery(doc):
    """A Google API discovery document (Compute Engine's) as OpenAPI 3.0: each method an operation
    under the service path, each schema a component. Formats and defaults are dropped: discovery
    writes 64-bit integers as strings with `format: int64`, which a JSON Schema checker would take
    as a number rule. Error answers are Google's envelope. Exchanges outside the service path (the
    token endpoint, the metadata server, which the document does not describe) are not checked."""
    def schema(node):
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "$ref":
                out["$ref"] = "#/components/schemas/" + value
            elif key == "properties":
                out["properties"] = {name: schema(sub) for name, sub in value.items()}
            elif key in ("items", "additionalProperties"):
                out[key] = schema(value) if isinstance(value, dict) else value
            elif key in ("type", "enum", "description"):
                out[key] = value
        if out.get("type") == "any":
            out.pop("type")
        return out

    def parameter(name, node):
        kind = {"integer": "integer", "boolean": "boolean", "number": "number"}.get(node.get("type"), "string")
        spec = {"type": kind}
        if node.get("repeated"):
            spec = {"type": "array", "items": spec}
        return {"name": name, "in": node.get("location", "query"), "required": bool(node.get("required")), "schema": spec}

    error = {"type": "object", "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "integer"}, "message": {"type": "string"}, "status": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "reason": {"type": "string"}, "domain": {"type": "string"}, "message": {"type": "string"}}}}}}}}
    common = [parameter(name, node) for name, node in doc.get("parameters", {}).items()]
    paths = {}
    def methods(resources):
        for resource in resources.values():
            yield from resource.get("methods", {}).values()
            yield from methods(resource.get("resources", {}))
    for method in methods(doc["resources"]):
        operation = {
            "operationId": method["id"],
            "parameters": common + [parameter(name, node) for name, node in method.get("parameters", {}).items()],
            "responses": {"default": {"description": "error", "content": {"application/json": {"schema": error}}}},
        }
        if "response" in method:
            operation["responses"]["200"] = {"description": "OK", "content": {"application/json": {"schema": schema(method["response"])}}}
        if "request" in method:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema(method["request"])}}}
        paths.setdefault("/" + method["path"], {})[method["httpMethod"].lower()] = operation
    service = "/" + doc["servicePath"].strip("/")
    return {
        "openapi": "3.0.3", "info": {"title": doc["title"], "version": doc["revision"]},
        "servers": [{"url": doc["rootUrl"].rstrip("/") + service}], "x-checked-prefix": service,
        "paths": paths, "components": {"schemas": {name: schema(node) for name, node in doc["schemas"].items()}},
    }



def from_swagger(doc):
    """A swagger 2.0 document (Azure's, bundled by scripts/azure-spec-bundle.py) as OpenAPI 3.0:
    body parameters become request bodies, response schemas JSON content, `x-nullable` nullable;
    swagger's string `discriminator`, defaults (some `null` where null is not allowed) and Azure's
    extensions are dropped, and with them the values of an enum Azure marks extensible
    (`modelAsString`: `vmSize` lists only old sizes); an operation without an error answer gets
    ARM's JSON one. ARM's operation monitors
    (the Azure-AsyncOperation and Location URLs a long-running call answers with) are in no
    service's document; their shape is ARM's asynchronous-operation contract, added here."""
    def schema(node):
        if isinstance(node, list):
            return [schema(value) for value in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key == "$ref":
                out["$ref"] = value.replace("#/definitions/", "#/components/schemas/")
            elif key == "x-nullable":
                out["nullable"] = bool(value)
            elif key in ("discriminator", "example", "default") or key.startswith("x-"):
                continue
            elif key in ("properties", "definitions"):
                out[key] = {name: schema(sub) for name, sub in value.items()}
            else:
                out[key] = schema(value)
        if out.get("type") == "file":
            out.pop("type")
        if (node.get("x-ms-enum") or {}).get("modelAsString"):
            out.pop("enum", None)  # an extensible enum: Azure may answer, and take, other values
        return out

    def parameter(node):
        keep = {key: node[key] for key in ("type", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "format") if key in node}
        if node.get("type") == "array":
            keep["items"] = schema(node.get("items", {}))
        return {"name": node["name"], "in": node["in"], "required": bool(node.get("required") or node["in"] == "path"), "schema": keep}

    def response(node):
        answer = {"description": node.get("description") or "answer"}
        if "schema" in node:
            answer["content"] = {"application/json": {"schema": schema(node["schema"])}}
        return answer

    paths = {}
    for template, item in doc["paths"].items():
        for method, operation in item.items():
            converted = {
                "operationId": operation.get("operationId", f"{method} {template}"),
                "parameters": [parameter(p) for p in operation.get("parameters", []) if p["in"] in ("path", "query", "header")],
                "responses": {status: response(node) for status, node in operation.get("responses", {}).items()},
            }
            # Some services' documents (Disks) declare no error answer; ARM's errors are JSON.
            converted["responses"].setdefault("default", {"description": "error", "content": {"application/json": {"schema": {}}}})
            body = next((p for p in operation.get("parameters", []) if p["in"] == "body"), None)
            if body:
                converted["requestBody"] = {"required": bool(body.get("required")), "content": {"application/json": {"schema": schema(body["schema"])}}}
            paths.setdefault(template, {})[method] = converted
    monitor = {"type": "object", "required": ["status"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "status": {"type": "string"},
        "percentComplete": {"type": "number"}, "startTime": {"type": "string", "format": "date-time"},
        "endTime": {"type": "string", "format": "date-time"}, "properties": {"type": "object"},
        "error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}, "target": {"type": "string"}, "details": {"type": "array"}}}}}
    path = {"name": "subscriptionId", "in": "path", "required": True, "schema": {"type": "string"}}
    paths["/subscriptions/{subscriptionId}/providers/{namespace}/locations/{location}/operations/{operationId}"] = {"get": {
        "operationId": "AzureAsyncOperation_Get",
        "parameters": [path] + [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in ("namespace", "location", "operationId")]
            + [{"name": "api-version", "in": "query", "required": False, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the operation's state", "content": {"application/json": {"schema": monitor}}}}}}
    paths["/subscriptions/{subscriptionId}/operationresults/{operationId}"] = {"get": {
        "operationId": "LocationOperation_Get",
        "parameters": [path, {"name": "operationId", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "api-version", "in": "query", "required": False, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "done"}, "202": {"description": "still running"}, "204": {"description": "done"}}}}
    return {
        "openapi": "3.0.3", "info": doc["info"], "servers": [{"url": "https://" + doc["host"]}], "x-checked-prefix": "/subscriptions/",
        "x-case-insensitive-paths": True, "paths": paths, "components": {"schemas": {name: schema(node) for name, node in doc["definitions"].items()}},
    }

PATCHES = {
    "digitalocean": patch_digitalocean, "vultr": patch_vultr, "hetzner": patch_hetzner, "paperspace": patch_paperspace,
    "runpod": lambda spec: None, "gce": lambda spec: None, "azure": lambda spec: None,  # none needed
}
_loaded = {}
_lock = threading.Lock()


def document(provider):
    with _lock:
        if provider not in _loaded:
            with open(os.path.join(CONTRACTS, f"{provider}.json")) as handle:
                spec = json.load(handle)
            if "discoveryVersion" in spec:
                spec = from_discovery(spec)
            elif spec.get("swagger") == "2.0":
                spec = from_swagger(spec)
            patch_parameters(spec)
            PATCHES.get(provider, lambda s: None)(spec)
            # Problem documents (RFC 9457, RunPod's errors) are JSON; openapi-core reads only
            # application/json as JSON unless told.
            config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
            _loaded[provider] = (spec, OpenAPI.from_dict(spec, config=config))
        return _loaded[provider]


def request_schema(spec, path_template, method, content_type="application/json"):
    operation = spec["paths"].get(path_template, {}).get(method.lower(), {})
    return operation.get("requestBody", {}).get("content", {}).get(content_type, {}).get("schema")


def resolve(schema, spec):
    """`schema`, or what its local `$ref` (`#/components/schemas/Instance`) points at."""
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/") and seen < 32:
        node = spec
        for part in schema["$ref"][2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        schema, seen = node, seen + 1
    return schema


def branches(schema, spec):
    """The schema and every allOf/oneOf/anyOf branch under it, flattened, references followed."""
    schema = resolve(schema, spec)
    if not isinstance(schema, dict):
        return []
    found = [schema]
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key, []):
            found += branches(branch, spec)
    return found


def undeclared(value, schemas, where, spec):
    """Keys of `value` no branch of `schemas` declares, as 'where.key' paths."""
    every = [branch for schema in schemas for branch in branches(schema, spec)]
    problems = []
    if isinstance(value, dict):
        if any(branch.get("additionalProperties") not in (None, False) for branch in every):
            return problems
        declared = {}
        for branch in every:
            for name, sub in branch.get("properties", {}).items():
                declared.setdefault(name, []).append(sub)
        if not declared:
            return problems  # a free-form object
        for key, sub in value.items():
            if key not in declared:
                problems.append(f"{where}.{key}" if where else key)
            else:
                problems += undeclared(sub, declared[key], f"{where}.{key}" if where else key, spec)
    elif isinstance(value, list):
        items = [branch["items"] for branch in every if isinstance(branch.get("items"), dict)]
        for index, element in enumerate(value):
            problems += undeclared(element, items, f"{where}[{index}]", spec)
    return problems


def server_origin(spec):
    url = spec["servers"][0]["url"]
    scheme, rest = url.split("://", 1)
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}"


def check(provider, exchanges):
    spec, openapi = document(provider)
    origin = server_origin(spec)
    violations = []
    for exchange in exchanges:
        method, path = exchange["method"].lower(), exchange["path"]
        if not path.startswith(spec.get("x-checked-prefix", "")):
            continue
        label = f"{exchange['method']} {path}"
        if spec.get("x-case-insensitive-paths"):
            path = canonical_path(spec, path)  # ARM takes paths in any case: compared in the document's
        headers = {k.lower(): v for k, v in exchange.get("headers", {}).items()}
        body = exchange.get("body") or ""
        content_type = headers.get("content-type", "application/json").split(";")[0] if body else "application/json"
        request = MockRequest(
            origin, method, path, args=parse_qs(exchange.get("query", ""), keep_blank_values=True),
            headers=headers, data=body.encode() if body else None, content_type=content_type)
        try:
            result = openapi.unmarshal_request(request)
            for error in result.errors:
                violations.append(f"{label}: request: {describe(error)}")
        except Exception as error:  # the request matches no operation at all
            violations.append(f"{label}: request: {describe(error)}")
            continue
        if body and content_type == "application/json":
            try:
                template = matching_template(spec, path)
                schema = request_schema(spec, template, method) if template else None
                if schema is not None:
                    for field in undeclared(json.loads(body), [schema], "", spec):
                        violations.append(f"{label}: request body field '{field}' is not in the document")
            except ValueError as error:
                violations.append(f"{label}: request body is not JSON: {error}")
        status = int(exchange["status"])
        response_body = exchange.get("response_body") or ""
        response_headers = {k.lower(): v for k, v in exchange.get("response_headers", {}).items()}
        response = MockResponse(
            response_body.encode() if response_body else b"", status_code=status, headers=response_headers,
            content_type=response_headers.get("content-type", "application/json").split(";")[0])
        try:
            result = openapi.unmarshal_response(request, response)
            for error in result.errors:
                violations.append(f"{label} -> {status}: response: {describe(error)}")
        except Exception as error:
            violations.append(f"{label} -> {status}: response: {describe(error)}")
    return violations


def base_path(spec):
    """The path the document's server URL adds before its templates (`/v2`), or ''."""
    base = spec["servers"][0]["url"].split("://", 1)[1]
    return "/" + base.split("/", 1)[1].rstrip("/") if "/" in base else ""


def canonical_path(spec, path):
    """`path` with each literal segment spelled as the template it fills in spells it."""
    template = matching_template(spec, path, fold=True)
    if template is None:
        return path
    prefix = base_path(spec)
    relative = path[len(prefix):] if prefix and path.lower().startswith(prefix.lower()) else path
    pieces, parts = template.strip("/").split("/"), relative.strip("/").split("/")
    return prefix + "/" + "/".join(q if p.startswith("{") else p for p, q in zip(pieces, parts))


def matching_template(spec, path, fold=False):
    """The document's path template that `path` fills in (`/v2/droplets/{droplet_id}` for `/v2/droplets/3`)."""
    prefix = base_path(spec)
    starts = path.lower().startswith(prefix.lower()) if fold else path.startswith(prefix)
    relative = path[len(prefix):] if prefix and starts else path
    parts = relative.strip("/").split("/")
    best = None
    for template in spec["paths"]:
        pieces = template.strip("/").split("/")
        if len(pieces) != len(parts):
            continue
        same = (lambda p, q: p.lower() == q.lower()) if fold else (lambda p, q: p == q)
        if all(same(p, q) or (p.startswith("{") and p.endswith("}")) for p, q in zip(pieces, parts)):
            literal = sum(1 for p in pieces if not p.startswith("{"))
            if best is None or literal > best[0]:
                best = (literal, template)
    return best[1] if best else None


def describe(error):
    """The error and its schema errors underneath, on one line."""
    parts = [str(error)]
    cause = error
    seen = 0
    while getattr(cause, "__cause__", None) is not None and seen < 5:
        cause = cause.__cause__
        seen += 1
        parts.append(str(cause))
    for attribute in ("schema_errors", "errors"):
        for sub in getattr(error, attribute, None) or []:
            parts.append(getattr(sub, "message", str(sub)))
    for sub in getattr(getattr(error, "__cause__", None), "schema_errors", None) or []:
        parts.append(getattr(sub, "message", str(sub)))
    return " | ".join(dict.fromkeys(p.replace("\n", " ")[:400] for p in parts if p))


class Service(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log_path = None

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"{}")
        provider = payload.get("provider", "")
        try:
            violations = check(provider, payload.get("exchanges", []))
        except Exception as error:
            violations = [f"the checker failed: {error!r}"]
        if violations and Service.log_path and not payload.get("expected"):
            with _lock, open(Service.log_path, "a") as log:
                for violation in violations:
                    log.write(f"{provider}: {violation}\n")
        body = json.dumps({"violations": violations}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        Service.log_path = sys.argv[3]
        for provider in PATCHES:
            document(provider)  # parsed once, before the first test asks
        ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Service).serve_forever()
    else:
        for violation in check(sys.argv[2], json.load(sys.stdin)):
            print(violation)
