import Foundation
import Synchronization

/// Lambda Cloud's API v1 as its published document (1.8.3) describes it, through the two clients
/// generated from it (`lambda-cloud-api-client`, `lambda-ai-cloud-api-client`), which drive this
/// fake in the tests and parse every answer with their models: instances (booting → active over
/// `activation`, terminating → gone over `deletion`, `preempt` ends one), instance types with the
/// regions that have capacity, SSH keys, firewall rulesets (refused deletion while an instance
/// holds one), tags; launches refused with 429 when sooner than `launchInterval` after the last;
/// errors as `{"error": {"code", "message", "suggestion"}}` with the documented codes. Request
/// fields the document does not declare are refused with `global/invalid-parameters`.
/// Deviations: a key added without `public_key` is refused (Lambda would generate one).
public final class FakeLambda: FakeAPI {
    public let contract: String? = nil

    public struct Settings: Sendable {
        public var apiKey = "secret_fake_0123456789abcdef0123456789abcdef.fakefakefakefakefakefakefakefake"
        public var activation: Duration = .milliseconds(300)
        public var deletion: Duration = .milliseconds(300)
        /// The public address of the n-th instance (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        public var instanceLimit = 25
        /// The regions with capacity for each type now; a type not named has none anywhere.
        public var capacity: [String: Set<String>] = [
            "gpu_1x_a10": ["us-east-1", "us-west-1"], "gpu_1x_h100_pcie": ["us-west-1"], "gpu_8x_h100_sxm5": ["us-east-1"],
            "gpu_1x_gh200": ["us-east-3"],
        ]
        /// The least time between two launches (the API's is 12 s); `.zero` takes any pace.
        public var launchInterval: Duration = .zero

        public init() {}
    }

    struct Server {
        var id: String
        var name: String?
        var type: String
        var region: String
        var key: String
        var tags: [[String: String]]
        var rulesets: [String]
        var hostname: String?
        var createdAt: ContinuousClock.Instant
        var terminatedAt: ContinuousClock.Instant?
        var preempted = false
        var ordinal: Int
    }

    struct Ruleset {
        var id: String
        var name: String
        var region: String
        var rules: [[String: Any]]
        var created: Date
    }

