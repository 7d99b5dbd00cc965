import CryptoExtras
import Foundation
import Synchronization

/// Compute Engine's API v1 as the discovery document describes it and Google's own client
/// `google-cloud-compute` reads it (which drives this fake in the tests), with Google's token
/// endpoint and metadata server beside it: instances (PROVISIONING → STAGING → RUNNING over
/// `activation`, the NAT address from `address`), zone and global operations that end after
/// `operationTime` (`wait` answers at once, as the API's may), `requestId` answered with the first operation,
/// label filters (`labels.K=V`, `labels.K = "V"`, `labels.K eq V`, in parentheses and with AND),
/// `aggregated/instances`, firewalls, zones, machine types, accelerator types; capacity as a DONE
/// operation with `ZONE_RESOURCE_POOL_EXHAUSTED` and both `httpError*` fields (the client raises
/// only then), quota as 403 `quotaExceeded`, a duplicate name as 409 `alreadyExists`. The token
/// endpoint checks the service account's RS256 JWT with its public key. Every exchange is checked
/// against the discovery document (Tests/Contracts/gce.json).
public final class FakeGCE: FakeAPI {
    public let contract: String? = "gce"

    public struct Settings: Sendable {
        public var project = "blueprint-test"
        /// A token the API takes as it is (what `GCP_ACCESS_TOKEN` or a client's static credentials send).
        public var staticToken = "ya29.fake-static-token"
        /// The service account whose JWTs the token endpoint exchanges: its email and public key (PEM).
        public var serviceAccount: (email: String, publicKeyPEM: String)?
        public var tokenLifetime = 3600
        public var activation: Duration = .milliseconds(300)
        public var operationTime: Duration = .milliseconds(150)
        /// The NAT address of the n-th instance (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        /// `zone/machineType` pairs whose inserts end in `ZONE_RESOURCE_POOL_EXHAUSTED`.
        public var exhausted: Set<String> = []
        /// vCPUs the project may run per region.
        public var cpuQuota = 64

        public init() {}
    }

    struct Server {
        var id: String
        var name: String
        var zone: String
        var machine: String
        var labels: [String: String]
        var metadata: [String: String]
        var tags: [String]
        var accelerators: Int
        var spot: Bool
        var image: String
        var diskGB: String?
        var createdAt: ContinuousClock.Instant
        var created: Date
        var ordinal: Int
    }

    struct Operation {
        var name: String
        var zone: String?
        var type: String
        var target: String
        var requestID: String?
        var started: ContinuousClock.Instant
        var inserted: Date
        var error: (code: String, message: String, status: Int, text: String)?
        /// What happens when it ends.
        var effect: @Sendable (inout State) -> Void
        var done = false
    }

    struct Firewall: @unchecked Sendable {
        var name: String
        var body: [String: Any]
        var created: Date
    }

    struct State: @unchecked Sendable {
        var servers: [String: Server] = [:]
        var operations: [String: Operation] = [:]
        var requests: [String: String] = [:]
        var firewalls: [String: Firewall] = [:]
        var tokens: Set<String> = []
        var made = 0
        var opCount = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let zones = [("us-central1-a", "us-central1"), ("us-central1-b", "us-central1"), ("us-east1-b", "us-east1"), ("europe-west4-a", "europe-west4")]
    static let machines: [(name: String, cpus: Int, memoryMb: Int, gpu: (String, Int)?)] = [
        ("e2-small", 2, 2048, nil), ("e2-medium", 2, 4096, nil), ("e2-standard-4", 4, 16384, nil), ("n1-standard-8", 8, 30720, nil),
        ("g2-standard-4", 4, 16384, ("nvidia-l4", 1)),
    ]
    static let accelerators = [("nvidia-tesla-t4", ["us-central1-a", "us-central1-b", "us-east1-b"]), ("nvidia-l4", ["us-central1-a", "europe-west4-a"])]
    static let insertFields: Set<String> = [
        "name", "machineType", "disks", "networkInterfaces", "metadata", "labels", "tags", "guestAccelerators", "scheduling", "description", "serviceAccounts",
        "minCpuPlatform", "shieldedInstanceConfig", "canIpForward", "deletionProtection",
    ]

