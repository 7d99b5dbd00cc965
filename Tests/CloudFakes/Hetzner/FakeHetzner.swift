import Foundation
import Synchronization

/// Hetzner Cloud's API v1 as the document describes it (Tests/Contracts/hetzner.json), for the calls
/// the driver and Hetzner's own client `hcloud` make: servers (initializing → starting → running
/// over `activation`, deleting → gone over `deletion`, addresses from `address`), server types with
/// per-location prices and availability, locations, images, SSH keys, firewalls (refusing deletion
/// while applied); label selectors; `meta.pagination` pages; RateLimit headers; errors as
/// `{"error": {"code", "message", "details"}}` with the documented codes. Request fields the document
/// does not declare are refused with `invalid_input`, as the API refuses them.
public final class FakeHetzner: FakeAPI {
    public let contract: String? = "hetzner"

    public struct Settings: Sendable {
        public var token = "HCLOUDFAKETOKEN0000000000000000000000000000000000000000000000000"
        /// Initializing for the first half, starting for the second, then running.
        public var activation: Duration = .milliseconds(300)
        /// How long a deleted server stays `deleting` (and keeps its firewall applied).
        public var deletion: Duration = .milliseconds(300)
        /// The public IPv4 address of the n-th server (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        public var serverLimit = 25
        /// `type` or `type@location` a create is refused for with `resource_unavailable`.
        public var unavailable: Set<String> = []
        /// The most items a page holds (the API's is 50).
        public var maxPerPage = 50

        public init() {}
    }

    struct Server {
        var id: Int
        var name: String
        var type: String
        var location: String
        var image: Int
        var labels: [String: String]
        var firewalls: [Int]
        var createdAt: Date
        var deletedAt: Date?
        var ordinal: Int
    }

    struct Key {
        var id: Int
        var name: String
        var publicKey: String
        var fingerprint: String
        var labels: [String: String]
    }

    struct Rule {
        var direction: String
        var `protocol`: String
        var port: String?
        var sourceIPs: [String]
        var destinationIPs: [String]
        var description: String?
    }

    struct Firewall {
        var id: Int
        var name: String
        var labels: [String: String]
        var rules: [Rule]
    }

    struct State {
        var servers: [Int: Server] = [:]
        var keys: [Key] = []
        var firewalls: [Firewall] = []
        var nextID = 4_200_000
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    struct Location {
        var id: Int
        var name: String
        var city: String
        var country: String
        var zone: String
    }

    struct ServerType {
        var id: Int
        var name: String
        var cores: Int
        var memory: Double
        var disk: Int
        var arch: String
        var cpu: String
        /// Location → hourly net EUR; a location missing here is not offered.
        var prices: [String: String]
        /// Locations where it is listed but cannot be ordered now (`available: false`).
        var unorderable: Set<String> = []
        /// Retired: listed with a deprecation whose `unavailable_after` has passed.
        var retired = false
    }

    static let locations = [
        Location(id: 1, name: "fsn1", city: "Falkenstein", country: "DE", zone: "eu-central"),
        Location(id: 2, name: "nbg1", city: "Nuremberg", country: "DE", zone: "eu-central"),
        Location(id: 3, name: "hel1", city: "Helsinki", country: "FI", zone: "eu-central"),
        Location(id: 4, name: "ash", city: "Ashburn, VA", country: "US", zone: "us-east"),
    ]
    static let types = [
        ServerType(id: 104, name: "cx23", cores: 2, memory: 4, disk: 40, arch: "x86", cpu: "shared", prices: ["fsn1": "0.0088", "nbg1": "0.0088", "hel1": "0.0088"]),
        ServerType(id: 45, name: "cax11", cores: 2, memory: 4, disk: 40, arch: "arm", cpu: "shared", prices: ["fsn1": "0.0073", "nbg1": "0.0073", "hel1": "0.0073"]),
        ServerType(
            id: 96, name: "ccx13", cores: 2, memory: 8, disk: 80, arch: "x86", cpu: "dedicated",
            prices: ["fsn1": "0.0240", "nbg1": "0.0240", "hel1": "0.0240", "ash": "0.0260"], unorderable: ["hel1"]),
        ServerType(id: 22, name: "cx22", cores: 2, memory: 4, disk: 40, arch: "x86", cpu: "shared", prices: ["fsn1": "0.0060", "nbg1": "0.0060"], retired: true),
    ]
    static let images: [(id: Int, name: String, flavor: String, version: String, arch: String)] = [
        (161_547_269, "ubuntu-24.04", "ubuntu", "24.04", "x86"), (161_547_270, "ubuntu-24.04", "ubuntu", "24.04", "arm"),
        (103_908_130, "ubuntu-22.04", "ubuntu", "22.04", "x86"), (114_690_387, "debian-12", "debian", "12", "x86"),
    ]
    static let createFields: Set<String> = [
        "automount", "datacenter", "firewalls", "image", "labels", "location", "name", "networks", "placement_group", "public_net", "server_type",
        "ssh_keys", "start_after_create", "user_data", "volumes",
    ]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        var response = answer(request)
        let reset = Int(Date().timeIntervalSince1970) + 1
        response.headers += [("RateLimit-Limit", "3600"), ("RateLimit-Remaining", "3599"), ("RateLimit-Reset", String(reset))]
        return response
    }

