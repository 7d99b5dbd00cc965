import Foundation
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore

/// Bittensor Lium (subnet 51) through its REST API (`https://lium.io/api`, key in `X-API-KEY`),
/// as Lium's own client `lium-io` 0.32.0 calls it — Lium publishes no API document; that client,
/// which drives the fake in the tests, is the source followed here.
///
/// A pod is a container Lium runs on a rented executor (a GPU node) from a template: the service's
/// image, command, environment and ports go into a one-time template, then `POST
/// /executors/{id}/rent` rents the node with the tool's SSH key, an `Idempotency-Key` made from the
/// request (a lost answer is resent with the same key and answered once), and `termination_hours`
/// from the deployment's expiry, so Lium itself ends the pod when the TTL runs out. Pods carry no
/// tags: the owner and deployment are in the pod's name (`PodNames`). The container's SSH and
/// service ports are published on other public ports (`ports_mapping`, `ssh_connect_cmd`).
///
/// Instance types: an executor id (what live offers list) rents that node; `<N>x-<GPU>` (the
/// snapshot's rows, `1x-H100`) rents the cheapest listed node with N of that GPU, the next one
/// when another renter got it first.
public struct LiumDriver: CloudDriver, OfferListing, ContainerHosting {
    public let provider = ProviderID.lium
    let client: JSONClient

    public static let factory: DriverFactory = { context in
        try LiumDriver(
            client: JSONClient(
                .lium, transport: context.transport, signer: APIKeyHeaderSigner(header: "X-API-KEY", key: try context.token(for: .lium)),
                environment: context.environment, errors: LiumErrors.map))
    }

    init(client: JSONClient) {
        self.client = client
    }

    public func checkCredentials() async throws -> String {
        struct Me: Decodable { var balance: Double? }
        let me = try await client.get("/users/me", operation: "users.me", as: Me.self)
        return "account with balance $\(String(format: "%.2f", me.balance ?? 0))"
    }

    // MARK: Create

    struct TemplateBody: Encodable {
        var name: String
        var docker_image: String
        var docker_image_digest = ""
        var docker_image_tag = ""
        var internal_ports: [Int]
        var startup_commands: String
        var category = "UBUNTU"
        var container_start_immediately = true
        var description = "blueprint-remote"
        var entrypoint = ""
        var environment: [String: String]
        var is_private = true
        var one_time_template = true
        var is_temporary = false
        var readme = "blueprint-remote"
        var volumes: [String] = []
    }

    struct RentBody: Encodable {
        var pod_name: String
        var template_id: String
        var dockerfile_content: String? = nil
        var volume_id: String? = nil
        var user_public_key: [String]
        var initial_port_count: Int? = nil
        var enable_volume_encryption = false
        var backup_log_id: String? = nil
        var restore_path: String? = nil
        var enable_backups = false
        var termination_hours: Int?

        // Nulls included, as Lium's own client sends them.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pod_name, forKey: .pod_name)
            try container.encode(template_id, forKey: .template_id)
            try container.encode(dockerfile_content, forKey: .dockerfile_content)
            try container.encode(volume_id, forKey: .volume_id)
            try container.encode(user_public_key, forKey: .user_public_key)
            try container.encode(initial_port_count, forKey: .initial_port_count)
            try container.encode(enable_volume_encryption, forKey: .enable_volume_encryption)
            try container.encode(backup_log_id, forKey: .backup_log_id)
            try container.encode(restore_path, forKey: .restore_path)
            try container.encode(enable_backups, forKey: .enable_backups)
            try container.encodeIfPresent(termination_hours, forKey: .termination_hours)
        }

