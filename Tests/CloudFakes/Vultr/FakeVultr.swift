import Foundation
import Synchronization

/// Vultr's API v2 as the document describes it (Tests/Contracts/vultr.json), for the calls the
/// driver makes: instances (pending → active after `activation`, addresses from `address`), plans,
/// regions, OS images, account, SSH keys, firewall groups and rules; cursor pages
/// (`meta.links.next`); errors as `{"error", "status"}`. Request fields the document does not
/// declare are refused with 400, as the API ignores them silently (the contract check names them).
public final class FakeVultr: FakeAPI {
    public let contract: String? = "vultr"

    public struct Settings: Sendable {
        public var apiKey = "VULTRFAKEKEY0000000000000000000000000"
        public var activation: Duration = .milliseconds(300)
        /// The public address of the n-th instance (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        public var instanceLimit = 25
        /// Plans a create is refused for ("Plan is not available in the selected region.").
        public var soldOut: Set<String> = []
        /// The most items a page holds (the API's is 500).
        public var maxPerPage = 500

        public init() {}
    }

    struct Server {
        var id: String
        var label: String
        var plan: String
        var region: String
        var osID: Int
        var tags: [String]
        var firewall: String
        var createdAt: Date
        var ordinal: Int
    }

    struct Group {
        var id: String
        var description: String
        var rules: [[String: String]]
    }

    struct State {
        var servers: [String: Server] = [:]
        var keys: [(id: String, name: String, key: String)] = []
        var groups: [Group] = []
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let regions = ["ewr", "ams", "fra"]
    static let plans: [(id: String, vcpus: Int, ram: Int, disk: Int, monthly: Double, type: String)] = [
        ("vc2-1c-1gb", 1, 1024, 25, 5, "vc2"), ("vc2-2c-4gb", 2, 4096, 80, 20, "vc2"), ("vhf-1c-1gb", 1, 1024, 32, 6, "vhf"),
    ]
    static let systems = [(1743, "Ubuntu 22.04 LTS x64"), (2284, "Ubuntu 24.04 LTS x64"), (2136, "Debian 12 x64 (bookworm)")]
    static let createFields: Set<String> = [
        "region", "plan", "os_id", "iso_id", "snapshot_id", "script_id", "image_id", "app_id", "ipxe_chain_url", "label", "hostname", "sshkey_id",
        "user_data", "backups", "enable_ipv6", "ddos_protection", "activation_email", "firewall_group_id", "reserved_ipv4", "enable_vpc",
        "attach_vpc", "tags", "tag", "enable_private_network", "attach_private_network", "user_scheme", "app_variables", "enable_vpc2",
        "attach_vpc2",
    ]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        guard request.header("Authorization") == "Bearer \(settings.apiKey)" else {
            return Self.error(401, "Invalid API token.")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.first == "v2" else { return Self.notFound }
        let rest = Array(parts.dropFirst())
        switch (request.method, rest.count, rest.first ?? "") {
        case ("GET", 1, "account"):
            return .json(200, ["account": [
                "name": "Fake", "email": "fake@example.com", "acls": ["manage_users"], "balance": -5.0, "pending_charges": 0.5,
                "last_payment_date": "2026-01-01T00:00:00+00:00", "last_payment_amount": -10.0,
            ]])
        case ("GET", 1, "plans"):
            return page(Self.plans.map { plan in
                ["id": plan.id, "vcpu_count": plan.vcpus, "ram": plan.ram, "disk": plan.disk, "disk_count": 1, "bandwidth": 1024,
                 "monthly_cost": plan.monthly, "type": plan.type, "locations": Self.regions] as [String: Any]
            }, key: "plans", request: request)
        case ("GET", 1, "regions"):
            return page(Self.regions.map { ["id": $0, "city": $0.uppercased(), "country": "US", "continent": "North America", "options": ["ddos_protection"]] }, key: "regions", request: request)
        case ("GET", 1, "os"):
            return page(Self.systems.map { ["id": $0.0, "name": $0.1, "arch": "x64", "family": $0.1.hasPrefix("Ubuntu") ? "ubuntu" : "debian"] }, key: "os", request: request)
        case ("GET", 1, "ssh-keys"):
            let keys = state.withLock { $0.keys.map { ["id": $0.id, "name": $0.name, "ssh_key": $0.key, "date_created": "2026-01-01T00:00:00+00:00"] } }
            return page(keys, key: "ssh_keys", request: request)
        case ("POST", 1, "ssh-keys"):
            guard let body = request.json, let name = body["name"] as? String, let key = body["ssh_key"] as? String else { return Self.error(400, "Invalid ssh key.") }
            let id = UUID().uuidString.lowercased()
            state.withLock { $0.keys.append((id, name, key)) }
            return .json(201, ["ssh_key": ["id": id, "name": name, "ssh_key": key, "date_created": Self.time(Date())]])
        case ("GET", 1, "firewalls"):
            let groups = state.withLock { state in state.groups.map { group in groupObject(group, instances: state.servers.values.filter { $0.firewall == group.id }.count) } }
            return page(groups, key: "firewall_groups", request: request)
        case ("POST", 1, "firewalls"):
            let id = UUID().uuidString.lowercased()
            let group = Group(id: id, description: request.json?["description"] as? String ?? "", rules: [])
            state.withLock { $0.groups.append(group) }
            return .json(201, ["firewall_group": groupObject(group, instances: 0)])
        case ("POST", 3, "firewalls") where rest[2] == "rules":
            return addRule(rest[1], request)
        case ("DELETE", 2, "firewalls"):
            return state.withLock { state in
                guard let index = state.groups.firstIndex(where: { $0.id == rest[1] }) else { return Self.notFound }
                if state.servers.values.contains(where: { $0.firewall == rest[1] }) { return Self.error(400, "Firewall group is in use by an instance.") }
                state.groups.remove(at: index)
                return FakeResponse(status: 204)
            }
        case ("POST", 1, "instances"):
            return createInstance(request)
        case ("GET", 1, "instances"):
            let label = request.query["label"]
            let all = state.withLock { $0.servers.values.filter { label == nil || $0.label == label }.sorted { $0.ordinal < $1.ordinal } }
            return page(all.map(instanceObject), key: "instances", request: request)
        case ("GET", 2, "instances"):
            return state.withLock { $0.servers[rest[1]] }.map { .json(200, ["instance": instanceObject($0)]) } ?? Self.notFound
        case ("DELETE", 2, "instances"):
            return state.withLock { $0.servers.removeValue(forKey: rest[1]) } == nil ? Self.notFound : FakeResponse(status: 204)
        default:
            return Self.notFound
        }
    }