    private func answer(_ request: FakeRequest) -> FakeResponse {
        guard request.header("Authorization") == "Bearer \(settings.token)" else {
            return Self.error(401, "unauthorized", "unable to authenticate")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.first == "v1" else { return Self.notFound }
        let rest = Array(parts.dropFirst())
        let id = rest.count == 2 ? Int(rest[1]) : nil
        if rest.count == 2 && id == nil { return Self.error(400, "invalid_input", "invalid id") }
        state.withLock { prune(&$0) }
        switch (request.method, rest.first ?? "", id) {
        case ("GET", "locations", nil):
            return page(Self.locations.map(Self.locationObject), key: "locations", request: request)
        case ("GET", "server_types", nil):
            let named = request.query["name"]
            return page(Self.types.filter { named == nil || $0.name == named }.map(Self.typeObject), key: "server_types", request: request)
        case ("GET", "images", nil):
            let images = Self.images.filter { image in
                (request.query["name"] == nil || request.query["name"] == image.name)
                    && (request.query["architecture"] == nil || request.query["architecture"] == image.arch)
                    && (request.query["type"] == nil || request.query["type"] == "system")
                    && (request.query["status"] == nil || request.query["status"] == "available")
            }
            return page(images.map(Self.imageObject), key: "images", request: request)
        case ("GET", "ssh_keys", nil):
            let keys = state.withLock { $0.keys }.filter { key in
                (request.query["fingerprint"] == nil || request.query["fingerprint"] == key.fingerprint)
                    && (request.query["name"] == nil || request.query["name"] == key.name)
                    && Self.matches(request.query["label_selector"], key.labels)
            }
            return page(keys.map(Self.keyObject), key: "ssh_keys", request: request)
        case ("POST", "ssh_keys", nil):
            return createKey(request)
        case ("GET", "ssh_keys", let id?):
            return state.withLock { $0.keys.first { $0.id == id } }.map { .json(200, ["ssh_key": Self.keyObject($0)]) } ?? Self.notFound
        case ("DELETE", "ssh_keys", let id?):
            return state.withLock { state in
                guard let index = state.keys.firstIndex(where: { $0.id == id }) else { return Self.notFound }
                state.keys.remove(at: index)
                return FakeResponse(status: 204)
            }
        case ("GET", "firewalls", nil):
            let all = state.withLock { state in
                state.firewalls.filter { wall in
                    (request.query["name"] == nil || request.query["name"] == wall.name) && Self.matches(request.query["label_selector"], wall.labels)
                }.map { firewallObject($0, state) }
            }
            return page(all, key: "firewalls", request: request)
        case ("POST", "firewalls", nil):
            return createFirewall(request)
        case ("GET", "firewalls", let id?):
            return state.withLock { state in state.firewalls.first { $0.id == id }.map { .json(200, ["firewall": firewallObject($0, state)]) } } ?? Self.notFound
        case ("DELETE", "firewalls", let id?):
            return state.withLock { state in
                guard let index = state.firewalls.firstIndex(where: { $0.id == id }) else { return Self.notFound }
                if state.servers.values.contains(where: { $0.firewalls.contains(id) }) {
                    return Self.error(422, "resource_in_use", "firewall with ID \(id) is still in use")
                }
                state.firewalls.remove(at: index)
                return FakeResponse(status: 204)
            }
        case ("GET", "servers", nil):
            let all = state.withLock { state in
                state.servers.values.filter { server in
                    (request.query["name"] == nil || request.query["name"] == server.name) && Self.matches(request.query["label_selector"], server.labels)
                }.sorted { $0.ordinal < $1.ordinal }.map { serverObject($0) }
            }
            return page(all, key: "servers", request: request)
        case ("POST", "servers", nil):
            return createServer(request)
        case ("GET", "servers", let id?):
            return state.withLock { $0.servers[id] }.map { .json(200, ["server": serverObject($0)]) } ?? Self.notFound
        case ("DELETE", "servers", let id?):
            return state.withLock { state in
                guard var server = state.servers[id] else { return Self.notFound }
                if server.deletedAt == nil { server.deletedAt = Date() }
                state.servers[id] = server
                state.nextID += 1
                return .json(200, ["action": Self.action(state.nextID, "delete_server", server: id)])
            }
        default:
            return Self.notFound
        }
    }

    // MARK: What a test may look at

    /// Servers not yet gone (deleting ones included), by id, with their labels.
    public var liveServers: [Int: [String: String]] { state.withLock { prune(&$0); return $0.servers.mapValues(\.labels) } }
    /// Ends every deletion in progress now (for tests that hold servers `deleting` until they say).
    public func finishDeletions() {
        state.withLock { state in
            for id in state.servers.keys where state.servers[id]?.deletedAt != nil { state.servers[id]?.deletedAt = .distantPast }
            prune(&state)
        }
    }

    public var firewallNames: [String] { state.withLock { $0.firewalls.map(\.name) } }
    public var keyCount: Int { state.withLock { $0.keys.count } }
    /// The rules of the firewall called `name`, as `protocol port from source,…`.
    public func rules(of name: String) -> [String] {
        state.withLock { state in
            (state.firewalls.first { $0.name == name }?.rules ?? []).map { "\($0.protocol) \($0.port ?? "") from \($0.sourceIPs.joined(separator: ","))" }
        }
    }

    // MARK: Servers

    private func createServer(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json else { return Self.error(400, "json_error", "invalid JSON") }
        if let unknown = body.keys.sorted().first(where: { !Self.createFields.contains($0) }) {
            return Self.error(400, "invalid_input", "invalid input in field '\(unknown)'")
        }
        guard let name = body["name"] as? String, Self.isHostname(name) else { return Self.error(400, "invalid_input", "invalid input in field 'name'") }
        guard let typeName = Self.idOrName(body["server_type"]), let type = Self.types.first(where: { $0.name == typeName || String($0.id) == typeName }) else {
            return Self.error(400, "invalid_input", "server type not found")
        }
        let location = Self.idOrName(body["location"]) ?? "fsn1"
        guard Self.locations.contains(where: { $0.name == location }) else { return Self.error(400, "invalid_input", "location not found") }
        guard let imageName = Self.idOrName(body["image"]),
            let image = Self.images.first(where: { ($0.name == imageName && $0.arch == type.arch) || String($0.id) == imageName })
        else { return Self.error(400, "invalid_input", "image not found") }
        let labels = body["labels"] as? [String: String] ?? [:]
        if let bad = labels.first(where: { !Self.isLabelKey($0.key) || !Self.isLabelValue($0.value) }) {
            return Self.error(400, "invalid_input", "invalid label \(bad.key)=\(bad.value)")
        }
        if let userData = body["user_data"] as? String, userData.utf8.count > 32 * 1024 { return Self.error(400, "invalid_input", "user_data too long") }
        guard type.prices[location] != nil, !type.retired, !type.unorderable.contains(location) else {
            return Self.error(412, "unsupported_location_for_server_type", "server type \(type.name) is not available in \(location)")
        }
        if settings.unavailable.contains(type.name) || settings.unavailable.contains("\(type.name)@\(location)") {
            return Self.error(412, "resource_unavailable", "server type \(type.name) is unavailable in \(location) at the moment")
        }
        let keys = (body["ssh_keys"] as? [Any] ?? []).compactMap(Self.idOrName)
        let firewalls = (body["firewalls"] as? [[String: Any]] ?? []).compactMap { $0["firewall"] as? Int }
        return state.withLock { state in
            if let unknown = keys.first(where: { key in !state.keys.contains { $0.name == key || String($0.id) == key } }) {
                return Self.error(400, "invalid_input", "SSH key \(unknown) not found")
            }
            if let unknown = firewalls.first(where: { id in !state.firewalls.contains { $0.id == id } }) {
                return Self.error(400, "invalid_input", "firewall \(unknown) not found")
            }
            if state.servers.values.contains(where: { $0.name == name }) {
                return Self.error(409, "uniqueness_error", "server name is already used")
            }
            guard state.servers.count < settings.serverLimit else {
                return Self.error(403, "resource_limit_exceeded", "server limit exceeded")
            }
            state.nextID += 1
            let server = Server(
                id: state.nextID, name: name, type: type.name, location: location, image: image.id, labels: labels, firewalls: firewalls, createdAt: Date(),
                ordinal: state.made)
            state.made += 1
            state.servers[server.id] = server
            state.nextID += 2
            return .json(201, [
                "server": serverObject(server), "action": Self.action(state.nextID - 1, "create_server", server: server.id),
                "next_actions": [Self.action(state.nextID, "start_server", server: server.id)], "root_password": keys.isEmpty ? "YItygq1v3GYjjMomLaKc" : NSNull(),
            ])
        }
    }

    /// Servers whose deletion has had its time are gone.
    private func prune(_ state: inout State) {
        let now = Date()
        state.servers = state.servers.filter { $0.value.deletedAt.map { now.timeIntervalSince($0) < settings.deletion.seconds } ?? true }
    }

    private func serverObject(_ server: Server) -> [String: Any] {
        let age = Date().timeIntervalSince(server.createdAt)
        let status =
            server.deletedAt != nil ? "deleting" : age < settings.activation.seconds / 2 ? "initializing" : age < settings.activation.seconds ? "starting" : "running"
        let type = Self.types.first { $0.name == server.type } ?? Self.types[0]
        let location = Self.locations.first { $0.name == server.location } ?? Self.locations[0]
        let image = Self.images.first { $0.id == server.image } ?? Self.images[0]
        return [
            "id": server.id, "name": server.name, "status": status, "created": FakeTime.iso8601(server.createdAt), "labels": server.labels,
            "public_net": [
                "ipv4": ["id": server.id + 1, "ip": settings.address(server.ordinal), "blocked": false, "dns_ptr": "static.\(server.id).clients.your-server.de"],
                "ipv6": ["id": server.id + 2, "ip": "2001:db8:\(server.ordinal % 65536)::/64", "blocked": false, "dns_ptr": [] as [Any]],
                "floating_ips": [] as [Any], "firewalls": server.firewalls.map { ["id": $0, "status": "applied"] },
            ],
            "private_net": [] as [Any], "server_type": Self.typeObject(type), "location": Self.locationObject(location),
            "datacenter": [
                "id": location.id, "name": "\(location.name)-dc1", "description": "\(location.city) DC 1", "location": Self.locationObject(location),
                "server_types": ["available": Self.types.map(\.id), "supported": Self.types.map(\.id), "available_for_migration": Self.types.map(\.id)],
            ],
            "image": Self.imageObject(image), "iso": NSNull(), "rescue_enabled": false, "locked": false, "backup_window": NSNull(),
            "outgoing_traffic": 0, "ingoing_traffic": 0, "included_traffic": 21_990_232_555_520, "protection": ["delete": false, "rebuild": false],
            "primary_disk_size": type.disk, "load_balancers": [] as [Any], "volumes": [] as [Any], "placement_group": NSNull(),
        ]
    }

    // MARK: Keys, firewalls

    private func createKey(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let name = body["name"] as? String, let publicKey = body["public_key"] as? String else {
            return Self.error(400, "invalid_input", "name and public_key are required")
        }
        if let unknown = body.keys.sorted().first(where: { !["name", "public_key", "labels"].contains($0) }) {
            return Self.error(400, "invalid_input", "invalid input in field '\(unknown)'")
        }
        guard let fingerprint = FakeKeys.md5Fingerprint(publicKey) else { return Self.error(400, "invalid_input", "invalid public key") }
        return state.withLock { state in
            if state.keys.contains(where: { $0.name == name || $0.fingerprint == fingerprint }) {
                return Self.error(409, "uniqueness_error", "SSH key with the same fingerprint or name already exists")
            }
            state.nextID += 1
            let key = Key(id: state.nextID, name: name, publicKey: publicKey, fingerprint: fingerprint, labels: body["labels"] as? [String: String] ?? [:])
            state.keys.append(key)
            return .json(201, ["ssh_key": Self.keyObject(key)])
        }
    }

    private func createFirewall(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let name = body["name"] as? String, !name.isEmpty, name.count <= 128 else {
            return Self.error(400, "invalid_input", "invalid input in field 'name'")
        }
        if let unknown = body.keys.sorted().first(where: { !["name", "labels", "rules", "apply_to"].contains($0) }) {
            return Self.error(400, "invalid_input", "invalid input in field '\(unknown)'")
        }
        let given = body["rules"] as? [[String: Any]] ?? []
        guard given.count <= 50 else { return Self.error(400, "invalid_input", "at most 50 rules") }
        var rules: [Rule] = []
        for rule in given {
            let direction = rule["direction"] as? String ?? ""
            let proto = rule["protocol"] as? String ?? ""
            let sources = rule["source_ips"] as? [String] ?? []
            let destinations = rule["destination_ips"] as? [String] ?? []
            guard ["in", "out"].contains(direction), ["tcp", "udp", "icmp", "esp", "gre"].contains(proto), (sources + destinations).allSatisfy({ $0.contains("/") }),
                direction == "in" ? !sources.isEmpty : !destinations.isEmpty
            else { return Self.error(400, "invalid_input", "invalid rule") }
            rules.append(Rule(direction: direction, protocol: proto, port: rule["port"] as? String, sourceIPs: sources, destinationIPs: destinations, description: rule["description"] as? String))
        }
        return state.withLock { state in
            if state.firewalls.contains(where: { $0.name == name }) { return Self.error(409, "uniqueness_error", "firewall name is already used") }
            state.nextID += 1
            let wall = Firewall(id: state.nextID, name: name, labels: body["labels"] as? [String: String] ?? [:], rules: rules)
            state.firewalls.append(wall)
            return .json(201, ["firewall": firewallObject(wall, state), "actions": [] as [Any]])
        }
    }

    private func firewallObject(_ wall: Firewall, _ state: State) -> [String: Any] {
        [
            "id": wall.id, "name": wall.name, "labels": wall.labels, "created": "2026-01-01T00:00:00Z",
            "rules": wall.rules.map { rule in
                [
                    "direction": rule.direction, "protocol": rule.protocol, "port": rule.port ?? NSNull(), "source_ips": rule.sourceIPs,
                    "destination_ips": rule.destinationIPs, "description": rule.description ?? NSNull(),
                ] as [String: Any]
            },
            "applied_to": state.servers.values.filter { $0.firewalls.contains(wall.id) }.sorted { $0.id < $1.id }.map { ["type": "server", "server": ["id": $0.id]] },
        ]
    }

    // MARK: Objects

    static func locationObject(_ location: Location) -> [String: Any] {
        [
            "id": location.id, "name": location.name, "description": "\(location.city) DC Park 1", "country": location.country, "city": location.city,
            "latitude": 50.47612, "longitude": 12.370071, "network_zone": location.zone,
        ]
    }

    static func typeObject(_ type: ServerType) -> [String: Any] {
        let deprecation: Any = type.retired ? ["announced": "2025-06-01T00:00:00Z", "unavailable_after": "2025-12-31T00:00:00Z"] : NSNull()
        return [
            "id": type.id, "name": type.name, "description": type.name.uppercased(), "category": type.cpu == "shared" ? "Shared vCPU" : "Dedicated vCPU",
            "cores": type.cores, "memory": type.memory, "disk": type.disk, "deprecated": type.retired, "deprecation": deprecation,
            "storage_type": "local", "cpu_type": type.cpu, "architecture": type.arch,
            "locations": locations.filter { type.prices[$0.name] != nil }.map { location in
                ["id": location.id, "name": location.name, "deprecation": deprecation, "available": !type.unorderable.contains(location.name), "recommended": !type.retired]
            },
            "prices": type.prices.sorted { $0.key < $1.key }.map { location, hourly in
                let monthly = String(format: "%.4f", (Double(hourly) ?? 0) * 730)
                return [
                    "location": location, "price_hourly": ["net": hourly, "gross": hourly], "price_monthly": ["net": monthly, "gross": monthly],
                    "included_traffic": 21_990_232_555_520, "price_per_tb_traffic": ["net": "1.0000", "gross": "1.1900"],
                ] as [String: Any]
            },
        ]
    }

    static func imageObject(_ image: (id: Int, name: String, flavor: String, version: String, arch: String)) -> [String: Any] {
        [
            "id": image.id, "type": "system", "status": "available", "name": image.name, "description": image.name, "image_size": NSNull(), "disk_size": 5,
            "created": "2024-04-25T00:00:00Z", "created_from": NSNull(), "bound_to": NSNull(), "os_flavor": image.flavor, "os_version": image.version,
            "rapid_deploy": true, "protection": ["delete": false], "deprecated": NSNull(), "deleted": NSNull(), "labels": [String: String](),
            "architecture": image.arch,
        ]
    }

    static func keyObject(_ key: Key) -> [String: Any] {
        ["id": key.id, "name": key.name, "public_key": key.publicKey, "fingerprint": key.fingerprint, "labels": key.labels, "created": "2026-01-01T00:00:00Z"]
    }

    static func action(_ id: Int, _ command: String, server: Int) -> [String: Any] {
        [
            "id": id, "command": command, "status": "running", "progress": 0, "started": FakeTime.iso8601(Date()), "finished": NSNull(),
            "resources": [["id": server, "type": "server"]], "error": NSNull(),
        ]
    }

    // MARK: Rules of the API

    /// "ID or name" fields: the document types them string; Hetzner's own client sends ids as integers.
    static func idOrName(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let number = value as? Int { return String(number) }
        return nil
    }

    /// A label selector (`k==v`, `k=v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, joined by commas).
    static func matches(_ selector: String?, _ labels: [String: String]) -> Bool {
        guard let selector, !selector.isEmpty else { return true }
        var terms: [String] = []
        var current = ""
        var depth = 0
        for character in selector {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            if character == "," && depth == 0 { terms.append(current); current = "" } else { current.append(character) }
        }
        terms.append(current)
        return terms.allSatisfy { raw in
            let term = raw.trimmingCharacters(in: .whitespaces)
            for (op, negate) in [(" notin ", true), (" in ", false)] {
                if let range = term.range(of: op) {
                    let key = String(term[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
                    let values = term[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    let inside = labels[key].map(values.contains) ?? false
                    return negate ? !inside : inside
                }
            }
            if let range = term.range(of: "!=") { return labels[String(term[..<range.lowerBound])] != String(term[range.upperBound...]) }
            if let range = term.range(of: "==") ?? term.range(of: "=") { return labels[String(term[..<range.lowerBound])] == String(term[range.upperBound...]) }
            if term.hasPrefix("!") { return labels[String(term.dropFirst())] == nil }
            return labels[term] != nil
        }
    }

    static func isLabelValue(_ value: String) -> Bool {
        guard !value.isEmpty else { return true }
        let allowed = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        return value.count <= 63 && allowed && value.first.map { $0.isLetter || $0.isNumber } == true && value.last.map { $0.isLetter || $0.isNumber } == true
    }

    static func isLabelKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard let name = parts.last, parts.count <= 2, !name.isEmpty else { return false }
        return isLabelValue(String(name)) && (parts.count == 1 || (parts[0].count <= 253 && !parts[0].isEmpty))
    }

    static func isHostname(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 63 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            && name.first.map { $0.isLetter || $0.isNumber } == true && name.last.map { $0.isLetter || $0.isNumber } == true
    }

    // MARK: Helpers

    /// `page` of `items` (1-based), with `meta.pagination`.
    private func page(_ items: [[String: Any]], key: String, request: FakeRequest) -> FakeResponse {
        let perPage = min(max(Int(request.query["per_page"] ?? "") ?? 25, 1), settings.maxPerPage)
        let last = max(1, (items.count + perPage - 1) / perPage)
        let number = max(Int(request.query["page"] ?? "") ?? 1, 1)
        let slice = Array(items.dropFirst((number - 1) * perPage).prefix(perPage))
        let pagination: [String: Any] = [
            "page": number, "per_page": perPage, "previous_page": number > 1 ? number - 1 : NSNull(), "next_page": number < last ? number + 1 : NSNull(),
            "last_page": last, "total_entries": items.count,
        ]
        return .json(200, [key: slice, "meta": ["pagination": pagination]])
    }

    /// An error answer as Hetzner gives it.
    public static func error(_ status: Int, _ code: String, _ message: String) -> FakeResponse {
        .json(status, ["error": ["code": code, "message": message, "details": [String: Any]()]])
    }

    static let notFound = error(404, "not_found", "resource not found")
}
