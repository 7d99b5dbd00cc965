import Foundation
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore

/// TensorDock virtual machines through the API v2 (`https://dashboard.tensordock.com/api/v2`),
/// bearer token (`TENSORDOCK_API_KEY`), as its documentation pages show it
/// (dashboard.tensordock.com/api/docs: getting-started, instance-creation, instance-management,
/// fetch-hostnodes). The pages give examples only; where they are silent the driver does what
/// TensorDock's users report the live API does, and says so.
///
/// Offers are `/locations`: a location's GPU model at 1, 2, 4 and 8 GPUs up to its `max_count`,
/// where it has dedicated IPs. An instance type is `<count>x-<v0Name>` (`1x-geforcertx4090-pcie-24gb`),
/// a region a location id (or `any`, the bundled catalog's: the cheapest location with the GPU); each GPU comes with 8 vCPUs and 32 GB of memory (within the location's
/// limits) and the disk asked for, at least TensorDock's 100 GB. Machines get a dedicated IP, so
/// SSH is port 22 (a port forward for 22, if the API reports one, wins). They carry no tags: owner
/// and deployment are written into the name (`PodNames`), which also finds a lost create. The key
/// goes in `ssh_key` and, since users report it is not always installed, also by cloud-init for
/// the login `user` (TensorDock's VM user; the v2 pages do not name it). TensorDock has no firewall
/// API: a request that narrows `allowed_cidrs` is refused.
public struct TensorDockDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.tensordock
    let client: JSONClient
    /// `BLUEPRINT_REMOTE_TENSORDOCK_IMAGE`: the OS image (`ubuntu2404` by default, the documented example).
    let defaultImage: String

    static let sshUser = "user"
    static let minimumDiskGB = 100
    static let gpuCounts = [1, 2, 4, 8]

    public static let factory: DriverFactory = { context in
        try TensorDockDriver(
            client: JSONClient(
                .tensordock, transport: context.transport, token: try context.token(for: .tensordock), environment: context.environment,
                errors: TensorDockErrors.map),
            defaultImage: context.environment["BLUEPRINT_REMOTE_TENSORDOCK_IMAGE"] ?? "ubuntu2404")
    }

    public func checkCredentials() async throws -> String {
        "organization with \(try await listed().count) instances"
    }

    // MARK: Instance types

    /// The GPU a listing offers as a canonical model (`RTX4090` for `geforcertx4090-pcie-24gb`).
    static func model(of gpu: TensorDockWire.LocationGPU) -> String? {
        GPUModel.normalize(gpu.displayName ?? gpu.v0Name, memoryGB: memory(of: gpu.v0Name))
    }

    /// `geforcertx4090-pcie-24gb` → 24.
    static func memory(of v0Name: String) -> Double? {
        v0Name.split(separator: "-").last.flatMap { Double($0.replacingOccurrences(of: "gb", with: "")) }
    }

    /// Whether `asked` (an instance type's GPU part) names this listing: its `v0Name` (any case),
    /// or a GPU model or family it is one of (`RTX4090`, `H100`), as the bundled catalog writes them.
    static func names(_ asked: String, _ gpu: TensorDockWire.LocationGPU) -> Bool {
        if gpu.v0Name.lowercased() == asked.lowercased() { return true }
        guard let wanted = GPUModel.matching(asked), let model = model(of: gpu) else { return false }
        return wanted.contains(model)
    }

    static func sizing(_ count: Int, limits: TensorDockWire.Limits?) -> (vcpus: Int, ramGB: Int) {
        (min(8 * count, limits?.max_vcpus ?? .max), min(32 * count, limits?.max_ram_gb ?? .max))
    }

    func locations() async throws -> [TensorDockWire.Location] {
        try await client.get("/locations", operation: "locations.list", as: TensorDockWire.Locations.self).data.locations
    }

    // MARK: Create

    struct CreateBody: Encodable {
        struct GPU: Encodable { var count: Int }
        struct Resources: Encodable {
            var vcpu_count: Int
            var ram_gb: Int
            var storage_gb: Int
            var gpus: [String: GPU]
        }
        struct CloudInit: Encodable { var runcmd: [String] }
        struct Attributes: Encodable {
            var name: String
            var type = "virtualmachine"
            var image: String
            var resources: Resources
            var location_id: String
            var useDedicatedIp = true
            var ssh_key: String
            var cloud_init: CloudInit
        }
        struct Data: Encodable {
            var type = "virtualmachine"
            var attributes: Attributes
        }

        var data: Data
    }

    /// `{"data": {"type", "id", "name", "status"}}` — or, refused, HTTP 200 with `{"status", "error"}`.
    struct CreateAnswer: Codable {
        struct Made: Codable {
            var id: String
            var name: String?
            var status: String?
        }

        var data: Made?
        var status: Int?
        var error: String?
    }

    public func create(_ request: InstanceRequest) async throws -> Instance {
        let key = try VMAdmission.admit(request, provider: provider, firewall: false)
        guard let (count, model) = GPUCountType.parse(request.instanceType) else {
            throw ValidationError(
                field: "instance_type", value: request.instanceType, rule: "must be <count>x-<GPU> as TensorDock's offers name it (1x-geforcertx4090-pcie-24gb, 1x-RTX4090)")
        }
        let name = try PodNames.podName(request)
        // The API reads back no location or resources: they are the request's.
        func asked(_ instance: Instance) -> Instance {
            var instance = instance
            instance.region = request.region
            instance.instanceType = request.instanceType
            return instance
        }
        if let found = try await named(name) { return asked(found) }
        let (location, gpu) = try await stocked(model, count: count, in: request.region)
        let (vcpus, ram) = Self.sizing(count, limits: gpu.resources)
        let boot = try FirstBoot.commands(key: key, user: Self.sshUser, userData: request.userData).map(\.text)
        let body = CreateBody(data: .init(attributes: .init(
            name: name, image: request.image ?? defaultImage,
            resources: .init(
                vcpu_count: vcpus, ram_gb: ram, storage_gb: max(Self.minimumDiskGB, Int(request.diskGB.rounded(.up))), gpus: [gpu.v0Name: .init(count: count)]),
            location_id: location, ssh_key: key, cloud_init: .init(runcmd: boot))))
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await named(name) else { return nil }
            return HTTPResponse(status: 200, body: try JSONEncoder().encode(CreateAnswer(data: .init(id: found.id, name: name, status: "creating"))))
        }
        let response: HTTPResponse
        do {
            response = try await client.http.send(
                ProviderRequest.json("POST", "/instances", body: try JSONEncoder().encode(body), operation: "instances.create", safety: .lookup(lookup)))
        } catch let error as ProviderError {
            throw error.scoped(toRegion: location)
        }
        let answer: CreateAnswer = try client.decode(response, operation: "instances.create")
        // A refusal may come as HTTP 200 with the error in the body.
        if answer.error != nil, let refusal = TensorDockErrors.map(response, ProviderRequest(method: "POST", path: "/instances", operation: "instances.create")) {
            throw refusal.scoped(toRegion: location)
        }
        guard let made = answer.data else {
            // Neither an instance nor a refusal: whether one was made, only a look can tell.
            if let found = try await named(name) { return asked(found) }
            throw ProviderError(.outcomeUnknown, provider: provider, operation: "instances.create", message: "the create answer named no instance and gave no reason")
        }
        return Instance(
            id: made.id, provider: provider, region: location, instanceType: request.instanceType, status: .pending, sshPort: 22, sshUser: Self.sshUser,
            createdAt: Date(),
            tags: PodNames.tags(name))
    }

    /// The location and its listing of `model` when it can hold `count` of them on a dedicated IP
    /// now (`any`: the cheapest location that can); else no capacity, scoped by whether another
    /// location can (`CapacityElsewhere`).
    func stocked(_ model: String, count: Int, in location: String) async throws -> (location: String, gpu: TensorDockWire.LocationGPU) {
        let all = try await locations()
        let fits: (TensorDockWire.LocationGPU) -> Bool = {
            Self.names(model, $0) && $0.max_count >= count && $0.network_features?.dedicated_ip_available != false
        }
        if location == "any" {
            let found = all.flatMap { place in place.gpus.filter(fits).map { (place.id, $0) } }.min { $0.1.price_per_hr < $1.1.price_per_hr }
            if let found { return found }
        }
        if let gpu = all.first(where: { $0.id == location })?.gpus.first(where: fits) { return (location, gpu) }
        throw CapacityElsewhere.error(
            provider, operation: "instances.create", message: "location \(location) lists no \(count)x \(model) with a dedicated IP now", region: location,
            elsewhere: all.filter { $0.gpus.contains(where: fits) }.map(\.id))
    }

    // MARK: Describe, list, terminate

    func listed() async throws -> [TensorDockWire.ListedInstance] {
        try await client.get("/instances", operation: "instances.list", as: TensorDockWire.InstanceList.self).instances
    }

    /// An instance of ours by name, alive.
    func named(_ name: String) async throws -> Instance? {
        guard let entry = try await listed().first(where: { $0.itsName == name && ![.terminated, .terminating].contains(TensorDockWire.status($0.itsStatus)) })
        else { return nil }
        return try await describe([entry.id]).first
    }

    /// The list carries no address: one GET per id.
    public func describe(_ ids: [String]) async throws -> [Instance] {
        try await OneByOne.describe(ids) { [client] id in
            guard let found = try await client.find("/instances/\(id)", operation: "instances.get", as: TensorDockWire.Instance.self) else { return nil }
            return Self.instance(found)
        }
    }

    static func instance(_ wire: TensorDockWire.Instance) -> Instance {
        let ssh = wire.portForwards?.first { $0.internal_port == 22 }?.external_port ?? 22
        return Instance(
            id: wire.id, provider: .tensordock, region: "", instanceType: "", status: TensorDockWire.status(wire.status),
            publicAddress: wire.ipAddress.flatMap { $0.isEmpty ? nil : $0 }, sshPort: ssh, sshUser: sshUser, tags: PodNames.tags(wire.name ?? ""))
    }

    public func list(tag key: String, value: String) async throws -> [Instance] {
        let ids = try await listed().filter { PodNames.tags($0.itsName ?? "")[key] == value }.map(\.id)
        return try await describe(ids)
    }

    /// A DELETE for each machine still there and not already going (one gone is a 404: success).
    public func terminate(_ ids: [String]) async throws {
        let alive = try await describe(Array(Set(ids))).filter { ![.terminated, .terminating].contains($0.status) }.map(\.id)
        try await OneByOne.each(alive) { [client] id in try await client.delete("/instances/\(id)", operation: "instances.delete") }
    }

    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /instances + GET /locations + POST /instances", count: replicas * 3,
                note: "per replica: the name looked for first (a second run finds its machine), the location's stock, the create"),
            ExpectedCall("GET /instances/{id}", count: replicas * 6, note: "one per replica per poll until running (the list carries no address)"),
            ExpectedCall("GET + DELETE /instances/{id}", count: replicas * 2, note: "at down"),
        ]
    }

    // MARK: Offers

    /// Each location's GPU models at 1, 2, 4 and 8 GPUs (up to what it lists), where it has
    /// dedicated IPs, priced as TensorDock adds it up: GPUs, vCPUs, memory and 100 GB of disk.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let now = Date()
        return try await locations().flatMap { location in
            location.gpus.filter { $0.network_features?.dedicated_ip_available != false }.flatMap { gpu in
                Self.gpuCounts.filter { $0 <= gpu.max_count }.map { count in
                    let (vcpus, ram) = Self.sizing(count, limits: gpu.resources)
                    let pricing = gpu.pricing
                    let price = Double(count) * gpu.price_per_hr + Double(vcpus) * (pricing?.per_vcpu_hr ?? 0) + Double(ram) * (pricing?.per_gb_ram_hr ?? 0)
                        + Double(Self.minimumDiskGB) * (pricing?.per_gb_storage_hr ?? 0)
                    return Offer(
                        provider: .tensordock, region: location.id, instanceType: GPUCountType.name(gpu.v0Name, count: count), vcpus: Double(vcpus),
                        memoryGB: Double(ram), diskGB: Double(Self.minimumDiskGB),
                        gpu: Offer.GPU(model: Self.model(of: gpu) ?? gpu.displayName ?? gpu.v0Name, count: count, memoryGB: Self.memory(of: gpu.v0Name) ?? 0),
                        onDemandPrice: (price * 10_000).rounded() / 10_000, source: "tensordock /locations", observedAt: now)
                }
            }
        }
    }
}
