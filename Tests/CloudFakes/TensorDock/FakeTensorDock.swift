import Foundation
import Synchronization

/// TensorDock's API v2 as its documentation pages show it (dashboard.tensordock.com/api/docs:
/// getting-started, instance-creation, instance-management, fetch-hostnodes): `/locations` with
/// GPU stock, per-resource pricing and network features; instances created with the JSON:API-style
/// body (`data.attributes`, resources, `location_id`, `useDedicatedIp`, `ssh_key` xor `ssh_key_id`,
/// `cloud_init`), read back bare (`ipAddress`, `portForwards`, `rateHourly`), listed as
/// `{"data": {"instances": [{"type", "id", "attributes"}]}}`, deleted with the documented success
/// body, 404 once gone. The pages document no errors: the fake answers as TensorDock's users
/// report the live API does — `{"error": "…"}` with the status, and a location out of the GPU as
/// HTTP 200 `{"status": 400, "error": "No available nodes found"}`. TensorDock publishes no
/// machine-readable document and no client of its own, so nothing else checks this fake.
public final class FakeTensorDock: FakeAPI {
    public let contract: String? = nil

    public struct Settings: Sendable {
        public var token = "td-fake-0123456789abcdef0123456789abcdef"
        /// Creating for the first half, then running with its address.
        public var activation: Duration = .milliseconds(300)
        /// The dedicated IP of the n-th machine (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        /// GPUs each location has free now, by `<location>/<v0Name>`; a create takes from it.
        public var stock: [String: Int] = [
            "1a779525-4c04-4f2c-aa45-58b47d54bb38/geforcertx4090-pcie-24gb": 4, "1a779525-4c04-4f2c-aa45-58b47d54bb38/h100-sxm5-80gb": 8,
            "9d2a6c3e-0b7f-4f1e-8c5d-2e4f6a8b0c1d/geforcertx4090-pcie-24gb": 2,
        ]
        /// Balance below TensorDock's $1 minimum: creates are refused.
        public var brokeAccount = false

        public init() {}
    }

    struct Machine {
        var id: String
        var name: String
        var location: String
        var model: String
        var count: Int
        var vcpus: Int
        var ram: Int
        var storage: Int
        var sshKey: String
        var runcmd: [String]
        var createdAt: ContinuousClock.Instant
        var ordinal: Int
    }

    struct State {
        var machines: [String: Machine] = [:]
        var taken: [String: Int] = [:]
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let locations: [(id: String, city: String, state: String, country: String, tier: Int, dedicated: Bool)] = [
        ("1a779525-4c04-4f2c-aa45-58b47d54bb38", "Austin", "Texas", "United States", 3, true),
        ("9d2a6c3e-0b7f-4f1e-8c5d-2e4f6a8b0c1d", "Helsinki", "Uusimaa", "Finland", 2, false),
    ]
    static let models: [(v0Name: String, display: String, price: Double, vcpus: Int, ram: Int, storage: Int)] = [
        ("geforcertx4090-pcie-24gb", "NVIDIA GeForce RTX 4090 PCIe 24GB", 0.35, 32, 128, 2000), ("h100-sxm5-80gb", "H100 SXM5 80GB", 2.2, 128, 300, 1000),
    ]
    static let attributeFields: Set<String> = [
        "name", "type", "image", "resources", "location_id", "hostnode_id", "useDedicatedIp", "port_forwards", "ssh_key", "ssh_key_id", "cloud_init",
    ]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        guard request.header("Authorization") == "Bearer \(settings.token)" else { return Self.error(401, "Invalid API credentials") }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v2" else { return Self.error(404, "Not found") }
        let rest = Array(parts.dropFirst(2))
        switch (request.method, rest.count, rest[0]) {
        case ("GET", 1, "locations"):
            return .json(200, ["data": ["locations": state.withLock { state in Self.locations.map { locationObject($0, state) } }]])
        case ("POST", 1, "instances"):
            return create(request)
        case ("GET", 1, "instances"):
            let listed = state.withLock { state in
                state.machines.values.sorted { $0.ordinal < $1.ordinal }.map { ["type": "virtualmachine", "id": $0.id, "attributes": ["name": $0.name, "status": status($0)]] as [String: Any] }
            }
            return .json(200, ["data": ["instances": listed]])
        case ("GET", 2, "instances"):
            return state.withLock { state in
                guard let machine = state.machines[rest[1]] else { return Self.error(404, "Instance not found") }
                return .json(200, object(machine))
            }
        case ("DELETE", 2, "instances"):
            return state.withLock { state in
                guard let machine = state.machines.removeValue(forKey: rest[1]) else { return Self.error(404, "Instance not found") }
                state.taken["\(machine.location)/\(machine.model)", default: 0] -= machine.count
                return .json(200, ["data": ["type": "success", "attributes": ["message": "Instance deleted successfully"]]])
            }
        default:
            return Self.error(404, "Not found")
        }
    }

    // MARK: Test hooks

    /// Live machines: id → name.
    public var liveInstances: [String: String] { state.withLock { $0.machines.mapValues(\.name) } }

    /// What a machine was created with: `ssh_key` and cloud-init's `runcmd`.
    public func boot(of id: String) -> (sshKey: String, runcmd: [String])? {
        state.withLock { $0.machines[id].map { ($0.sshKey, $0.runcmd) } }
    }

    // MARK: Create