    struct State: @unchecked Sendable {
        var servers: [String: Server] = [:]
        var keys: [(id: String, name: String, key: String)] = []
        var rulesets: [Ruleset] = []
        var made = 0
        var lastLaunch: ContinuousClock.Instant?
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let types: [(name: String, gpu: String, cents: Int, vcpus: Int, memory: Int, storage: Int, gpus: Int)] = [
        ("gpu_1x_a10", "A10 (24 GB PCIe)", 75, 30, 200, 1400, 1), ("gpu_1x_h100_pcie", "H100 (80 GB PCIe)", 249, 26, 225, 1024, 1),
        ("gpu_8x_h100_sxm5", "H100 (80 GB SXM5)", 2392, 208, 1800, 22528, 8), ("gpu_1x_gh200", "GH200 (96 GB)", 149, 64, 432, 4096, 1),
    ]
    static let regions = [
        "us-east-1": "Virginia, USA", "us-east-3": "Washington DC, USA", "us-west-1": "California, USA", "europe-central-1": "Germany",
    ]
    static let launchFields: Set<String> = [
        "region_name", "instance_type_name", "ssh_key_names", "file_system_names", "file_system_mounts", "hostname", "name", "image", "user_data",
        "tags", "firewall_rulesets", "quantity",
    ]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        guard authorized(request) else {
            return Self.error(401, "global/invalid-api-key", "API key was invalid, expired, or deleted.", "Check your API key or create a new one, then try again.")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v1" else { return Self.notFound }
        let rest = Array(parts.dropFirst(2))
        switch (request.method, rest.count, rest[0]) {
        case ("GET", 1, "instances"):
            return .json(200, ["data": state.withLock { state in prune(&state); return state.servers.values.sorted { $0.ordinal < $1.ordinal }.map { object($0) } }])
        case ("GET", 2, "instances"):
            return state.withLock { state in
                prune(&state)
                guard let server = state.servers[rest[1]] else { return Self.instanceNotFound }
                return .json(200, ["data": object(server)])
            }
        case ("POST", 2, "instance-operations") where rest[1] == "launch":
            return launch(request)
        case ("POST", 2, "instance-operations") where rest[1] == "terminate":
            return terminate(request)
        case ("GET", 1, "instance-types"):
            return .json(200, ["data": Dictionary(uniqueKeysWithValues: Self.types.map { type in
                (type.name, ["instance_type": Self.typeObject(type.name), "regions_with_capacity_available": (settings.capacity[type.name] ?? []).sorted().map(Self.regionObject)] as [String: Any])
            })])
        case ("GET", 1, "ssh-keys"):
            return .json(200, ["data": state.withLock { $0.keys.map { ["id": $0.id, "name": $0.name, "public_key": $0.key] } }])
        case ("POST", 1, "ssh-keys"):
            guard let body = request.json, let name = body["name"] as? String, !name.isEmpty, Set(body.keys).isSubset(of: ["name", "public_key"]) else {
                return Self.invalid("name is required")
            }
            guard let key = body["public_key"] as? String, key.split(separator: " ").count >= 2 else {
                return Self.invalid("public_key: this fake does not generate keys")
            }
            return state.withLock { state in
                if state.keys.contains(where: { $0.name == name }) { return Self.invalid("An SSH key with this name already exists.") }
                let id = Self.hexID()
                state.keys.append((id, name, key))
                return .json(200, ["data": ["id": id, "name": name, "public_key": key]])
            }
        case ("DELETE", 2, "ssh-keys"):
            return state.withLock { state in
                guard let index = state.keys.firstIndex(where: { $0.id == rest[1] }) else { return Self.invalid("Specified SSH key does not exist.") }
                state.keys.remove(at: index)
                return .json(200, ["data": [String: Any]()])
            }
        case ("GET", 1, "firewall-rulesets"):
            return .json(200, ["data": state.withLock { state in prune(&state); return state.rulesets.map { rulesetObject($0, state) } }])
        case ("POST", 1, "firewall-rulesets"):
            return createRuleset(request)
        case ("DELETE", 2, "firewall-rulesets"):
            return state.withLock { state in
                prune(&state)
                guard let index = state.rulesets.firstIndex(where: { $0.id == rest[1] }) else {
                    return Self.error(404, "global/object-does-not-exist", "Firewall ruleset not found.")
                }
                if state.servers.values.contains(where: { $0.rulesets.contains(rest[1]) }) {
                    return Self.error(
                        400, "firewall-rulesets/firewall-ruleset-in-use", "Firewall ruleset is in use by one or more instances.",
                        "Terminate all instances that are using the ruleset before deleting it.")
                }
                state.rulesets.remove(at: index)
                return .json(200, ["data": [String: Any]()])
            }
        default:
            return Self.notFound
        }
    }