    static var nameRule: Regex<Substring> { /[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?/ }
    static var labelKey: Regex<Substring> { /[a-z][a-z0-9_-]{0,62}/ }
    static var labelValue: Regex<Substring> { /[a-z0-9_-]{0,63}/ }

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        if request.method == "POST", parts == ["token"] { return token(request, baseURL: baseURL) }
        if parts == ["v1", "services", "6F81-5844-456A", "skus"] { return skus(request) }
        if parts.starts(with: ["computeMetadata", "v1"]) { return metadata(request, Array(parts.dropFirst(2))) }
        guard let header = request.header("Authorization"), header.hasPrefix("Bearer "),
            state.withLock({ $0.tokens.contains(String(header.dropFirst(7))) }) || header == "Bearer \(settings.staticToken)"
        else {
            return Self.error(401, "required", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
        }
        guard parts.count >= 4, parts[0] == "compute", parts[1] == "v1", parts[2] == "projects" else { return Self.error(404, "notFound", "Not Found") }
        guard parts[3] == settings.project else { return Self.error(403, "forbidden", "Required 'compute.instances.list' permission for 'projects/\(parts[3])'") }
        let rest = Array(parts.dropFirst(4))
        return answer(request, rest, baseURL: baseURL)
    }

    private func answer(_ request: FakeRequest, _ rest: [String], baseURL: String) -> FakeResponse {
        let link = "\(baseURL)/compute/v1/projects/\(settings.project)"
        switch (request.method, rest.count, rest.first ?? "") {
        case ("GET", 1, "zones"):
            return .json(200, ["kind": "compute#zoneList", "items": Self.zones.map { ["kind": "compute#zone", "name": $0.0, "status": "UP", "region": "\(link)/regions/\($0.1)", "selfLink": "\(link)/zones/\($0.0)"] }])
        case ("GET", 2, "aggregated") where rest[1] == "machineTypes":
            var items: [String: Any] = [:]
            for zone in Self.zones.map(\.0) {
                items["zones/\(zone)"] = ["machineTypes": Self.machines.filter { machine in machine.gpu.map { gpu in Self.accelerators.contains { $0.0 == gpu.0 && $0.1.contains(zone) } } ?? true }
                    .map { machineObject($0, zone: zone, link: link) }]
            }
            return .json(200, ["kind": "compute#machineTypeAggregatedList", "items": items, "selfLink": "\(link)/aggregated/machineTypes"])
        case ("GET", 2, "aggregated") where rest[1] == "instances":
            let filter = request.query["filter"]
            let scopes = state.withLock { state in
                Dictionary(grouping: state.servers.values.filter { Self.matches(filter, $0.labels, name: $0.name) }.sorted { $0.ordinal < $1.ordinal }, by: \.zone)
                    .mapValues { servers in ["instances": servers.map { object($0, link: link) }] as [String: Any] }
            }
            var items: [String: Any] = [:]
            for zone in Self.zones.map(\.0) {
                items["zones/\(zone)"] = scopes[zone] ?? ["warning": ["code": "NO_RESULTS_ON_PAGE", "message": "There are no results for scope 'zones/\(zone)' on this page.", "data": [["key": "scope", "value": "zones/\(zone)"]]]]
            }
            return .json(200, ["kind": "compute#instanceAggregatedList", "items": items, "selfLink": "\(link)/aggregated/instances"])
        case (_, _, "zones") where rest.count >= 3:
            let zone = rest[1]
            guard Self.zones.contains(where: { $0.0 == zone }) else { return Self.error(404, "notFound", "The resource 'projects/\(settings.project)/zones/\(zone)' was not found") }
            return zonal(request, zone: zone, Array(rest.dropFirst(2)), link: link)
        case (_, _, "global") where rest.count >= 2:
            return global(request, Array(rest.dropFirst()), link: link)
        default:
            return Self.error(404, "notFound", "Not Found")
        }
    }

    private func zonal(_ request: FakeRequest, zone: String, _ rest: [String], link: String) -> FakeResponse {
        switch (request.method, rest.count, rest[0]) {
        case ("POST", 1, "instances"):
            return insert(request, zone: zone, link: link)
        case ("GET", 1, "instances"):
            let filter = request.query["filter"]
            let items = state.withLock { state in
                state.servers.values.filter { $0.zone == zone && Self.matches(filter, $0.labels, name: $0.name) }.sorted { $0.ordinal < $1.ordinal }.map { object($0, link: link) }
            }
            return .json(200, ["kind": "compute#instanceList", "items": items, "selfLink": "\(link)/zones/\(zone)/instances"])
        case ("GET", 2, "instances"):
            return state.withLock { state in
                settle(&state)
                guard let server = state.servers["\(zone)/\(rest[1])"] else { return notFound("zones/\(zone)/instances/\(rest[1])") }
                return .json(200, object(server, link: link))
            }
        case ("DELETE", 2, "instances"):
            let name = rest[1]
            return state.withLock { state in
                settle(&state)
                guard state.servers["\(zone)/\(name)"] != nil else { return notFound("zones/\(zone)/instances/\(name)") }
                return .json(200, operation(&state, zone: zone, type: "delete", target: "\(link)/zones/\(zone)/instances/\(name)", requestID: request.query["requestId"], link: link) { state in
                    state.servers["\(zone)/\(name)"] = nil
                })
            }
        case ("GET", 2, "operations"), ("POST", 3, "operations"):
            if rest.count == 3 && rest[2] != "wait" { return Self.error(404, "notFound", "Not Found") }
            return awaitOperation(rest[1], zone: zone, wait: rest.count == 3, link: link)
        case ("GET", 1, "machineTypes"):
            return .json(200, ["kind": "compute#machineTypeList", "items": Self.machines.map { machineObject($0, zone: zone, link: link) }])
        case ("GET", 1, "acceleratorTypes"):
            return .json(200, ["kind": "compute#acceleratorTypeList", "items": Self.accelerators.filter { $0.1.contains(zone) }.map {
                ["kind": "compute#acceleratorType", "name": $0.0, "description": $0.0, "zone": "\(link)/zones/\(zone)", "maximumCardsPerInstance": 4]
            }])
        default:
            return Self.error(404, "notFound", "Not Found")
        }
    }

    private func global(_ request: FakeRequest, _ rest: [String], link: String) -> FakeResponse {
        switch (request.method, rest.count, rest[0]) {
        case ("POST", 1, "firewalls"):
            guard let body = request.json, let name = body["name"] as? String, name.wholeMatch(of: Self.nameRule) != nil,
                let sources = body["sourceRanges"] as? [String], !sources.isEmpty, let allowed = body["allowed"] as? [[String: Any]],
                allowed.allSatisfy({ $0["IPProtocol"] is String })
            else { return Self.error(400, "invalid", "Invalid value for field 'resource': name, sourceRanges and allowed[].IPProtocol are required") }
            guard Set(sources.map { $0.contains(":") }).count == 1 else { return Self.error(400, "invalid", "Invalid value for field 'resource.sourceRanges': IPv4 and IPv6 ranges cannot be mixed") }
            return state.withLock { state in
                settle(&state)
                if let id = request.query["requestId"], let op = state.requests[id], let known = state.operations[op] { return .json(200, operationObject(known, link: link)) }
                if state.firewalls[name] != nil { return Self.error(409, "alreadyExists", "The resource 'projects/\(settings.project)/global/firewalls/\(name)' already exists") }
                let made = Firewall(name: name, body: body, created: Date())
                return .json(200, operation(&state, zone: nil, type: "insert", target: "\(link)/global/firewalls/\(name)", requestID: request.query["requestId"], link: link) { state in
                    state.firewalls[name] = made
                })
            }
        case ("GET", 2, "firewalls"):
            return state.withLock { state in
                settle(&state)
                guard let wall = state.firewalls[rest[1]] else { return notFound("global/firewalls/\(rest[1])") }
                return .json(200, wall.body.merging(["kind": "compute#firewall", "id": "7", "creationTimestamp": FakeTime.iso8601(wall.created), "selfLink": "\(link)/global/firewalls/\(wall.name)"]) { $1 })
            }
        case ("DELETE", 2, "firewalls"):
            let name = rest[1]
            return state.withLock { state in
                settle(&state)
                guard state.firewalls[name] != nil else { return notFound("global/firewalls/\(name)") }
                return .json(200, operation(&state, zone: nil, type: "delete", target: "\(link)/global/firewalls/\(name)", requestID: request.query["requestId"], link: link) { state in
                    state.firewalls[name] = nil
                })
            }
        case ("GET", 2, "operations"), ("POST", 3, "operations"):
            if rest.count == 3 && rest[2] != "wait" { return Self.error(404, "notFound", "Not Found") }
            return awaitOperation(rest[1], zone: nil, wait: rest.count == 3, link: link)
        default:
            return Self.error(404, "notFound", "Not Found")
        }
    }

    // MARK: Test hooks

    /// Every token issued so far stops working, as when a credential is revoked.
    public func revokeTokens() { state.withLock { $0.tokens = [] } }

    /// Instances: `zone/name` → labels.
    public var liveInstances: [String: [String: String]] { state.withLock { state in settle(&state); return state.servers.mapValues(\.labels) } }
    public var firewallNames: [String] { state.withLock { state in settle(&state); return state.firewalls.keys.sorted() } }
    public var pendingOperations: Int { state.withLock { state in settle(&state); return state.operations.values.filter { !$0.done }.count } }

    /// What an instance was created with: metadata and network tags.
    public func created(_ id: String) -> (metadata: [String: String], tags: [String], accelerators: Int, spot: Bool, image: String, diskGB: String?)? {
        state.withLock { $0.servers[id].map { ($0.metadata, $0.tags, $0.accelerators, $0.spot, $0.image, $0.diskGB) } }
    }

    public func firewall(_ name: String) -> [String: Any]? { state.withLock { $0.firewalls[name]?.body } }

    // MARK: Insert

    private func insert(_ request: FakeRequest, zone: String, link: String) -> FakeResponse {
        guard let body = request.json else { return Self.error(400, "parseError", "This API does not support parsing form-encoded input.") }
        if let unknown = Set(body.keys).subtracting(Self.insertFields).sorted().first {
            return Self.error(400, "invalid", "Invalid JSON payload received. Unknown name \"\(unknown)\" at 'instance_resource': Cannot find field.")
        }
        guard let name = body["name"] as? String, name.wholeMatch(of: Self.nameRule) != nil else {
            return Self.error(400, "invalid", "Invalid value for field 'resource.name': '\(body["name"] ?? "")'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'")
        }
        guard let machineURL = body["machineType"] as? String, machineURL.contains("zones/\(zone)/machineTypes/"),
            let machine = Self.machines.first(where: { $0.name == String(machineURL.split(separator: "/").last ?? "") })
        else { return Self.error(400, "invalid", "Invalid value for field 'resource.machineType': '\(body["machineType"] ?? "")'. Machine type does not exist in zone \(zone).") }
        let labels = body["labels"] as? [String: String] ?? [:]
        guard labels.count <= 64, labels.allSatisfy({ $0.key.wholeMatch(of: Self.labelKey) != nil && $0.value.wholeMatch(of: Self.labelValue) != nil }) else {
            return Self.error(400, "invalid", "Invalid value for field 'resource.labels': label keys and values must be lowercase letters, digits, '_' or '-'")
        }
        guard let disks = body["disks"] as? [[String: Any]], let boot = disks.first(where: { $0["boot"] as? Bool == true }),
            let parameters = boot["initializeParams"] as? [String: Any], let image = parameters["sourceImage"] as? String
        else { return Self.error(400, "invalid", "Invalid value for field 'resource.disks': a boot disk with initializeParams.sourceImage is required") }
        guard let nics = body["networkInterfaces"] as? [[String: Any]], !nics.isEmpty else {
            return Self.error(400, "invalid", "Invalid value for field 'resource.networkInterfaces': at least one network interface is required")
        }
        let items = ((body["metadata"] as? [String: Any])?["items"] as? [[String: String]]) ?? []
        let metadata = Dictionary(items.compactMap { item in item["key"].map { ($0, item["value"] ?? "") } }, uniquingKeysWith: { $1 })
        let tags = ((body["tags"] as? [String: Any])?["items"] as? [String]) ?? []
        let scheduling = body["scheduling"] as? [String: Any] ?? [:]
        let attached = (body["guestAccelerators"] as? [[String: Any]]) ?? []
        var gpus = machine.gpu?.1 ?? 0
        for accelerator in attached {
            guard let type = accelerator["acceleratorType"] as? String, type.contains("zones/\(zone)/acceleratorTypes/"),
                Self.accelerators.contains(where: { $0.0 == String(type.split(separator: "/").last ?? "") && $0.1.contains(zone) })
            else { return Self.error(400, "invalid", "Invalid value for field 'resource.guestAccelerators[0].acceleratorType': accelerator type not available in zone \(zone).") }
            gpus += (accelerator["acceleratorCount"] as? Int) ?? Int(accelerator["acceleratorCount"] as? String ?? "") ?? 0
        }
        if gpus > 0 && scheduling["onHostMaintenance"] as? String != "TERMINATE" {
            return Self.error(400, "invalid", "Instances with guest accelerators do not support live migration.")
        }
        let spot = scheduling["provisioningModel"] as? String == "SPOT"
        let region = Self.zones.first { $0.0 == zone }?.1 ?? zone
        return state.withLock { state in
            settle(&state)
            if let id = request.query["requestId"], let op = state.requests[id], let known = state.operations[op] { return .json(200, operationObject(known, link: link)) }
            if state.servers["\(zone)/\(name)"] != nil {
                return Self.error(409, "alreadyExists", "The resource 'projects/\(settings.project)/zones/\(zone)/instances/\(name)' already exists")
            }
            let used = state.servers.values.filter { server in Self.zones.contains { $0.0 == server.zone && $0.1 == region } }
                .compactMap { server in Self.machines.first { $0.name == server.machine }?.cpus }.reduce(0, +)
            if used + machine.cpus > settings.cpuQuota {
                return Self.error(403, "quotaExceeded", "Quota 'CPUS' exceeded.  Limit: \(settings.cpuQuota).0 in region \(region).", domain: "usageLimits")
            }
            let target = "\(link)/zones/\(zone)/instances/\(name)"
            if settings.exhausted.contains("\(zone)/\(machine.name)") {
                var op = Operation(name: nextOperationName(&state), zone: zone, type: "insert", target: target, requestID: request.query["requestId"], started: .now, inserted: Date(), effect: { _ in })
                op.error = ("ZONE_RESOURCE_POOL_EXHAUSTED", "The zone 'projects/\(settings.project)/zones/\(zone)' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.", 503, "SERVICE UNAVAILABLE")
                return .json(200, register(&state, op, link: link))
            }
            let server = Server(
                id: String(4_000_000_000 + state.made), name: name, zone: zone, machine: machine.name, labels: labels, metadata: metadata, tags: tags,
                accelerators: gpus, spot: spot, image: image, diskGB: parameters["diskSizeGb"] as? String, createdAt: .now, created: Date(), ordinal: state.made)
            state.made += 1
            return .json(200, operation(&state, zone: zone, type: "insert", target: target, requestID: request.query["requestId"], link: link) { state in
                var running = server
                running.createdAt = .now
                state.servers["\(zone)/\(name)"] = running
            })
        }
    }

    // MARK: Operations

    private func nextOperationName(_ state: inout State) -> String {
        state.opCount += 1
        return "operation-\(1_700_000_000_000 + state.opCount)-5f\(String(state.opCount, radix: 16))-bp-fake"
    }

    private func operation(
        _ state: inout State, zone: String?, type: String, target: String, requestID: String?, link: String, effect: @escaping @Sendable (inout State) -> Void
    ) -> [String: Any] {
        register(&state, Operation(name: nextOperationName(&state), zone: zone, type: type, target: target, requestID: requestID, started: .now, inserted: Date(), effect: effect), link: link)
    }

    private func register(_ state: inout State, _ op: Operation, link: String) -> [String: Any] {
        state.operations[op.name] = op
        if let id = op.requestID { state.requests[id] = op.name }
        return operationObject(op, link: link)
    }

    /// Ends every operation whose time has come, doing its work.
    private func settle(_ state: inout State) {
        let now = ContinuousClock.now
        for (name, op) in state.operations where !op.done && now - op.started >= settings.operationTime {
            op.effect(&state)
            state.operations[name]?.done = true
        }
    }

    /// `get`, and `wait` — which answers at once, done or not (the API's wait may return early;
    /// a fake that held the answer would hold the server's thread).
    private func awaitOperation(_ name: String, zone: String?, wait: Bool, link: String) -> FakeResponse {
        state.withLock { state in
            settle(&state)
            guard let op = state.operations[name], op.zone == zone else { return notFound("\(zone.map { "zones/\($0)" } ?? "global")/operations/\(name)") }
            return .json(200, operationObject(op, link: link))
        }
    }

    private func operationObject(_ op: Operation, link: String) -> [String: Any] {
        let done = op.done || ContinuousClock.now - op.started >= settings.operationTime
        var object: [String: Any] = [
            "kind": "compute#operation", "id": String(8_000_000_000 + (Int(op.name.split(separator: "-")[1]) ?? 0) % 1_000_000), "name": op.name,
            "operationType": op.type, "targetLink": op.target, "status": done ? "DONE" : "RUNNING", "progress": done ? 100 : 0, "user": "blueprint@\(settings.project).iam.gserviceaccount.com",
            "insertTime": FakeTime.iso8601(op.inserted), "startTime": FakeTime.iso8601(op.inserted),
            "selfLink": "\(link)/\(op.zone.map { "zones/\($0)" } ?? "global")/operations/\(op.name)",
        ]
        if let zone = op.zone { object["zone"] = "\(link)/zones/\(zone)" }
        if let id = op.requestID { object["clientOperationId"] = id }
        if done { object["endTime"] = FakeTime.iso8601(op.inserted) }
        if done, let error = op.error {
            object["error"] = ["errors": [["code": error.code, "message": error.message]]]
            object["httpErrorStatusCode"] = error.status
            object["httpErrorMessage"] = error.text
        }
        return object
    }

    // MARK: Objects

    private func object(_ server: Server, link: String) -> [String: Any] {
        let age = ContinuousClock.now - server.createdAt
        let status = age < settings.activation / 2 ? "PROVISIONING" : age < settings.activation ? "STAGING" : "RUNNING"
        var access: [String: Any] = ["kind": "compute#accessConfig", "type": "ONE_TO_ONE_NAT", "name": "External NAT", "networkTier": "PREMIUM"]
        if status == "RUNNING" { access["natIP"] = settings.address(server.ordinal) }
        return [
            "kind": "compute#instance", "id": server.id, "name": server.name, "zone": "\(link)/zones/\(server.zone)", "status": status,
            "machineType": "\(link)/zones/\(server.zone)/machineTypes/\(server.machine)", "creationTimestamp": FakeTime.iso8601(server.created),
            "networkInterfaces": [["kind": "compute#networkInterface", "name": "nic0", "network": "\(link)/global/networks/default",
                "networkIP": "10.128.0.\(2 + server.ordinal % 250)", "accessConfigs": [access]]],
            "labels": server.labels, "labelFingerprint": "42WmSpB8rSM=", "tags": ["items": server.tags, "fingerprint": "6smc4R4d39I="],
            "metadata": ["kind": "compute#metadata", "fingerprint": "Ng3u1wXgHJg=", "items": server.metadata.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] }],
            "scheduling": ["provisioningModel": server.spot ? "SPOT" : "STANDARD", "onHostMaintenance": server.accelerators > 0 || server.spot ? "TERMINATE" : "MIGRATE",
                "automaticRestart": !server.spot],
            "selfLink": "\(link)/zones/\(server.zone)/instances/\(server.name)",
        ]
    }