    private func create(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let data = body["data"] as? [String: Any], data["type"] as? String == "virtualmachine",
            let attributes = data["attributes"] as? [String: Any]
        else { return Self.invalid("data.type must be virtualmachine and data.attributes an object", path: ["data"]) }
        if let unknown = Set(attributes.keys).subtracting(Self.attributeFields).sorted().first { return Self.invalid("Unrecognized key: \(unknown)", path: ["data", "attributes", unknown]) }
        guard let name = attributes["name"] as? String, !name.isEmpty else { return Self.invalid("Name is required", path: ["data", "attributes", "name"]) }
        guard attributes["type"] as? String == "virtualmachine", attributes["image"] is String else {
            return Self.invalid("type virtualmachine and image are required", path: ["data", "attributes"])
        }
        guard let resources = attributes["resources"] as? [String: Any], let vcpus = resources["vcpu_count"] as? Int, let ram = resources["ram_gb"] as? Int,
            let storage = resources["storage_gb"] as? Int, let gpus = resources["gpus"] as? [String: [String: Int]]
        else { return Self.invalid("resources need vcpu_count, ram_gb, storage_gb and gpus", path: ["data", "attributes", "resources"]) }
        guard storage >= 100 else { return Self.error(400, "Minimum storage is 100GB") }
        guard (attributes["location_id"] == nil) != (attributes["hostnode_id"] == nil) else { return Self.error(400, "Provide exactly one of location_id or hostnode_id") }
        guard let location = attributes["location_id"] as? String else { return Self.error(400, "This fake places by location only") }
        guard gpus.count == 1, let (model, spec) = gpus.first, let count = spec["count"], count >= 1 else {
            return Self.error(400, "At least one GPU is required for location-based deployment")
        }
        let key = attributes["ssh_key"] as? String
        guard (key == nil) != (attributes["ssh_key_id"] == nil) else { return Self.error(400, "Provide either ssh_key_id or ssh_key, not both") }
        let dedicated = attributes["useDedicatedIp"] as? Bool == true
        let forwards = attributes["port_forwards"] as? [[String: Int]] ?? []
        if !dedicated && !forwards.contains(where: { $0["internal_port"] == 22 }) { return Self.error(400, "SSH port (22) must be forwarded for Ubuntu VMs") }
        let runcmd = (attributes["cloud_init"] as? [String: Any])?["runcmd"] as? [String] ?? []
        if settings.brokeAccount { return Self.error(400, "Insufficient balance: a minimum balance of $1 is required") }
        guard let place = Self.locations.first(where: { $0.id == location }) else { return Self.error(400, "Location not found") }
        if dedicated && !place.dedicated { return Self.error(400, "Dedicated IP is not available at this location") }
        guard let offer = Self.models.first(where: { $0.v0Name == model }), vcpus <= offer.vcpus, ram <= offer.ram, storage <= offer.storage else {
            return Self.error(400, "Requested resources exceed the location's limits")
        }
        return state.withLock { state in
            let slot = "\(location)/\(model)"
            guard (settings.stock[slot] ?? 0) - state.taken[slot, default: 0] >= count else {
                // As users report it: refused, with HTTP 200.
                return .json(200, ["status": 400, "error": "No available nodes found"])
            }
            state.taken[slot, default: 0] += count
            let id = UUID().uuidString.lowercased()
            state.machines[id] = Machine(
                id: id, name: name, location: location, model: model, count: count, vcpus: vcpus, ram: ram, storage: storage, sshKey: key ?? "",
                runcmd: runcmd, createdAt: .now, ordinal: state.made)
            state.made += 1
            return .json(200, ["data": ["type": "virtualmachine", "id": id, "name": name, "status": "creating"]])
        }
    }

    // MARK: Objects

    private func status(_ machine: Machine) -> String {
        ContinuousClock.now - machine.createdAt < settings.activation ? "creating" : "running"
    }

    private func object(_ machine: Machine) -> [String: Any] {
        let running = status(machine) == "running"
        let price = Self.models.first { $0.v0Name == machine.model }?.price ?? 0
        return [
            "type": "virtualmachine", "id": machine.id, "name": machine.name, "status": status(machine),
            "ipAddress": running ? settings.address(machine.ordinal) : "", "portForwards": [[String: Int]](),
            "rateHourly": Double(machine.count) * price + Double(machine.vcpus) * 0.003 + Double(machine.ram) * 0.002 + Double(machine.storage) * 0.00005,
        ]
    }

    private func locationObject(_ location: (id: String, city: String, state: String, country: String, tier: Int, dedicated: Bool), _ state: State) -> [String: Any] {
        let gpus: [[String: Any]] = Self.models.compactMap { model in
            let free = (settings.stock["\(location.id)/\(model.v0Name)"] ?? 0) - state.taken["\(location.id)/\(model.v0Name)", default: 0]
            guard free > 0 else { return nil }
            return [
                "v0Name": model.v0Name, "displayName": model.display, "max_count": free, "price_per_hr": model.price,
                "resources": ["max_vcpus": model.vcpus, "max_ram_gb": model.ram, "max_storage_gb": model.storage],
                "pricing": ["per_vcpu_hr": 0.003, "per_gb_ram_hr": 0.002, "per_gb_storage_hr": 0.00005],
                "network_features": ["dedicated_ip_available": location.dedicated, "port_forwarding_available": true, "network_storage_available": false],
            ]
        }
        return ["id": location.id, "city": location.city, "stateprovince": location.state, "country": location.country, "tier": location.tier, "gpus": gpus]
    }

    static func invalid(_ message: String, path: [String]) -> FakeResponse {
        .json(400, [["code": "invalid", "message": message, "path": path]])
    }

    public static func error(_ status: Int, _ message: String) -> FakeResponse {
        .json(status, ["error": message])
    }
}
