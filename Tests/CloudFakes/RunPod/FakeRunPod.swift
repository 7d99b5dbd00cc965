import Foundation
import Synchronization

/// RunPod's REST API v2 as its document describes it (Tests/Contracts/runpod.json), for the calls
/// the driver makes: the GPU catalog with stock per cloud, pods (PROVISIONING → STARTING → RUNNING
/// over `activation`, with `runtime.ports` published where `publish` says once running), deletion
/// (204, then gone). Errors are problem documents (`title`, `status`, `detail`, `errors`); request
/// fields the document does not declare are refused with 422, as its closed schemas say. The
/// document names no error for sold-out GPUs: this fake answers 400 with RunPod's words for it
/// ("There are no longer any instances available with the requested specifications").
public final class FakeRunPod: FakeAPI {
    public let contract: String? = "runpod"

    public struct GPU: Sendable {
        public var id: String
        public var name: String
        public var memory: Int
        public var secure: Double
        public var community: Double
        public var maxCount: Int
        /// `NONE`, `LOW`, `MEDIUM`, `HIGH`.
        public var stock: String

        public init(id: String, name: String, memory: Int, secure: Double, community: Double, maxCount: Int = 8, stock: String = "HIGH") {
            self.id = id
            self.name = name
            self.memory = memory
            self.secure = secure
            self.community = community
            self.maxCount = maxCount
            self.stock = stock
        }
    }

    public struct Settings: Sendable {
        public var apiKey = "rpa_FAKE0000000000000000000000000000000000000000"
        public var activation: Duration = .milliseconds(300)
        /// Where the n-th pod's container port is published: public address and port.
        public var publish: @Sendable (_ pod: Int, _ containerPort: Int) -> (ip: String, port: Int) = { pod, port in
            ("203.0.113.\(40 + pod % 200)", 20_000 + (pod % 200) * 100 + port % 100)
        }
        public var gpus: [GPU] = [
            GPU(id: "NVIDIA H100 80GB HBM3", name: "H100 SXM", memory: 80, secure: 2.99, community: 2.69),
            GPU(id: "NVIDIA H100 PCIe", name: "H100 PCIe", memory: 80, secure: 2.39, community: 1.99, maxCount: 4),
            GPU(id: "NVIDIA A40", name: "A40", memory: 48, secure: 0.44, community: 0.35, stock: "NONE"),
            GPU(id: "NVIDIA GeForce RTX 4090", name: "RTX 4090", memory: 24, secure: 0.69, community: 0.34),
        ]
        /// GPU ids a create is refused for, as sold out.
        public var soldOut: Set<String> = []

        public init() {}
    }

    struct Pod: Sendable {
        var id: String
        var name: String
        var image: String
        var args: String
        var disk: Int
        var ports: [String]
        var env: [String: String]
        var gpu: String
        var count: Int
        var cloud: String
        var createdAt: Date
        var ordinal: Int
    }

    struct State: Sendable {
        var pods: [String: Pod] = [:]
        var made = 0
    }