        enum CodingKeys: String, CodingKey {
            case pod_name, template_id, dockerfile_content, volume_id, user_public_key, initial_port_count, enable_volume_encryption
            case backup_log_id, restore_path, enable_backups, termination_hours
        }
    }

    public func create(_ request: InstanceRequest) async throws -> Instance {
        guard let container = request.container else {
            throw ProviderError.unsupported("create", provider: provider, reason: "Lium runs container images: the request names no image")
        }
        guard let publicKey = request.sshPublicKey else {
            throw ValidationError(field: "ssh_public_key", value: nil, rule: "is required: Lium rents a pod only with an SSH key")
        }
        let name = try PodNames.podName(request)
        let template = try await ensureTemplate(container, name: PodNames.templateName(request.requestID))
        let body = RentBody(
            pod_name: name, template_id: template, user_public_key: [publicKey],
            termination_hours: request.tags.expires.map { Self.terminationHours(until: $0) })
        let idempotency = PodNames.idempotencyKey(request.requestID)
        // A node rented by someone else since the listing: the next one, if the type allows one.
        let none = ProviderError(
            .noCapacity(.region(request.region)), provider: provider, operation: "executors.rent", message: "no listed executor is \(request.instanceType)")
        return try await MarketplaceRace.rent(try await executors(for: request), region: request.region, nothing: none) { executor in
            struct Rented: Decodable {
                var id: String?
                var pod_id: String?
            }
            let rented = try await client.send(
                "POST", "/executors/\(executor)/rent", body: body, operation: "executors.rent",
                safety: .idempotencyKey(header: "Idempotency-Key", key: idempotency), as: Rented.self)
            guard let id = rented.pod_id ?? rented.id else {
                throw ProviderError(.outcomeUnknown, provider: provider, operation: "executors.rent", message: "the rent answer names no pod")
            }
            return Instance(
                id: id, provider: provider, region: request.region, instanceType: executor, status: .pending, sshUser: "root", tags: PodNames.tags(name))
        }
    }

    /// Whole hours from now until `date`, within the 1 to 720 Lium accepts.
    static func terminationHours(until date: Date, now: Date = Date()) -> Int {
        min(720, max(1, Int((date.timeIntervalSince(now) / 3600).rounded(.up))))
    }

    /// The executors the request may rent, cheapest first: the one named, or every listed node with
    /// `<N>x-<GPU>` in the request's region (`any` for all).
    func executors(for request: InstanceRequest) async throws -> [String] {
        if UUID(uuidString: request.instanceType) != nil { return [request.instanceType] }
        guard let (count, gpu) = GPUCountType.parse(request.instanceType) else {
            throw ValidationError(field: "type", value: request.instanceType, rule: "must be a Lium executor id or <GPUs>x-<GPU model> (1x-H100)")
        }
        guard let wanted = GPUModel.matching(gpu) else {
            throw ValidationError(field: "type", value: request.instanceType, rule: "names no GPU model this tool knows (\(GPUModel.knownNames))")
        }
        return try await listed()
            .filter { executor in
                executor.gpus == count && (request.region == "any" || executor.region == request.region.lowercased())
                    && Self.model(of: executor).map(wanted.contains) == true
            }
            .sorted { ($0.price_per_gpu ?? .infinity) < ($1.price_per_gpu ?? .infinity) }
            .map(\.id)
    }

    func listed() async throws -> [LiumWire.Executor] {
        try await client.get("/executors", query: [URLQueryItem(name: "view", value: "summary")], operation: "executors.list", as: [LiumWire.Executor].self)
    }

    /// The node's GPU as a canonical model (its memory tells variants apart).
    static func model(of executor: LiumWire.Executor) -> String? {
        GPUModel.normalize(executor.gpuName, memoryGB: executor.specs?.gpu?.details?.first?.capacity.map { $0 / 1024 })
    }

    /// The create request's one-time template, made once (a retry finds it by name).
    func ensureTemplate(_ container: ContainerLaunch, name: String) async throws -> String {
        let templates = try await client.get("/templates", operation: "templates.list", as: [LiumWire.Template].self)
        if let found = templates.first(where: { $0.name == name }) { return found.id }
        let body = TemplateBody(
            name: name, docker_image: container.image, internal_ports: container.ports,
            startup_commands: container.command.isEmpty ? "" : ShellCommand(container.command).text, environment: container.environment)
        return try await client.send("POST", "/templates", body: body, operation: "templates.create", safety: .unsafe, as: LiumWire.Template.self).id
    }

    // MARK: Describe, list, terminate

    func pods() async throws -> [LiumWire.Pod] {
        try await client.get("/pods", operation: "pods.list", as: [LiumWire.Pod].self)
    }

    var listing: PodListing {
        PodListing(
            all: { try await pods().map(LiumWire.instance) },
            delete: { [client] id in try await client.delete("/pods/\(id)", operation: "pods.delete") })
    }

    public func describe(_ ids: [String]) async throws -> [Instance] { try await listing.describe(ids) }
    public func list(tag key: String, value: String) async throws -> [Instance] { try await listing.list(tag: key, value: value) }
    public func terminate(_ ids: [String]) async throws { try await listing.terminate(ids) }

    /// The API calls a deployment of `replicas` makes, for `plan`.
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /executors", count: replicas, note: "one per replica for a <N>x-<GPU> type: the cheapest node listed"),
            ExpectedCall("GET /templates + POST /templates", count: replicas * 2, note: "one one-time template per replica: image, command, environment, ports"),
            ExpectedCall("POST /executors/{id}/rent", count: replicas, note: "one per replica, with an Idempotency-Key; the next node when one was taken"),
            ExpectedCall("GET /pods", count: 6, note: "one per poll until running, for all replicas at once"),
            ExpectedCall("GET /pods + DELETE /pods/{id}", count: 1 + replicas, note: "at down"),
        ]
    }

    // MARK: Offers

    /// Every listed executor, one offer each (its id is the instance type): GPUs, memory, vCPUs,
    /// RAM and disk from its specs, price per GPU-hour × GPUs; `spot` tier nodes are interruptible.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let now = Date()
        return try await listed().compactMap { executor -> Offer? in
            guard let perGPU = executor.price_per_gpu else { return nil }
            let price = perGPU * Double(executor.gpus)
            let memory = executor.specs?.gpu?.details?.first?.capacity.map { $0 / 1024 } ?? 0
            let spot = executor.tier == "spot"
            return Offer(
                provider: .lium, region: executor.region, instanceType: executor.id, vcpus: executor.specs?.cpu?.count.map(Double.init),
                memoryGB: executor.specs?.ram?.total.map { $0 / 1_048_576 }, diskGB: executor.specs?.hard_disk?.total.map { $0 / 1_048_576 },
                gpu: Offer.GPU(model: Self.model(of: executor) ?? executor.gpuName, count: executor.gpus, memoryGB: memory),
                onDemandPrice: spot ? nil : price, spotPrice: spot ? price : nil, source: "lium /executors", observedAt: now)
        }
    }
}
