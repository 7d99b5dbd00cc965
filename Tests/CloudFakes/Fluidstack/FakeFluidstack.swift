import Foundation
import Synchronization

/// Fluidstack's platform API (`https://platform.fluidstack.io`) as the SDK generated from its API
/// definition (`fluidstack` 0.0.8, which drives this fake in the tests) reads it: configurations in
/// stock (a GPU type, its counts and regions, a per-GPU price as a string), OS templates, SSH keys
/// by name, instances (pending → running over `activation` with `username`, `ssh_port` and
/// `ip_address`; `GET /instances/{id}` answers 202 while pending; deleted → `terminated` for
/// `deletion`, then gone), failed ones listed only with `include_failed_instances`. Errors: 401
/// `{"message"}` and 422 `{"detail": [{"loc", "msg", "type"}]}` as documented; the refusals the
/// document leaves out (unknown instance, out of stock, balance, a key name taken) as
/// `{"message"}` with 404, 400, 402 and 409 — guesses, which the driver reads by status and text.
/// Fluidstack's published OpenAPI document (fern-config) is older than this SDK (`ssh_keys` list,
/// no regions, no GET by id), so it is not used to check the fake.
public final class FakeFluidstack: FakeAPI {
    public let contract: String? = nil

    public struct Settings: Sendable {
        public var apiKey = "api_key_fake0123456789abcdef0123456789abcdef"
        public var activation: Duration = .milliseconds(300)
        public var deletion: Duration = .milliseconds(300)
        /// The address of the n-th instance (0-based): point it at a real test host.
        public var address: @Sendable (Int) -> String = { "203.0.113.\(10 + $0 % 200)" }
        /// The SSH port instances report.
        public var sshPort = 22
        /// What is in stock: GPU type → (counts, per-GPU price, regions).
        public var stock: [String: (counts: [Int], price: String, regions: [String])] = [
            "H100_PCIE_80GB": ([1, 8], "2.89", ["CANADA", "NORWAY"]), "RTX_A6000_48GB": ([1, 2, 4], "0.80", ["NORWAY"]),
        ]
        /// Creates fail for want of balance.
        public var brokeAccount = false

        public init() {}
    }

    struct Server {
        var id: String
        var name: String
        var gpuType: String
        var count: Int
        var region: String
        var key: String
        var system: String
        var createdAt: ContinuousClock.Instant
        var created = Date()
        var deletedAt: ContinuousClock.Instant?
        var ordinal: Int
    }

