import Foundation
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore

/// Vast.ai through its REST API (`https://console.vast.ai`, bearer `VAST_API_KEY`), following its
/// OpenAPI document (Tests/Contracts/vastai.json) and, where the document is silent or wrong, Vast's
/// own client `vastai`, which drives the fake in the tests.
///
/// An instance is a container Vast runs on a host's offer ("ask"): `PUT /api/v0/asks/{id}` rents
/// the offer with the service's image, `runtype: ssh`, the environment and ports as the document's
/// Docker-flag string (`-e K=V -p 8080:8080`, quoted by the command builder), the command as
/// `onstart`, and a label carrying the owner and deployment (`PodNames`), so a create whose answer
/// was lost is found by label before anything is sent again. The tool's key is registered on the
/// account once (Vast adds account keys to new instances). Instance types: an offer id (what live
/// offers list) rents that offer; `<N>x-<GPU>` (the snapshot's `1x-H100-SXM`) rents the cheapest
/// verified offer with N of that GPU, the next one when another renter took it first.
public struct VastDriver: CloudDriver, OfferListing, ContainerHosting {
    public let provider = ProviderID.vastai
    let client: JSONClient
    /// The key's registration, once per driver.
    let known = LookupCache()

    public static let factory: DriverFactory = { context in
        try VastDriver(
            client: JSONClient(.vastai, transport: context.transport, token: try context.token(for: .vastai), environment: context.environment, errors: VastErrors.map))
    }

    init(client: JSONClient) {
        self.client = client
    }

    public func checkCredentials() async throws -> String {
        struct User: Decodable { var balance: Double? }
        let user = try await client.get("/api/v0/users/current", operation: "users.current", as: User.self)
        return "account with balance $\(String(format: "%.2f", user.balance ?? 0))"
    }

    // MARK: Offers

    struct Search: Encodable {
        struct Equal: Encodable { var eq: Bool }
        struct Among: Encodable { var `in`: [Int] }
        struct Exactly: Encodable { var eq: Int }

        var verified = Equal(eq: true)
        var rentable = Equal(eq: true)
        var num_gpus: Among?
        var id: Exactly?
        /// The document wants exactly two sort keys.
        var order = [["dph_total", "asc"], ["id", "asc"]]
        var limit: Int
        var allocated_storage: Double
    }

    func search(_ query: Search) async throws -> [VastWire.Offer] {
        struct Answer: Decodable { var offers: [VastWire.Offer] }
        return try await client.send("POST", "/api/v0/bundles", body: query, operation: "bundles.search", safety: .idempotent, as: Answer.self).offers
    }

