import Foundation
import Synchronization

/// Bittensor Lium's API as its own client `lium-io` 0.32.0 calls it (Lium publishes no document;
/// that client drives this fake in the tests): executors (a rented one leaves the listing until its
/// pod is deleted), one-time templates, SSH keys, pods (PENDING → RUNNING over `activation`, with
/// `ssh_connect_cmd` and `ports_mapping` once running, published where `publish` says), rents
/// answered once per `Idempotency-Key`, `termination_hours` as the pod's scheduled removal, errors
/// in Lium's envelope. Served under `/api`, as `LIUM_BASE_URL` includes it. Request fields
/// `lium-io` does not send are refused, so a driver cannot drift from what the API takes.
public final class FakeLium: FakeAPI {
    public let contract: String? = nil

    public struct Node: Sendable {
        public var id: String
        public var gpu: String
        public var count: Int
        public var pricePerGPU: Double
        public var countryCode: String
        /// MiB, as Lium reports it.
        public var gpuMemoryMiB: Double
        public var cpus: Int
        /// KiB.
        public var ramKiB: Double
        public var diskKiB: Double
        public var tier: String

        public init(
            id: String, gpu: String, count: Int, pricePerGPU: Double, countryCode: String = "US", gpuMemoryMiB: Double = 81_559, cpus: Int = 32,
            ramKiB: Double = 257_000_000, diskKiB: Double = 1_900_000_000, tier: String = "secure"
        ) {
            self.id = id
            self.gpu = gpu
            self.count = count
            self.pricePerGPU = pricePerGPU
            self.countryCode = countryCode
            self.gpuMemoryMiB = gpuMemoryMiB
            self.cpus = cpus
            self.ramKiB = ramKiB
            self.diskKiB = diskKiB
            self.tier = tier
        }
    }

    public struct Settings: Sendable {
        public var apiKey = "sk_fake_lium_0000000000000000"
        public var activation: Duration = .milliseconds(300)
        /// Where the n-th pod's container port is published: host and public port. Point it at a
        /// real test host to reach the "container" there.
        public var publish: @Sendable (_ pod: Int, _ containerPort: Int) -> (host: String, port: Int) = { pod, port in
            ("203.0.113.\(20 + pod % 200)", 40_000 + (pod % 200) * 100 + (port == 22 ? 22 : port % 100))
        }
        public var sshUser = "root"
        public var balance = 100.0
        public var nodes: [Node] = [
            Node(id: "0f3e5a7c-1d2b-4c6e-8a9f-101112131415", gpu: "NVIDIA H100 80GB HBM3", count: 1, pricePerGPU: 2.19),
            Node(id: "1a2b3c4d-5e6f-4a8b-9c0d-161718192021", gpu: "NVIDIA H100 80GB HBM3", count: 1, pricePerGPU: 2.49, countryCode: "DE"),
            Node(id: "2b3c4d5e-6f7a-4b9c-8d1e-222324252627", gpu: "NVIDIA H100 80GB HBM3", count: 8, pricePerGPU: 2.09),
            Node(id: "4d5e6f7a-8b9c-4dbe-8f30-343536373839", gpu: "NVIDIA H100 80GB HBM3", count: 1, pricePerGPU: 2.39, countryCode: "JP"),
            Node(id: "5e6f7a8b-9cad-4ecf-9041-404142434445", gpu: "NVIDIA H100 PCIe", count: 1, pricePerGPU: 1.99, gpuMemoryMiB: 81_559),
            Node(
                id: "3c4d5e6f-7a8b-4cad-9e2f-282930313233", gpu: "NVIDIA GeForce RTX 4090", count: 2, pricePerGPU: 0.35, gpuMemoryMiB: 24_564, cpus: 16,
                ramKiB: 131_072_000, diskKiB: 1_048_576_000, tier: "spot"),
        ]

        public init() {}
    }

    struct Template: Sendable {
        var id: String
        var name: String
        var image: String
        var tag: String
        var ports: [Int]
        var environment: [String: String]
        var startup: String
    }

    struct Pod: Sendable {
        var id: String
        var name: String
        var node: String
        var template: String
        var keys: [String]
        var createdAt: Date
        var removalAt: Date?
        var ordinal: Int
    }