    let settings: Settings
    private let state = Mutex(State())

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
    }

    static let createFields: Set<String> = ["image", "args", "disk", "ports", "env", "registry", "name", "mounts", "gpu", "cpu", "cloud", "dataCenterIds", "globalNetworking"]

    public func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse {
        var response = answer(request)
        response.headers += [
            ("RateLimit", #""minute";r=59;t=60, "hour";r=2999;t=3600, "day";r=49999;t=86400"#),
            ("RateLimit-Policy", #""minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400"#),
        ]
        return response
    }

    private func answer(_ request: FakeRequest) -> FakeResponse {
        guard request.header("Authorization") == "Bearer \(settings.apiKey)" else { return Self.problem(401, "Unauthorized", "invalid bearer token") }
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.first == "v2", parts.count >= 2 else { return Self.problem(404, "Not Found", "resource not found") }
        switch (request.method, Array(parts.dropFirst()).joined(separator: "/")) {
        case ("GET", "catalog/gpus"):
            let cloud = request.query["cloud"] ?? "SECURE"
            let availability = request.query["include"] == "AVAILABILITY"
            return .json(200, ["gpus": settings.gpus.map { gpu -> [String: Any] in
                var object: [String: Any] = [
                    "id": gpu.id, "name": gpu.name, "pool": NSNull(), "manufacturer": "NVIDIA", "memory": gpu.memory, "secure": true, "community": true,
                    "price": ["secure": gpu.secure, "community": gpu.community], "maxCount": ["secure": gpu.maxCount, "community": gpu.maxCount],
                ]
                if availability {
                    object["availability"] = gpu.stock
                    object["dataCenters"] = [["id": cloud == "SECURE" ? "US-TX-3" : "EU-RO-1", "name": "Data center", "availability": gpu.stock]]
                }
                return object
            }])
        case ("GET", "pods"):
            let pods = state.withLock { $0.pods.values.sorted { $0.ordinal < $1.ordinal } }
            return .json(200, ["pods": pods.map(podObject)])
        case ("POST", "pods"):
            return create(request)
        default:
            break
        }
        // `pods/{id}`: the id is what remains after `pods/` (GPU and pod ids may hold spaces or slashes).
        let rest = Array(parts.dropFirst())
        guard rest.first == "pods", rest.count == 2 else { return Self.problem(404, "Not Found", "resource not found") }
        let id = rest[1]
        switch request.method {
        case "GET":
            return state.withLock { $0.pods[id] }.map { .json(200, podObject($0)) } ?? Self.problem(404, "Not Found", "pod not found")
        case "DELETE":
            return state.withLock { $0.pods.removeValue(forKey: id) } == nil ? Self.problem(404, "Not Found", "pod not found") : FakeResponse(status: 204)
        default:
            return Self.problem(405, "Method Not Allowed", "The requested method is not allowed for this path.")
        }
    }

    // MARK: What a test may look at

    /// Live pods: id → name.
    public var livePods: [String: String] { state.withLock { $0.pods.mapValues(\.name) } }
    /// What a live pod was created with.
    public func container(of pod: String) -> (image: String, args: String, env: [String: String], ports: [String])? {
        state.withLock { $0.pods[pod].map { ($0.image, $0.args, $0.env, $0.ports) } }
    }

    // MARK: Pods

    private func create(_ request: FakeRequest) -> FakeResponse {
        guard let body = request.json else { return Self.problem(400, "Bad Request", "request body is not JSON") }
        let unknown = body.keys.sorted().filter { !Self.createFields.contains($0) }
        if !unknown.isEmpty {
            return Self.problem(422, "Unprocessable Entity", "Request validation failed.", errors: unknown.map { "$: additional properties '\($0)' not allowed" })
        }
        guard let name = body["name"] as? String, !name.isEmpty, let image = body["image"] as? String, !image.isEmpty else {
            return Self.problem(422, "Unprocessable Entity", "Request validation failed.", errors: ["$: missing properties 'name', 'image'"])
        }
        guard let gpu = body["gpu"] as? [String: Any], let gpuID = gpu["id"] as? String, body["cpu"] == nil else {
            return Self.problem(400, "Bad Request", "exactly one of gpu or cpu must be set")
        }
        let count = gpu["count"] as? Int ?? 1
        let cloud = body["cloud"] as? String ?? "SECURE"
        guard let type = settings.gpus.first(where: { $0.id == gpuID }) else { return Self.problem(400, "Bad Request", "unknown GPU type \(gpuID)") }
        guard count <= type.maxCount else { return Self.problem(400, "Bad Request", "gpu.count exceeds the most \(type.maxCount) for \(gpuID)") }
        let ports = body["ports"] as? [String] ?? []
        guard ports.allSatisfy({ Self.isPort($0) }) else { return Self.problem(422, "Unprocessable Entity", "Request validation failed.", errors: ["$.ports: must be port/http or port/tcp"]) }
        guard let env = body["env"] as? [String: String] ?? (body["env"] == nil ? [:] : nil) else {
            return Self.problem(422, "Unprocessable Entity", "Request validation failed.", errors: ["$.env: values must be strings"])
        }
        if settings.soldOut.contains(gpuID) || type.stock == "NONE" {
            return Self.problem(400, "Bad Request", "There are no longer any instances available with the requested specifications. Please refresh and try again.")
        }
        return state.withLock { state in
            let pod = Pod(
                id: String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(14)), name: name, image: image,
                args: body["args"] as? String ?? "", disk: body["disk"] as? Int ?? 20, ports: ports, env: env, gpu: gpuID, count: count, cloud: cloud,
                createdAt: Date(), ordinal: state.made)
            state.made += 1
            state.pods[pod.id] = pod
            return .json(201, podObject(pod))
        }
    }

    static func isPort(_ text: String) -> Bool {
        let pieces = text.split(separator: "/")
        return pieces.count == 2 && Int(pieces[0]).map { (1...65_535).contains($0) } == true && (pieces[1] == "tcp" || pieces[1] == "http")
    }

    private func podObject(_ pod: Pod) -> [String: Any] {
        let age = Date().timeIntervalSince(pod.createdAt)
        let status = age < settings.activation.seconds / 2 ? "PROVISIONING" : age < settings.activation.seconds ? "STARTING" : "RUNNING"
        let price = settings.gpus.first { $0.id == pod.gpu }.map { pod.cloud == "SECURE" ? $0.secure : $0.community } ?? 0
        let runtime: Any = status == "RUNNING"
            ? [
                "uptime": Int(age), "ports": pod.ports.compactMap { port -> [String: Any]? in
                    let pieces = port.split(separator: "/")
                    guard let inside = Int(pieces[0]) else { return nil }
                    let published = settings.publish(pod.ordinal, inside)
                    return ["private": inside, "public": published.port, "type": String(pieces[1]), "ip": published.ip]
                },
            ] as [String: Any] : NSNull()
        return [
            "id": pod.id, "name": pod.name, "status": status, "actions": status == "RUNNING" ? ["stop", "restart", "terminate"] : ["stop", "terminate"],
            "image": pod.image, "args": pod.args, "disk": pod.disk, "mounts": [String: Any](), "ports": pod.ports, "env": pod.env, "registry": NSNull(),
            "gpu": ["id": pod.gpu, "count": pod.count], "cloud": pod.cloud, "dataCenterId": pod.cloud == "SECURE" ? "US-TX-3" : "EU-RO-1",
            "template": NSNull(), "cost": price * Double(pod.count), "locked": false, "runtime": runtime, "createdAt": FakeTime.iso8601(pod.createdAt),
            "startedAt": status == "RUNNING" ? FakeTime.iso8601(pod.createdAt.addingTimeInterval(settings.activation.seconds)) : NSNull(),
            "globalNetworking": ["enabled": false],
        ]
    }

    /// A problem document as RunPod gives it.
    public static func problem(_ status: Int, _ title: String, _ detail: String, errors: [String]? = nil) -> FakeResponse {
        var body: [String: Any] = ["title": title, "status": status, "detail": detail]
        if let errors { body["errors"] = errors }
        var response = FakeResponse.json(status, body)
        response.headers = [("Content-Type", "application/problem+json")]
        return response
    }
}