    /// Verified, rentable offers, one each (its id is the instance type), with GPUs, vCPUs, RAM,
    /// disk, the price at the spec's disk, and the lowest bid as the interruptible price.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let now = Date()
        return try await search(Search(limit: 256, allocated_storage: max(spec.diskGB, 10))).compactMap { offer -> Offer? in
            guard let price = offer.dph_total else { return nil }
            let memory = (offer.gpu_ram ?? 0) / 1024
            let name = offer.gpu_name ?? ""
            return Offer(
                provider: .vastai, region: offer.region, instanceType: String(offer.id), vcpus: offer.cpu_cores_effective,
                memoryGB: offer.cpu_ram.map { $0 / 1024 }, diskGB: offer.disk_space,
                gpu: Offer.GPU(model: GPUModel.normalize(name, memoryGB: memory) ?? name, count: offer.num_gpus ?? 1, memoryGB: memory),
                onDemandPrice: price, spotPrice: offer.min_bid, source: "vastai /api/v0/bundles", observedAt: now)
        }
    }

    // MARK: Create

    struct AskBody: Encodable {
        var image: String
        var label: String
        var disk: Double
        var runtype = "ssh"
        var env: String
        var onstart: String?
        var price: Double?
        var cancel_unavail = true
    }

    public func create(_ request: InstanceRequest) async throws -> Instance {
        guard let container = request.container else {
            throw ProviderError.unsupported("create", provider: provider, reason: "Vast.ai runs container images: the request names no image")
        }
        let label = try PodNames.podName(request)
        if let key = request.sshPublicKey { try await ensureKey(key) }
        // Docker's flags, as the document's `env` string takes them; SSH's 22 is Vast's own.
        let flags = container.environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
            + container.ports.filter { $0 != 22 }.flatMap { ["-p", "\($0):\($0)"] }
        let body = AskBody(
            image: container.image, label: label, disk: max(request.diskGB, 10), env: flags.isEmpty ? "" : ShellCommand(flags).text,
            onstart: container.command.isEmpty ? nil : ShellCommand(container.command).text)
        // An offer taken by someone else since the search: the next one, if the type allows one.
        let none = ProviderError(
            .noCapacity(.region(request.region)), provider: provider, operation: "bundles.search", message: "no offer is \(request.instanceType)")
        return try await MarketplaceRace.rent(try await candidates(for: request), region: request.region, nothing: none) { offer in
            var body = body
            if request.spot {
                guard let bid = offer.min_bid else { return nil }
                body.price = bid
            }
            // No idempotency key: after a lost answer, an instance with this label is the first one.
            let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
                guard let found = try await all().first(where: { $0.label == label }) else { return nil }
                return HTTPResponse(status: 200, body: Data(#"{"success": true, "new_contract": \#(found.id)}"#.utf8))
            }
            struct Answer: Decodable { var new_contract: Int }
            let made = try await client.send(
                "PUT", "/api/v0/asks/\(offer.id)", body: body, operation: "asks.create", safety: .lookup(lookup), as: Answer.self)
            return Instance(
                id: String(made.new_contract), provider: provider, region: offer.region, instanceType: String(offer.id), status: .pending,
                sshUser: "root", tags: PodNames.tags(label))
        }
    }

    /// The offers the request may rent, cheapest first: the one named, or every verified offer
    /// with `<N>x-<GPU>` in the request's region (`any` for all).
    func candidates(for request: InstanceRequest) async throws -> [VastWire.Offer] {
        if let id = Int(request.instanceType) {
            // Searched again by id: its bid floor, and whether it is still there.
            return request.spot ? try await search(Search(id: .init(eq: id), limit: 1, allocated_storage: request.diskGB)) : [VastWire.Offer(id: id)]
        }
        guard let (count, gpu) = GPUCountType.parse(request.instanceType), let wanted = GPUModel.matching(gpu) else {
            throw ValidationError(field: "type", value: request.instanceType, rule: "must be a Vast.ai offer id or <GPUs>x-<GPU model> (1x-H100-SXM)")
        }
        return try await search(Search(num_gpus: .init(in: [count]), limit: 64, allocated_storage: max(request.diskGB, 10))).filter { offer in
            (request.region == "any" || offer.region == request.region.lowercased())
                && GPUModel.normalize(offer.gpu_name ?? "", memoryGB: (offer.gpu_ram ?? 0) / 1024).map(wanted.contains) == true
        }
    }

    /// The tool's key on the account, registered once (found again by its text).
    func ensureKey(_ publicKey: String) async throws {
        let blob = KeyFingerprint.text(publicKey)
        _ = try await known.once("key:\(blob)") { [client] in
            struct Key: Decodable { var key: String? }
            let keys = try await client.get("/api/v0/ssh", operation: "ssh.list", as: [Key].self)
            if keys.contains(where: { KeyFingerprint.text($0.key ?? "") == blob }) { return "registered" }
            struct New: Encodable { var ssh_key: String }
            try await client.send("POST", "/api/v0/ssh", body: New(ssh_key: publicKey), operation: "ssh.create", safety: .unsafe)
            return "registered"
        }
    }

    // MARK: Describe, list, terminate

    /// Every instance of the account, 25 a page (`next_token` → `after_token`).
    func all() async throws -> [VastWire.Instance] {
        try await client.all(
            "/api/v1/instances", key: "instances", query: [URLQueryItem(name: "limit", value: "25")], operation: "instances.list", as: VastWire.Instance.self,
            pages: Pages.self)
    }

    struct Pages: PageLinks {
        var next_token: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? {
            guard let token = next_token, !token.isEmpty else { return nil }
            return query.filter { $0.name != "after_token" } + [URLQueryItem(name: "after_token", value: token)]
        }
    }

    /// One paged listing for any number of ids.
    public func describe(_ ids: [String]) async throws -> [Instance] {
        let wanted = Set(ids)
        guard !wanted.isEmpty else { return [] }
        return try await all().filter { wanted.contains(String($0.id)) }.map(VastWire.instance)
    }

    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await all().map(VastWire.instance).filter { $0.tags[key] == value }
    }

    /// `DELETE /api/v0/instances/{id}` for each id (already gone, 404, is success).
    public func terminate(_ ids: [String]) async throws {
        for id in Set(ids).compactMap(Int.init).sorted() {
            try await client.delete("/api/v0/instances/\(id)", operation: "instances.destroy")
        }
    }

    /// The API calls a deployment of `replicas` makes, for `plan`.
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /api/v0/ssh + POST /api/v0/ssh", count: 2, note: "the tool's key, registered once per account"),
            ExpectedCall("POST /api/v0/bundles", count: replicas, note: "one per replica for a <N>x-<GPU> type: the cheapest offer"),
            ExpectedCall("PUT /api/v0/asks/{id}", count: replicas, note: "one per replica; the next offer when one was taken"),
            ExpectedCall("GET /api/v1/instances", count: 8, note: "one per poll until running, 25 instances a page"),
            ExpectedCall("DELETE /api/v0/instances/{id}", count: replicas, note: "at down"),
        ]
    }
}