    private func machineObject(_ machine: (name: String, cpus: Int, memoryMb: Int, gpu: (String, Int)?), zone: String, link: String) -> [String: Any] {
        var item: [String: Any] = [
            "kind": "compute#machineType", "id": "901\(machine.cpus)", "name": machine.name, "description": "\(machine.cpus) vCPUs, \(machine.memoryMb / 1024) GB RAM",
            "guestCpus": machine.cpus, "memoryMb": machine.memoryMb, "zone": zone, "architecture": "X86_64",
            "isSharedCpu": machine.name.hasPrefix("e2-") && machine.cpus <= 2, "selfLink": "\(link)/zones/\(zone)/machineTypes/\(machine.name)",
        ]
        if let gpu = machine.gpu { item["accelerators"] = [["guestAcceleratorType": gpu.0, "guestAcceleratorCount": gpu.1]] }
        return item
    }

    /// The Cloud Billing catalog's Compute Engine SKUs this fake's machines are priced by
    /// (list prices per vCPU-hour, GiB-hour and GPU-hour; Preemptible for spot).
    static let prices: [(description: String, group: String, onDemand: Double, spot: Double)] = [
        ("E2 Instance Core", "CPU", 0.021811, 0.006543), ("E2 Instance Ram", "RAM", 0.002923, 0.000877),
        ("N1 Predefined Instance Core", "CPU", 0.031611, 0.006655), ("N1 Predefined Instance Ram", "RAM", 0.004237, 0.000892),
        ("G2 Instance Core", "CPU", 0.02469, 0.00741), ("G2 Instance Ram", "RAM", 0.00289, 0.000867),
        ("Nvidia L4 GPU", "GPU", 0.56, 0.168), ("Nvidia Tesla T4 GPU", "GPU", 0.35, 0.105),
    ]