    // MARK: What a test may look at

    public var liveInstances: [String: [String]] { state.withLock { $0.servers.mapValues(\.tags) } }
    public var firewallDescriptions: [String] { state.withLock { $0.groups.map(\.description) } }
    public var keyCount: Int { state.withLock { $0.keys.count } }
    public var firewallIDs: [String] { state.withLock { $0.groups.map(\.id) } }

    // MARK: Instances

    private func createInstance(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let region = body["region"] as? String, let plan = body["plan"] as? String else {
            return Self.error(400, "Bad request.")
        }
        if let unknown = body.keys.sorted().first(where: { !Self.createFields.contains($0) }) {
            return Self.error(400, "Unknown field \(unknown).")
        }
        guard Self.regions.contains(region) else { return Self.error(400, "Invalid region.") }
        guard Self.plans.contains(where: { $0.id == plan }) else { return Self.error(400, "Invalid plan chosen.") }
        if settings.soldOut.contains(plan) { return Self.error(400, "Plan is not available in the selected region.") }
        guard let osID = body["os_id"] as? Int, Self.systems.contains(where: { $0.0 == osID }) else { return Self.error(400, "Invalid operating system.") }
        if let userData = body["user_data"] as? String, Data(base64Encoded: userData) == nil { return Self.error(400, "user_data must be base64.") }
        let keys = body["sshkey_id"] as? [String] ?? []
        let firewall = body["firewall_group_id"] as? String ?? ""
        return state.withLock { state in
            if let unknown = keys.first(where: { key in !state.keys.contains { $0.id == key } }) { return Self.error(400, "Invalid SSH key \(unknown).") }
            if !firewall.isEmpty && !state.groups.contains(where: { $0.id == firewall }) { return Self.error(400, "Invalid firewall group.") }
            guard state.servers.count < settings.instanceLimit else { return Self.error(400, "You have reached the maximum monthly fee limit or instance limit for this account.") }
            let server = Server(
                id: UUID().uuidString.lowercased(), label: body["label"] as? String ?? "", plan: plan, region: region, osID: osID,
                tags: body["tags"] as? [String] ?? [], firewall: firewall, createdAt: Date(), ordinal: state.made)
            state.made += 1
            state.servers[server.id] = server
            var object = instanceObject(server)
            object["default_password"] = "v5{fake-password"
            return .json(202, ["instance": object])
        }
    }