    struct State {
        var servers: [String: Server] = [:]
        var keys: [(name: String, key: String)] = []
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let gpuTypes: Set<String> = [
        "RTX_A4000_16GB", "RTX_A6000_48GB", "RTX_A5000_24GB", "TESLA_V100_16GB", "A100_PCIE_80GB", "A40_48GB", "A30_24GB", "A100_SXM4_80GB", "A10_PCIE_24GB",
        "A100_SXM4_40GB", "A100_PCIE_40GB", "A100_NVLINK_80GB", "A100_NVLINK_40GB", "H100_SXM5_80GB", "H100_SXM4_80GB", "A10_24GB", "RTX_6000_24GB",
        "H100_PCIE_80GB", "H100_NVLINK_80GB", "RTX_A6000_ADA_48GB", "L40_48GB", "L4_24GB", "T4_16GB",
    ]
    static let regions: Set<String> = [
        "NORWAY", "CANADA", "SWEDEN", "NETHERLANDS", "TEXAS_USA", "CALIFORNIA_USA", "ARIZONA_USA", "VIRGINIA_USA", "ILLINOIS_USA", "JAPAN", "UTAH_USA",
        "WASHINGTON_USA", "GERMANY", "INDIA", "ISRAEL",
    ]
    static let systems = ["ubuntu_20_04_lts_nvidia": "Ubuntu 20.04 LTS with NVIDIA drivers", "ubuntu_22_04_lts_nvidia": "Ubuntu 22.04 LTS with NVIDIA drivers"]
    static let createFields: Set<String> = ["name", "gpu_type", "gpu_count", "ssh_key", "operating_system_label", "region", "volumes"]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        guard request.header("api-key") == settings.apiKey else { return .json(401, ["message": "Invalid API key"]) }
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts.count, parts.first ?? "") {
        case ("GET", 1, "list_available_configurations"):
            return .json(200, settings.stock.sorted { $0.key < $1.key }.map { type, offer in
                ["gpu_type": type, "gpu_counts": offer.counts, "price_per_gpu_hr": offer.price, "estimated_provisioning_time_minutes": 5, "regions": offer.regions] as [String: Any]
            })
        case ("GET", 1, "list_available_os_templates"):
            return .json(200, Self.systems.sorted { $0.key < $1.key }.map { ["name": $0.value, "description": $0.value, "label": $0.key] })
        case ("GET", 1, "ssh_keys"):
            return .json(200, state.withLock { $0.keys.map { ["name": $0.name, "public_key": $0.key] } })
        case ("POST", 1, "ssh_keys"):
            guard let body = request.json, let name = body["name"] as? String, let key = body["public_key"] as? String else {
                return Self.unprocessable([(["body", "name"], "field required", "value_error.missing")])
            }
            return state.withLock { state in
                if state.keys.contains(where: { $0.name == name }) { return .json(409, ["message": "SSH key with name \(name) already exists"]) }
                state.keys.append((name, key))
                return .json(201, ["name": name, "public_key": key])
            }
        case ("DELETE", 2, "ssh_keys"):
            return state.withLock { state in
                guard let index = state.keys.firstIndex(where: { $0.name == parts[1] }) else { return .json(404, ["message": "SSH key not found"]) }
                state.keys.remove(at: index)
                return FakeResponse(status: 204)
            }
        case ("GET", 1, "instances"):
            let failed = request.query["include_failed_instances"] == "true"
            return .json(200, state.withLock { state in
                prune(&state)
                return state.servers.values.sorted { $0.ordinal < $1.ordinal }.map { object($0) }.filter { failed || $0["status"] as? String != "failed" }
            })
        case ("POST", 1, "instances"):
            return create(request)
        case ("GET", 2, "instances"):
            return state.withLock { state in
                prune(&state)
                guard let server = state.servers[parts[1]] else { return .json(404, ["message": "Instance not found"]) }
                let object = object(server)
                return .json(object["status"] as? String == "pending" ? 202 : 200, object)
            }
        case ("DELETE", 2, "instances"):
            return state.withLock { state in
                prune(&state)
                guard let server = state.servers[parts[1]], server.deletedAt == nil else { return .json(404, ["message": "Instance not found"]) }
                state.servers[server.id]?.deletedAt = .now
                return FakeResponse(status: 204)
            }
        default:
            return .json(404, ["detail": "Not Found"])
        }
    }

    // MARK: Test hooks

    /// Instances not deleted: id → name.
    public var liveInstances: [String: String] { state.withLock { state in prune(&state); return state.servers.filter { $0.value.deletedAt == nil }.mapValues(\.name) } }
    public var keyCount: Int { state.withLock { $0.keys.count } }

    // MARK: Create

    private func create(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json else { return Self.unprocessable([(["body"], "value is not a valid dict", "type_error.dict")]) }
        if let unknown = Set(body.keys).subtracting(Self.createFields).sorted().first {
            return Self.unprocessable([(["body", unknown], "extra fields not permitted", "value_error.extra")])
        }
        guard let type = body["gpu_type"] as? String, Self.gpuTypes.contains(type) else {
            return Self.unprocessable([(["body", "gpu_type"], "value is not a valid enumeration member", "type_error.enum")])
        }
        guard let key = body["ssh_key"] as? String else { return Self.unprocessable([(["body", "ssh_key"], "field required", "value_error.missing")]) }
        let count = body["gpu_count"] as? Int ?? 1
        let system = body["operating_system_label"] as? String ?? "ubuntu_20_04_lts_nvidia"
        guard Self.systems[system] != nil else {
            return Self.unprocessable([(["body", "operating_system_label"], "value is not a valid enumeration member", "type_error.enum")])
        }
        let region = body["region"] as? String
        if let region, !Self.regions.contains(region) {
            return Self.unprocessable([(["body", "region"], "value is not a valid enumeration member", "type_error.enum")])
        }
        if settings.brokeAccount { return .json(402, ["message": "Insufficient balance to create the instance"]) }
        return state.withLock { state in
            guard state.keys.contains(where: { $0.name == key }) else { return .json(400, ["message": "SSH key \(key) not found"]) }
            guard let offer = settings.stock[type], offer.counts.contains(count), region.map(offer.regions.contains) ?? true else {
                return .json(400, ["message": "Configuration \(type) x\(count) is out of stock\(region.map { " in \($0)" } ?? "")"])
            }
            let id = "i-" + UUID().uuidString.lowercased()
            let name = (body["name"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "instance-\(state.made)"
            state.servers[id] = Server(
                id: id, name: name, gpuType: type, count: count, region: region ?? offer.regions[0], key: key, system: system, createdAt: .now, ordinal: state.made)
            state.made += 1
            return .json(201, ["id": id, "name": name, "gpu_type": type, "operating_system_label": system])
        }
    }

    // MARK: Objects

    private func prune(_ state: inout State) {
        let now = ContinuousClock.now
        state.servers = state.servers.filter { $0.value.deletedAt.map { now - $0 < settings.deletion } ?? true }
    }

    private func object(_ server: Server) -> [String: Any] {
        let status = server.deletedAt != nil ? "terminated" : ContinuousClock.now - server.createdAt < settings.activation ? "pending" : "running"
        let memory = Int(server.gpuType.split(separator: "_").last?.dropLast(2) ?? "") ?? 0
        let price = Double(settings.stock[server.gpuType]?.price ?? "0") ?? 0
        return [
            "id": server.id, "status": status, "username": "ubuntu", "ssh_port": String(settings.sshPort), "ssh_keys": [server.key],
            "ip_address": status == "running" ? settings.address(server.ordinal) as Any : NSNull(), "name": server.name,
            "current_gpu_hr_cost": status == "running" ? price * Double(server.count) : 0,
            "configuration": [
                "id": "c-\(server.gpuType.lowercased())-\(server.count)", "gpu_model": ["name": server.gpuType, "memory_size_gb": memory], "cpu_model": "generic",
                "gpu_count": server.count, "cpu_count": 8 * server.count, "nvme_storage_size_gb": 200 * server.count, "memory_size_gb": Double(30 * server.count),
                "estimated_provisioning_time_minutes": 5, "region": server.region,
            ] as [String: Any],
            "created_at": FakeTime.iso8601(server.created), "volumes": [Any](),
        ]
    }

    static func unprocessable(_ issues: [([String], String, String)]) -> FakeResponse {
        .json(422, ["detail": issues.map { ["loc": $0.0, "msg": $0.1, "type": $0.2] }])
    }
}