    struct State: Sendable {
        var pods: [String: Pod] = [:]
        var templates: [Template] = []
        var keys: [(id: String, name: String, key: String)] = []
        /// Idempotency-Key → the pod its rent made.
        var rents: [String: String] = [:]
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let templateFields: Set<String> = [
        "name", "docker_image", "docker_image_digest", "docker_image_tag", "internal_ports", "startup_commands", "category",
        "container_start_immediately", "description", "entrypoint", "environment", "is_private", "one_time_template", "is_temporary", "readme",
        "volumes",
    ]
    static let rentFields: Set<String> = [
        "pod_name", "template_id", "dockerfile_content", "volume_id", "user_public_key", "initial_port_count", "enable_volume_encryption",
        "backup_log_id", "restore_path", "enable_backups", "gpu_count", "termination_hours", "build_context_sha256",
    ]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        guard request.header("X-API-KEY") == settings.apiKey else { return Self.error(401, "invalid_api_key", "Invalid API key") }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.first == "api" else { return Self.notFound }
        let rest = Array(parts.dropFirst())
        // `pods/{id}`: the second word of a path is an id.
        let id = rest.count > 1 ? rest[1] : ""
        let route = rest.enumerated().map { $0.offset == 1 ? "{id}" : $0.element }.joined(separator: "/")
        switch (request.method, route) {
        case ("GET", "version"):
            return .json(200, ["version": "fake", "features": [] as [Any]])
        case ("GET", "users/{id}") where id == "me":
            return .json(200, ["id": "5d1f8a2e-0000-4000-8000-000000000001", "email": "fake@example.com", "balance": settings.balance])
        case ("GET", "executors"):
            let rented = state.withLock { Set($0.pods.values.map(\.node)) }
            return .json(200, settings.nodes.filter { !rented.contains($0.id) }.map(Self.executorObject))
        case ("POST", "executors/{id}/rent"):
            return rent(id, request)
        case ("GET", "templates"):
            return .json(200, state.withLock { $0.templates.map(Self.templateObject) })
        case ("GET", "templates/{id}"):
            return state.withLock { $0.templates.first { $0.id == id } }.map { .json(200, Self.templateObject($0)) } ?? Self.notFound
        case ("POST", "templates"):
            return createTemplate(request)
        case ("GET", "ssh-keys"):
            return .json(200, state.withLock { $0.keys.map { ["id": $0.id, "name": $0.name, "public_key": $0.key, "created_at": FakeTime.iso8601(Date())] } })
        case ("POST", "ssh-keys"):
            guard let body = request.json, let name = body["name"] as? String, let key = body["public_key"] as? String, key.hasPrefix("ssh-") else {
                return Self.error(422, "invalid_input", "name and public_key are required")
            }
            let id = UUID().uuidString.lowercased()
            state.withLock { $0.keys.append((id, name, key)) }
            return .json(201, ["id": id, "name": name, "public_key": key, "created_at": FakeTime.iso8601(Date())])
        case ("GET", "pods"):
            let pods = state.withLock { state in state.pods.values.sorted { $0.ordinal < $1.ordinal }.map { pod in (pod, state.templates.first { $0.id == pod.template }) } }
            return .json(200, pods.map { podObject($0.0, $0.1) })
        case ("GET", "pods/{id}"):
            let found = state.withLock { state in state.pods[id].map { pod in (pod, state.templates.first { $0.id == pod.template }) } }
            return found.map { FakeResponse.json(200, podObject($0.0, $0.1)) } ?? Self.notFound
        case ("GET", "pods/{id}/events"):
            return .json(200, [] as [Any])
        case ("DELETE", "pods/{id}"):
            return state.withLock { $0.pods.removeValue(forKey: id) } == nil ? Self.notFound : .json(200, ["message": "Pod removed"])
        default:
            return Self.notFound
        }
    }

    // MARK: What a test may look at

    /// Live pods: id → name.
    public var livePods: [String: String] { state.withLock { $0.pods.mapValues(\.name) } }
    public var templateCount: Int { state.withLock { $0.templates.count } }
    /// The environment, command and ports of the template a live pod runs.
    public func container(of pod: String) -> (image: String, environment: [String: String], startup: String, ports: [Int])? {
        state.withLock { state in
            state.pods[pod].flatMap { pod in state.templates.first { $0.id == pod.template } }.map { ($0.image, $0.environment, $0.startup, $0.ports) }
        }
    }
    public func removal(of pod: String) -> Date? { state.withLock { $0.pods[pod]?.removalAt } }

    // MARK: Rents and templates

    private func createTemplate(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let name = body["name"] as? String, let image = body["docker_image"] as? String, !image.isEmpty else {
            return Self.error(422, "invalid_input", "name and docker_image are required")
        }
        if let unknown = body.keys.sorted().first(where: { !Self.templateFields.contains($0) }) {
            return Self.error(422, "invalid_input", "unknown field \(unknown)")
        }
        let ports = body["internal_ports"] as? [Int] ?? [22]
        guard !ports.isEmpty, ports.allSatisfy({ (1...65_535).contains($0) }) else { return Self.error(422, "invalid_input", "internal_ports must be ports") }
        guard let environment = body["environment"] as? [String: String] ?? (body["environment"] == nil ? [:] : nil) else {
            return Self.error(422, "invalid_input", "environment must map names to strings")
        }
        let template = Template(
            id: UUID().uuidString.lowercased(), name: name, image: image, tag: body["docker_image_tag"] as? String ?? "", ports: ports,
            environment: environment, startup: body["startup_commands"] as? String ?? "")
        state.withLock { $0.templates.append(template) }
        var object = Self.templateObject(template)
        object["status"] = "CREATED"
        return .json(201, object)
    }