    /// Bearer, or Basic with the key as user name and no password (`curl -u KEY:`).
    private func authorized(_ request: FakeRequest) -> Bool {
        guard let header = request.header("Authorization") else { return false }
        if header == "Bearer \(settings.apiKey)" { return true }
        guard header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst(6))) else { return false }
        return String(decoding: data, as: UTF8.self) == "\(settings.apiKey):"
    }

    // MARK: Test hooks

    /// Live instances (not yet gone): id → tags.
    public var liveInstances: [String: [String: String]] {
        state.withLock { state in
            prune(&state)
            return state.servers.mapValues { Dictionary($0.tags.compactMap { tag in tag["key"].map { ($0, tag["value"] ?? "") } }, uniquingKeysWith: { a, _ in a }) }
        }
    }

    public var rulesetNames: [String] { state.withLock { $0.rulesets.map(\.name) } }
    public var keyCount: Int { state.withLock { $0.keys.count } }

    /// The rules of the ruleset `name`, as `tcp 22 from 198.51.100.0/24`.
    public func rules(of name: String) -> [String] {
        state.withLock { state in
            (state.rulesets.first { $0.name == name }?.rules ?? []).map { rule in
                let range = (rule["port_range"] as? [Int]).map { " \($0[0])" + ($0[0] == $0[1] ? "" : "-\($0[1])") } ?? ""
                return "\(rule["protocol"] as? String ?? "") \(range.dropFirst()) from \(rule["source_network"] as? String ?? "")"
            }
        }
    }

    /// Ends an instance as Lambda ends a preempted one: status `preempted`, then gone.
    public func preempt(_ id: String) {
        state.withLock { state in
            state.servers[id]?.preempted = true
            state.servers[id]?.terminatedAt = .now
        }
    }

    /// Ends every terminating instance now.
    public func finishTerminations() {
        state.withLock { state in
            state.servers = state.servers.filter { $0.value.terminatedAt == nil }
        }
    }

    // MARK: Launch, terminate

    private func launch(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json else { return Self.invalid("Request body must be JSON.") }
        if let unknown = Set(body.keys).subtracting(Self.launchFields).sorted().first { return Self.invalid("\(unknown): unknown field") }
        guard let region = body["region_name"] as? String, let type = body["instance_type_name"] as? String, let keys = body["ssh_key_names"] as? [String]
        else { return Self.invalid("region_name, instance_type_name and ssh_key_names are required") }
        guard keys.count == 1 else { return Self.invalid("ssh_key_names: exactly one SSH key must be specified") }
        guard Self.regions[region] != nil else { return Self.invalid("region_name: unknown region \(region)") }
        let quantity = body["quantity"] as? Int ?? 1
        guard (1...1).contains(quantity) else { return Self.invalid("quantity: must be 1") }
        let name = body["name"] as? String
        if let name, name.count > 64 { return Self.invalid("name: must be 64 characters or fewer") }
        let tags = body["tags"] as? [[String: String]] ?? []
        guard body["tags"] == nil || (body["tags"] as? [[String: String]]).map({ $0.allSatisfy { Set($0.keys) == ["key", "value"] } }) == true else {
            return Self.invalid("tags: each tag is {key, value}")
        }
        let wanted = (body["firewall_rulesets"] as? [[String: String]] ?? []).compactMap { $0["id"] }
        if let image = body["image"] {
            guard let spec = image as? [String: String], spec.count == 1, spec["family"] != nil || spec["id"] != nil else {
                return Self.invalid("image: one of family or id")
            }
        }
        return state.withLock { state in
            prune(&state)
            let now = ContinuousClock.now
            if let last = state.lastLaunch, now - last < settings.launchInterval {
                return Self.error(429, "global/unknown", "Too many requests: launches are limited to one per 12 seconds.", "Wait, then try again.")
            }
            guard Self.types.contains(where: { $0.name == type }) else {
                return Self.error(404, "global/object-does-not-exist", "Instance type \(type) does not exist.", "Check the instance type name.")
            }
            guard state.keys.contains(where: { $0.name == keys[0] }) else {
                return Self.error(404, "global/object-does-not-exist", "SSH key \(keys[0]) does not exist.", "Add the SSH key first.")
            }
            for id in wanted {
                guard let ruleset = state.rulesets.first(where: { $0.id == id }) else {
                    return Self.error(404, "global/object-does-not-exist", "Firewall ruleset \(id) does not exist.", "Create the ruleset first.")
                }
                guard ruleset.region == region else { return Self.invalid("firewall_rulesets: \(id) is not in \(region)") }
            }
            guard settings.capacity[type]?.contains(region) == true else {
                return Self.error(
                    400, "instance-operations/launch/insufficient-capacity", "Not enough capacity to fulfill launch request.",
                    "Try a different region or instance type.")
            }
            guard state.servers.values.filter({ $0.terminatedAt == nil }).count < settings.instanceLimit else {
                return Self.error(400, "global/quota-exceeded", "Quota exceeded.", "Contact Support to increase your quota.")
            }
            state.lastLaunch = now
            let id = Self.hexID()
            state.servers[id] = Server(
                id: id, name: name, type: type, region: region, key: keys[0], tags: tags, rulesets: wanted, hostname: body["hostname"] as? String,
                createdAt: now, ordinal: state.made)
            state.made += 1
            return .json(200, ["data": ["instance_ids": [id]]])
        }
    }

    private func terminate(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let ids = body["instance_ids"] as? [String], !ids.isEmpty, body.count == 1 else {
            return Self.invalid("instance_ids is required")
        }
        return state.withLock { state in
            prune(&state)
            guard ids.allSatisfy({ state.servers[$0] != nil }) else { return Self.instanceNotFound }
            for id in ids where state.servers[id]?.terminatedAt == nil { state.servers[id]?.terminatedAt = .now }
            return .json(200, ["data": ["terminated_instances": ids.compactMap { state.servers[$0].map { object($0) } }]])
        }
    }

    private func createRuleset(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, Set(body.keys) == ["name", "region", "rules"], let name = body["name"] as? String, let region = body["region"] as? String,
            let rules = body["rules"] as? [[String: Any]]
        else { return Self.invalid("name, region and rules are required") }
        guard Self.regions[region] != nil else { return Self.invalid("region: unknown region \(region)") }
        for rule in rules {
            guard let proto = rule["protocol"] as? String, ["tcp", "udp", "icmp", "all"].contains(proto), let source = rule["source_network"] as? String,
                source.contains("/"), !source.contains(":"), rule["description"] is String,
                Set(rule.keys).isSubset(of: ["protocol", "port_range", "source_network", "description"])
            else { return Self.invalid("rules: protocol, source_network (an IPv4 CIDR) and description are required") }
            if proto == "tcp" || proto == "udp" {
                guard let range = rule["port_range"] as? [Int], range.count == 2, range[0] >= 1, range[0] <= range[1], range[1] <= 65535 else {
                    return Self.invalid("rules: port_range [min, max] is required for tcp and udp")
                }
            }
        }
        return state.withLock { state in
            let ruleset = Ruleset(id: Self.hexID(), name: name, region: region, rules: rules, created: Date())
            state.rulesets.append(ruleset)
            return .json(200, ["data": rulesetObject(ruleset, state)])
        }
    }

    // MARK: Objects

    /// Drops instances whose termination has run its course.
    private func prune(_ state: inout State) {
        let now = ContinuousClock.now
        state.servers = state.servers.filter { $0.value.terminatedAt.map { now - $0 < settings.deletion } ?? true }
    }

    private func status(_ server: Server) -> String {
        if server.preempted { return "preempted" }
        if server.terminatedAt != nil { return "terminating" }
        return ContinuousClock.now - server.createdAt < settings.activation ? "booting" : "active"
    }

    private func object(_ server: Server) -> [String: Any] {
        let status = status(server)
        let launched = status != "booting"
        let action: [String: Any] = launched ? ["available": status == "active"] : ["available": false, "reason_code": "vm-has-not-launched", "reason_description": "The instance has not launched yet."]
        var object: [String: Any] = [
            "id": server.id, "status": status, "ssh_key_names": [server.key], "file_system_names": [String](),
            "region": Self.regionObject(server.region), "instance_type": Self.typeObject(server.type), "tags": server.tags,
            "firewall_rulesets": server.rulesets.map { ["id": $0] },
            "actions": ["migrate": ["available": false, "reason_code": "vm-is-too-old", "reason_description": "Migration is not offered."], "rebuild": action, "restart": action,
                        "cold_reboot": action, "terminate": ["available": status == "active" || status == "booting"]],
        ]
        if let name = server.name { object["name"] = name }
        if launched {
            let ip = settings.address(server.ordinal)
            object["ip"] = ip
            object["private_ip"] = "10.19.\(server.ordinal / 250).\(10 + server.ordinal % 250)"
            object["hostname"] = server.hostname ?? ip.replacingOccurrences(of: ".", with: "-")
        }
        return object
    }

    private func rulesetObject(_ ruleset: Ruleset, _ state: State) -> [String: Any] {
        [
            "id": ruleset.id, "name": ruleset.name, "region": Self.regionObject(ruleset.region), "rules": ruleset.rules,
            "created": FakeTime.iso8601(ruleset.created), "instance_ids": state.servers.values.filter { $0.rulesets.contains(ruleset.id) }.map(\.id).sorted(),
        ]
    }

    static func regionObject(_ name: String) -> [String: Any] { ["name": name, "description": regions[name] ?? name] }

    static func typeObject(_ name: String) -> [String: Any] {
        guard let type = types.first(where: { $0.name == name }) else { return ["name": name] }
        let count = type.gpus == 1 ? "1x" : "\(type.gpus)x"
        return [
            "name": type.name, "description": "\(count) \(type.gpu)", "gpu_description": type.gpu, "price_cents_per_hour": type.cents,
            "specs": ["vcpus": type.vcpus, "memory_gib": type.memory, "storage_gib": type.storage, "gpus": type.gpus],
        ]
    }

    static func hexID() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }

    static let notFound = error(404, "global/object-does-not-exist", "Not found.")
    static let instanceNotFound = error(404, "global/object-does-not-exist", "Specified instance does not exist.")

    static func invalid(_ message: String) -> FakeResponse {
        error(400, "global/invalid-parameters", "Invalid request data: \(message)")
    }

    public static func error(_ status: Int, _ code: String, _ message: String, _ suggestion: String? = nil) -> FakeResponse {
        var error: [String: Any] = ["code": code, "message": message]
        if let suggestion { error["suggestion"] = suggestion }
        return .json(status, ["error": error])
    }
}