    private func instanceObject(_ server: Server) -> [String: Any] {
        let active = Date().timeIntervalSince(server.createdAt) >= settings.activation.seconds
        let plan = Self.plans.first { $0.id == server.plan } ?? Self.plans[0]
        return [
            "id": server.id, "os": Self.systems.first { $0.0 == server.osID }?.1 ?? "", "os_id": server.osID, "ram": plan.ram, "disk": active ? plan.disk : 0,
            "vcpu_count": plan.vcpus, "main_ip": active ? settings.address(server.ordinal) : "0.0.0.0", "region": server.region, "plan": server.plan,
            "label": server.label, "hostname": server.label, "date_created": Self.time(server.createdAt), "status": active ? "active" : "pending",
            "power_status": "running", "server_status": active ? "ok" : "none", "allowed_bandwidth": 1000, "netmask_v4": "255.255.254.0",
            "gateway_v4": "203.0.113.1", "internal_ip": "", "kvm": "", "app_id": 0, "image_id": "", "firewall_group_id": server.firewall,
            "features": [], "tags": server.tags,
        ]
    }

    private func addRule(_ group: String, _ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let ipType = body["ip_type"] as? String, let proto = body["protocol"] as? String,
            let subnet = body["subnet"] as? String, let size = body["subnet_size"] as? Int
        else { return Self.error(400, "Bad request.") }
        return state.withLock { state in
            guard let index = state.groups.firstIndex(where: { $0.id == group }) else { return Self.notFound }
            let port = body["port"] as? String ?? ""
            state.groups[index].rules.append(["ip_type": ipType, "protocol": proto, "port": port, "subnet": subnet])
            return .json(201, ["firewall_rule": [
                "id": state.groups[index].rules.count, "ip_type": ipType, "action": "accept", "protocol": proto.lowercased(), "port": port,
                "subnet": subnet, "subnet_size": size, "source": "", "notes": body["notes"] as? String ?? "",
            ]])
        }
    }

    private func groupObject(_ group: Group, instances: Int) -> [String: Any] {
        [
            "id": group.id, "description": group.description, "date_created": "2026-01-01T00:00:00+00:00", "date_modified": "2026-01-01T00:00:00+00:00",
            "instance_count": instances, "rule_count": group.rules.count, "max_rule_count": 50,
        ]
    }

    // MARK: Helpers

    /// A page of `items` from the `cursor` (an offset, opaque to clients), `meta.links.next` empty on the last.
    private func page(_ items: [[String: Any]], key: String, request: FakeRequest) -> FakeResponse {
        let perPage = min(max(Int(request.query["per_page"] ?? "") ?? 100, 1), settings.maxPerPage)
        let start = request.query["cursor"].flatMap { Data(base64Encoded: $0) }.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        let slice = Array(items.dropFirst(start).prefix(perPage))
        let next = start + perPage < items.count ? Data(String(start + perPage).utf8).base64EncodedString() : ""
        let prev = start > 0 ? Data(String(max(start - perPage, 0)).utf8).base64EncodedString() : ""
        return .json(200, [key: slice, "meta": ["total": items.count, "links": ["next": next, "prev": prev]]])
    }

    /// `2020-10-10T01:56:20+00:00`, the offset form Vultr writes.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }

    /// An error answer as Vultr gives it.
    public static func error(_ status: Int, _ message: String) -> FakeResponse {
        .json(status, ["error": message, "status": status])
    }

    static let notFound = error(404, "Not found.")
}