    private func rent(_ node: String, _ request: FakeRequest) -> FakeResponse {
        guard let body = request.json, let name = body["pod_name"] as? String, !name.isEmpty, let template = body["template_id"] as? String,
            let keys = body["user_public_key"] as? [String], !keys.isEmpty
        else { return Self.error(422, "invalid_input", "pod_name, template_id and user_public_key are required") }
        if let unknown = body.keys.sorted().first(where: { !Self.rentFields.contains($0) }) {
            return Self.error(422, "invalid_input", "unknown field \(unknown)")
        }
        let hours = body["termination_hours"] as? Int
        if let hours, !(1...720).contains(hours) { return Self.error(422, "invalid_input", "termination_hours must be 1 to 720") }
        guard settings.nodes.contains(where: { $0.id == node }) else { return Self.error(404, "executor_not_found", "Executor not found") }
        let key = request.header("Idempotency-Key")
        return state.withLock { state in
            if let key, let earlier = state.rents[key] {
                return .json(200, ["success": true, "pod_id": earlier], headers: [("Idempotent-Replayed", "true")])
            }
            guard state.templates.contains(where: { $0.id == template }) else { return Self.error(404, "template_not_found", "Template not found") }
            if state.pods.values.contains(where: { $0.node == node }) { return Self.error(409, "executor_not_available", "Executor is already rented") }
            let now = Date()
            let pod = Pod(
                id: UUID().uuidString.lowercased(), name: name, node: node, template: template, keys: keys, createdAt: now,
                removalAt: hours.map { now.addingTimeInterval(Double($0) * 3600) }, ordinal: state.made)
            state.made += 1
            state.pods[pod.id] = pod
            if let key { state.rents[key] = pod.id }
            return .json(200, ["success": true, "pod_id": pod.id])
        }
    }

    // MARK: Objects

    private func podObject(_ pod: Pod, _ template: Template?) -> [String: Any] {
        let running = Date().timeIntervalSince(pod.createdAt) >= settings.activation.seconds
        let node = settings.nodes.first { $0.id == pod.node }
        var object: [String: Any] = [
            "id": pod.id, "pod_name": pod.name, "status": running ? "RUNNING" : "PENDING", "created_at": FakeTime.iso8601(pod.createdAt),
            "updated_at": FakeTime.iso8601(pod.createdAt), "price": (node?.pricePerGPU ?? 0) * Double(node?.count ?? 1), "gpu_count": node?.count ?? 1,
            "executor": node.map(Self.executorObject) ?? [:], "template": template.map(Self.templateObject) ?? [:],
            "ssh_connect_cmd": NSNull(), "ports_mapping": [String: Int](), "removal_scheduled_at": pod.removalAt.map(FakeTime.iso8601) ?? NSNull(),
        ]
        if running {
            let ssh = settings.publish(pod.ordinal, 22)
            object["ssh_connect_cmd"] = "ssh \(settings.sshUser)@\(ssh.host) -p \(ssh.port)"
            object["ports_mapping"] = Dictionary(uniqueKeysWithValues: (template?.ports ?? [22]).map { (String($0), settings.publish(pod.ordinal, $0).port) })
        }
        return object
    }

    static func executorObject(_ node: Node) -> [String: Any] {
        [
            "id": node.id, "machine_name": node.gpu, "gpu_count": node.count, "price_per_gpu": node.pricePerGPU, "executor_ip_address": "198.51.100.7",
            "location": ["country": node.countryCode, "country_code": node.countryCode, "city": "Somewhere"], "status": "available",
            "specs": [
                "gpu": ["count": node.count, "driver": "550.54", "details": Array(repeating: ["name": node.gpu, "capacity": node.gpuMemoryMiB], count: node.count)],
                "cpu": ["count": node.cpus], "ram": ["total": node.ramKiB], "hard_disk": ["total": node.diskKiB, "free": node.diskKiB],
                "available_port_count": 20, "sysbox_runtime": false,
            ],
            "available_gpu_count": node.count, "min_gpu_count_for_rental": node.count, "tier": node.tier, "max_cuda_version": 12.4,
        ]
    }

    static func templateObject(_ template: Template) -> [String: Any] {
        [
            "id": template.id, "name": template.name, "docker_image": template.image, "docker_image_tag": template.tag.isEmpty ? "latest" : template.tag,
            "category": "UBUNTU", "status": "CREATED", "internal_ports": template.ports, "environment": template.environment,
            "startup_commands": template.startup, "supports_volume_encryption": false, "volumes": ["/workspace"], "one_time_template": true,
        ]
    }

    /// An error answer in Lium's envelope (with FastAPI's `detail` beside it, as the API sends).
    public static func error(_ status: Int, _ code: String, _ message: String) -> FakeResponse {
        .json(status, [
            "detail": message, "message": message,
            "error": ["code": code, "message": message, "hint": "", "request_id": "req-\(UUID().uuidString.prefix(8).lowercased())"],
        ])
    }

    static let notFound = error(404, "not_found", "Not found")
}
