import Foundation
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore

/// RunPod pods through the REST API v2 (`https://api.runpod.io/v2`, bearer `RUNPOD_API_KEY`),
/// following its OpenAPI document (docs.runpod.io/api-reference-v2; Tests/Contracts/runpod.json).
/// REST v1 (`rest.runpod.io/v1`, which PROVIDERS.md names) was retired on 2026-12-01: its calls no
/// longer answer, so this driver speaks v2 only.
///
/// A pod is a container RunPod runs: the service's image, its command as the entrypoint's `args`,
/// its environment byte-exact plus `PUBLIC_KEY` (the tool's key, which RunPod's images put in
/// `authorized_keys`), and its ports as `N/tcp` so each gets a public port (`runtime.ports`). v2 has
/// no tags and no idempotency key: the owner and deployment are in the pod's name (`PodNames`), and
/// a create whose answer was lost is looked up by that name before anything is sent again. v2 has no
/// spot market and no TTL of its own; the expiry is the store's (`gc` ends what outlives it).
public struct RunPodDriver: CloudDriver, OfferListing, ContainerHosting {
    public let provider = ProviderID.runpod
    let client: JSONClient

    public static let factory: DriverFactory = { context in
        try RunPodDriver(
            client: JSONClient(.runpod, transport: context.transport, token: try context.token(for: .runpod), environment: context.environment, errors: RunPodErrors.map))
    }

    init(client: JSONClient) {
        self.client = client
    }

    /// The cheapest read: the pods, counted.
    public func checkCredentials() async throws -> String {
        "account with \(try await pods().count) pods"
    }

    // MARK: Create

    struct CreateBody: Encodable {
        struct GPU: Encodable {
            var id: String
            var count: Int
        }

        var name: String
        var image: String
        var args: String?
        var disk: Int
        var ports: [String]
        var env: [String: String]
        var gpu: GPU
        var cloud: String
    }

    struct PodsAnswer: Decodable {
        var pods: [RunPodWire.Pod]
    }

    public func create(_ request: InstanceRequest) async throws -> Instance {
        guard let container = request.container else {
            throw ProviderError.unsupported("create", provider: provider, reason: "RunPod runs container images: the request names no image")
        }
        guard let cloud = ["secure": "SECURE", "community": "COMMUNITY"][request.region.lowercased()] else {
            throw ValidationError(field: "region", value: request.region, rule: "must be secure or community (RunPod's clouds)")
        }
        let name = try PodNames.podName(request)
        let (gpu, count) = RunPodTypes.parse(request.instanceType)
        var env = container.environment
        if let key = request.sshPublicKey {
            if let set = env["PUBLIC_KEY"], set != key {
                throw ValidationError(field: "env.PUBLIC_KEY", value: nil, rule: "is where RunPod takes the SSH key; the tool sets it to its own key")
            }
            env["PUBLIC_KEY"] = key
        }
        let body = CreateBody(
            name: name, image: container.image, args: container.command.isEmpty ? nil : ShellCommand(container.command).text,
            disk: max(1, Int(request.diskGB.rounded(.up))), ports: container.ports.map { "\($0)/tcp" }, env: env, gpu: .init(id: gpu, count: count),
            cloud: cloud)
        // No idempotency key in v2: after a lost answer, a pod of this name is the first one.
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await pods().first(where: { $0.name == name }) else { return nil }
            return HTTPResponse(status: 201, body: try JSONEncoder().encode(found))
        }
        do {
            let pod = try await client.send("POST", "/v2/pods", body: body, operation: "pods.create", safety: .lookup(lookup), as: RunPodWire.Pod.self)
            return RunPodWire.instance(pod)
        } catch let error as ProviderError {
            throw error.scoped(toRegion: request.region)
        }
    }

    // MARK: Describe, list, terminate

    /// Every pod of the account: v2 lists them all in one answer, without filters or pages.
    func pods() async throws -> [RunPodWire.Pod] {
        try await client.get("/v2/pods", operation: "pods.list", as: PodsAnswer.self).pods
    }

    var listing: PodListing {
        PodListing(
            all: { try await pods().map(RunPodWire.instance) },
            delete: { [client] id in
                try await client.delete("/v2/pods/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)", operation: "pods.delete")
            })
    }

    public func describe(_ ids: [String]) async throws -> [Instance] { try await listing.describe(ids) }
    public func list(tag key: String, value: String) async throws -> [Instance] { try await listing.list(tag: key, value: value) }
    public func terminate(_ ids: [String]) async throws { try await listing.terminate(ids) }

    /// The API calls a deployment of `replicas` makes, for `plan`.
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("POST /v2/pods", count: replicas, note: "one per replica; a lost answer is found by name"),
            ExpectedCall("GET /v2/pods", count: 8, note: "one per poll until running, for all replicas at once"),
            ExpectedCall("GET /v2/pods + DELETE /v2/pods/{id}", count: 1 + replicas, note: "at down"),
        ]
    }

    // MARK: Offers

    /// Every GPU type in stock on each cloud (`include=AVAILABILITY`, stock not `NONE`), for 1 GPU
    /// and each larger power of two up to the type's most, at the listed price per GPU-hour.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let now = Date()
        var offers: [Offer] = []
        for cloud in ["SECURE", "COMMUNITY"] {
            let query = ["include": "AVAILABILITY", "product": "POD", "cloud": cloud].sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            struct Answer: Decodable { var gpus: [RunPodWire.GPUType] }
            for type in try await client.get("/v2/catalog/gpus", query: query, operation: "catalog.gpus", as: Answer.self).gpus {
                let secure = cloud == "SECURE"
                guard (secure ? type.secure : type.community) == true, type.availability != "NONE",
                    let price = secure ? type.price?.secure : type.price?.community, price > 0
                else { continue }
                let most = (secure ? type.maxCount?.secure : type.maxCount?.community) ?? 1
                let memory = type.memory ?? 0
                let model = GPUModel.normalize(type.id, memoryGB: memory) ?? GPUModel.normalize(type.name ?? "", memoryGB: memory) ?? type.name ?? type.id
                for count in [1, 2, 4, 8] where count <= most {
                    offers.append(Offer(
                        provider: .runpod, region: cloud.lowercased(), instanceType: RunPodTypes.name(gpu: type.id, count: count), vcpus: nil, memoryGB: nil,
                        gpu: Offer.GPU(model: model, count: count, memoryGB: memory), onDemandPrice: price * Double(count),
                        source: "runpod /v2/catalog/gpus", observedAt: now))
                }
            }
        }
        return offers
    }
}