    private func skus(_ request: FakeRequest) -> FakeResponse {
        let authorized = request.header("Authorization").map { header in
            header == "Bearer \(settings.staticToken)" || state.withLock { $0.tokens.contains(String(header.dropFirst(7))) }
        } ?? false
        guard authorized || request.query["key"] != nil else { return Self.error(403, "forbidden", "The request is missing a valid API key.") }
        var skus: [[String: Any]] = []
        for (index, price) in Self.prices.enumerated() {
            for (usage, value) in [("OnDemand", price.onDemand), ("Preemptible", price.spot)] {
                let units = Int(value)
                skus.append([
                    "name": "services/6F81-5844-456A/skus/F\(index)\(usage.prefix(1))", "skuId": "F\(index)\(usage.prefix(1))",
                    "description": "\(usage == "Preemptible" ? "Spot Preemptible " : "")\(price.description) running in Americas",
                    "category": ["serviceDisplayName": "Compute Engine", "resourceFamily": "Compute", "resourceGroup": price.group, "usageType": usage],
                    "serviceRegions": ["us-central1", "us-east1", "europe-west4"],
                    "pricingInfo": [["summary": "", "pricingExpression": [
                        "usageUnit": price.group == "RAM" ? "GiBy.h" : "h", "baseUnitConversionFactor": 3600, "displayQuantity": 1,
                        "tieredRates": [["startUsageAmount": 0, "unitPrice": ["currencyCode": "USD", "units": String(units), "nanos": Int(((value - Double(units)) * 1e9).rounded())]]],
                    ] as [String: Any], "currencyConversionRate": 1, "effectiveTime": "2026-11-01T00:00:00Z"]],
                    "serviceProviderName": "Google",
                ])
            }
        }
        return .json(200, ["skus": skus])
    }

