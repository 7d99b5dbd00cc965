import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Fluidstack GPU machines through its platform API (`https://platform.fluidstack.io`), key in
/// the `api-key` header (`FLUIDSTACK_API_KEY`). Follows Fluidstack's OpenAPI document
/// (fluidstackio/fern-config, `fluidstack-openapi.json`) and the SDK generated from it
/// (`fluidstack` on PyPI), which drives the fake in the tests. Fluidstack's newer Atlas API
/// (projects and clusters, private addresses only) is a different product and not used.
///
/// Offers are `/list_available_configurations`: a GPU type at each count it lists, in each region
/// it lists, at its per-GPU price — only what is in stock is listed, so a create first checks its
/// configuration is still there. An instance type is `<gpu type>::<count>` (`H100_PCIE_80GB::1`),
/// a region Fluidstack's (`NORWAY`). The tool's key is registered once (by name; Fluidstack lists
/// keys with their text) and named at create; the login user and SSH port are the instance's own
/// (`username`, `ssh_port`). Instances carry no tags: owner and deployment are written into the
/// name (`PodNames`), which also finds a lost create. There is no firewall in the API, and no
/// user data: `allowed_cidrs` that narrow access are refused, and a container runtime the image
/// lacks is installed over SSH at deploy.
public struct FluidstackDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.fluidstack
    let client: JSONClient
    /// `BLUEPRINT_REMOTE_FLUIDSTACK_OS`: the operating system label (`ubuntu_22_04_lts_nvidia` by default).
    let system: String
    let known = LookupCache()

    public static let factory: DriverFactory = { context in
        try FluidstackDriver(
            client: JSONClient(
                .fluidstack, transport: context.transport, signer: APIKeyHeaderSigner(header: "api-key", key: try context.token(for: .fluidstack)),
                environment: context.environment, errors: FluidstackErrors.map),
            system: context.environment["BLUEPRINT_REMOTE_FLUIDSTACK_OS"] ?? "ubuntu_22_04_lts_nvidia")
    }

    public func checkCredentials() async throws -> String {
        "account with \(try await instances().count) instances"
    }

    /// Every instance, the failed ones too (the API hides them unless asked).
    func instances() async throws -> [FluidstackWire.Instance] {
        try await client.get(
            "/instances", query: [URLQueryItem(name: "include_failed_instances", value: "true")], operation: "instances.list", as: [FluidstackWire.Instance].self)
    }

    func configurations() async throws -> [FluidstackWire.Offer] {
        try await client.get("/list_available_configurations", operation: "configurations.list", as: [FluidstackWire.Offer].self)
    }

    // MARK: Create

    struct CreateBody: Encodable {
        var name: String
        var gpu_type: String
        var gpu_count: Int
        var ssh_key: String
        var operating_system_label: String
        var region: String
    }

    struct Created: Codable {
        var id: String
        var name: String?
    }

    public func create(_ request: InstanceRequest) async throws -> Instance {
        let publicKey = try VMAdmission.admit(request, provider: provider, firewall: false)
        guard let (count, gpuType) = FluidstackWire.shape(request.instanceType) else {
            throw ValidationError(field: "instance_type", value: request.instanceType, rule: "must be <GPU type>::<count> as Fluidstack's offers name it (H100_PCIE_80GB::1)")
        }
        let name = try PodNames.podName(request)
        if let found = try await named(name) { return FluidstackWire.instance(found) }
        try await inStock(gpuType, count: count, region: request.region)
        let key = try await ensureKey(publicKey)
        let body = CreateBody(name: name, gpu_type: gpuType, gpu_count: count, ssh_key: key, operating_system_label: system, region: request.region)
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await named(name) else { return nil }
            return HTTPResponse(status: 201, body: try JSONEncoder().encode(Created(id: found.id, name: name)))
        }
        let made: Created
        do {
            made = try await client.send("POST", "/instances", body: body, operation: "instances.create", safety: .lookup(lookup), as: Created.self)
        } catch let error as ProviderError {
            throw error.scoped(toRegion: request.region)
        }
        return Instance(
            id: made.id, provider: provider, region: request.region, instanceType: request.instanceType, status: .pending, sshPort: 22, sshUser: nil,
            createdAt: Date(), tags: PodNames.tags(name))
    }

    func named(_ name: String) async throws -> FluidstackWire.Instance? {
        try await instances().first { $0.name == name && ![.terminated, .terminating, .failed].contains(FluidstackWire.status($0.status)) }
    }

    /// Only what is in stock is listed: the configuration must be, in the region. Else no
    /// capacity, scoped to the region when another lists it, to the provider when none does.
    func inStock(_ gpuType: String, count: Int, region: String) async throws {
        let listed = try await configurations().filter { $0.gpu_type == gpuType && $0.gpu_counts.contains(count) }
        guard !listed.contains(where: { $0.regions.contains(region) }) else { return }
        throw CapacityElsewhere.error(
            provider, operation: "instances.create", message: "Fluidstack lists no \(count)x \(gpuType) in \(region) now", region: region,
            elsewhere: listed.flatMap(\.regions))
    }

    /// The key's name at Fluidstack, registered on first use (names are unique; keys are listed with their text).
    func ensureKey(_ publicKey: String) async throws -> String {
        try await KeyRegistration.name(
            for: publicKey, known: known,
            listed: { [client] in try await client.get("/ssh_keys", operation: "ssh_keys.list", as: [FluidstackWire.SSHKey].self).map { ($0.name, $0.public_key ?? "") } },
            register: { [client] name, find in
                try await client.send(
                    "POST", "/ssh_keys", body: FluidstackWire.SSHKey(name: name, public_key: publicKey), operation: "ssh_keys.create",
                    safety: .lookup({
                        guard let found = try await find() else { return nil }
                        return HTTPResponse(status: 201, body: try JSONEncoder().encode(FluidstackWire.SSHKey(name: found, public_key: publicKey)))
                    }), as: FluidstackWire.SSHKey.self
                ).name
            })
    }

    // MARK: Describe, list, terminate

    var listing: PodListing {
        PodListing(
            all: { [self] in try await instances().map(FluidstackWire.instance) },
            delete: { [client] id in try await client.delete("/instances/\(id)", operation: "instances.delete") })
    }

    public func describe(_ ids: [String]) async throws -> [Instance] { try await listing.describe(ids) }

    public func list(tag key: String, value: String) async throws -> [Instance] { try await listing.list(tag: key, value: value) }

    public func terminate(_ ids: [String]) async throws { try await listing.terminate(ids) }

    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /ssh_keys + POST /ssh_keys", count: 2, note: "the tool's SSH key: registered once per account, one GET after"),
            ExpectedCall("GET /instances + GET /list_available_configurations + POST /instances", count: replicas * 3,
                note: "per replica: the name looked for first (a second run finds its instance), the configuration still in stock, the create"),
            ExpectedCall("GET /instances", count: 6, note: "one per poll until running, whatever the replica count"),
            ExpectedCall("GET /instances + DELETE /instances/{id}", count: 1 + replicas, note: "at down"),
        ]
    }

    // MARK: Offers

    /// Every configuration in stock: each GPU count in each region, at the per-GPU price times the count.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let now = Date()
        return try await configurations().flatMap { listed -> [Offer] in
            guard let perGPU = Double(listed.price_per_gpu_hr) else { return [] }
            let memory = Self.gpuMemory(listed.gpu_type)
            let model = GPUModel.normalize(listed.gpu_type.replacingOccurrences(of: "_", with: " "), memoryGB: memory) ?? listed.gpu_type
            return listed.gpu_counts.flatMap { count in
                listed.regions.map { region in
                    Offer(
                        provider: .fluidstack, region: region, instanceType: FluidstackWire.typeName(listed.gpu_type, count: count), vcpus: nil, memoryGB: nil,
                        gpu: Offer.GPU(model: model, count: count, memoryGB: memory ?? 0), onDemandPrice: perGPU * Double(count),
                        source: "fluidstack /list_available_configurations", observedAt: now)
                }
            }
        }
    }

    /// `H100_PCIE_80GB` → 80.
    static func gpuMemory(_ gpuType: String) -> Double? {
        gpuType.split(separator: "_").last.flatMap { $0.hasSuffix("GB") ? Double($0.dropLast(2)) : nil }
    }
}