    /// `labels.K=V`, `labels.K = "V"`, `labels.K eq V`, several in parentheses or joined by AND.
    static func matches(_ filter: String?, _ labels: [String: String], name: String = "") -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        let terms = filter.replacingOccurrences(of: ") (", with: ")AND(").replacingOccurrences(of: " AND ", with: "AND")
            .components(separatedBy: "AND").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "() ")) }
        return terms.allSatisfy { term in
            if let match = term.wholeMatch(of: /name\s*(?:=|eq)\s*"?([^"]*)"?/) { return name == String(match.1).trimmingCharacters(in: .whitespaces) }
            guard let match = term.wholeMatch(of: /labels\.([a-z0-9_-]+)\s*(?:=|eq)\s*"?([^"]*)"?/) else { return false }
            return labels[String(match.1)] == String(match.2).trimmingCharacters(in: .whitespaces)
        }
    }

    // MARK: Google's token endpoint and metadata server

    private func token(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        let form = CloudFake<FakeGCE>.decodeQuery(String(decoding: request.body, as: UTF8.self))
        guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer", let assertion = form["assertion"], let account = settings.serviceAccount else {
            return .json(400, ["error": "unsupported_grant_type", "error_description": "Invalid grant_type"])
        }
        guard Self.verify(assertion, email: account.email, publicKeyPEM: account.publicKeyPEM, audience: "\(baseURL)/token") else {
            return .json(400, ["error": "invalid_grant", "error_description": "Invalid JWT Signature."])
        }
        return issue()
    }

    private func metadata(_ request: FakeRequest, _ rest: [String]) -> FakeResponse {
        guard request.header("Metadata-Flavor") == "Google" else { return FakeResponse(status: 403, body: "Missing Metadata-Flavor:Google header.") }
        switch rest {
        case ["instance", "service-accounts", "default", "token"]: return issue()
        case ["project", "project-id"]: return FakeResponse(status: 200, headers: [("Content-Type", "application/text"), ("Metadata-Flavor", "Google")], body: settings.project)
        default: return FakeResponse(status: 404, body: "Not Found")
        }
    }

    private func issue() -> FakeResponse {
        let token = "ya29.fake-" + UUID().uuidString.lowercased()
        state.withLock { _ = $0.tokens.insert(token) }
        return .json(200, ["access_token": token, "expires_in": settings.tokenLifetime, "token_type": "Bearer"])
    }

    /// An RS256 JWT of `email`, for Google's token endpoint, within its hour.
    /// `aud` must name this token endpoint and `scope` a scope Compute Engine takes, as Google checks.
    static func verify(_ jwt: String, email: String, publicKeyPEM: String, audience: String) -> Bool {
        let parts = jwt.split(separator: ".").map(String.init)
        guard parts.count == 3, let header = decode(parts[0]), let claims = decode(parts[1]), let signature = base64URL(parts[2]),
            let key = try? _RSA.Signing.PublicKey(pemRepresentation: publicKeyPEM)
        else { return false }
        let now = Int(Date().timeIntervalSince1970)
        guard header["alg"] as? String == "RS256", claims["iss"] as? String == email,
            let scope = claims["scope"] as? String, scope.split(separator: " ").contains(where: { Self.scopes.contains(String($0)) }),
            let aud = claims["aud"] as? String, Self.sameEndpoint(aud, audience),
            let iat = claims["iat"] as? Int, let exp = claims["exp"] as? Int, iat <= now + 60, exp > now, exp - iat <= 3600
        else { return false }
        return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: Data("\(parts[0]).\(parts[1])".utf8), padding: .insecurePKCS1v1_5)
    }

    static let scopes: Set<String> = ["https://www.googleapis.com/auth/cloud-platform", "https://www.googleapis.com/auth/compute"]

    /// Scheme, port and path compared; the host may be spelled `localhost` or `127.0.0.1`.
    static func sameEndpoint(_ one: String, _ other: String) -> Bool {
        guard let a = URLComponents(string: one), let b = URLComponents(string: other) else { return false }
        return a.scheme == b.scheme && a.port == b.port && a.path == b.path
    }

    static func base64URL(_ text: String) -> Data? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base)
    }

    static func decode(_ part: String) -> [String: Any]? {
        base64URL(part).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    private func notFound(_ resource: String) -> FakeResponse {
        Self.error(404, "notFound", "The resource 'projects/\(settings.project)/\(resource)' was not found")
    }

    public static func error(_ status: Int, _ reason: String, _ message: String, domain: String = "global") -> FakeResponse {
        .json(status, ["error": ["code": status, "message": message, "errors": [["message": message, "domain": domain, "reason": reason]]]])
    }
}
