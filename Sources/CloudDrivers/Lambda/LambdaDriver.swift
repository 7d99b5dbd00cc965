import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Lambda Cloud instances through the Cloud API v1 (`https://cloud.lambda.ai/api/v1`), bearer key
/// (`LAMBDA_API_KEY`). Follows Lambda's published API document (1.8.3) through the two clients
/// generated from it, `lambda-cloud-api-client` and `lambda-ai-cloud-api-client`, which drive the
/// fake in the tests.
///
/// A launch takes exactly one SSH key: the tool's key is registered once and found again by its
/// key text. Tags are Lambda's key/value tags. Names are not unique at Lambda, so a launch first
/// looks for an instance of its own name and owner (a second run of the same request), and a lost
/// answer is found the same way. Each deployment gets a firewall ruleset per region with one rule
/// per port (SSH, and the service's ports when public) from the allowed IPv4 networks, attached
/// at launch and deleted with the deployment's last instance. Launches are paced to Lambda's limit
/// of one per 12 seconds. When a type has no capacity in the region asked, the error's scope says
/// whether another region has some now (`/instance-types`).
public struct LambdaDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.lambda
    let client: JSONClient
    /// Between two launches (`BLUEPRINT_REMOTE_LAMBDA_LAUNCH_INTERVAL`, seconds; 12 by default).
    let launchInterval: Duration
    /// How long a ruleset delete is asked again while a terminating instance still holds it.
    let rulesetRelease: Duration
    /// The key's name; rulesets.
    let known = LookupCache()
    let inFlight = CreatesInFlight()

    public static let factory: DriverFactory = { context in
        let interval = context.environment["BLUEPRINT_REMOTE_LAMBDA_LAUNCH_INTERVAL"].flatMap(Double.init).map { Duration.milliseconds(Int($0 * 1000)) }
        return try LambdaDriver(
            client: JSONClient(.lambda, transport: context.transport, token: try context.token(for: .lambda), environment: context.environment, errors: LambdaErrors.map),
            launchInterval: interval ?? .seconds(12))
    }

    init(client: JSONClient, launchInterval: Duration, rulesetRelease: Duration = .seconds(120)) {
        self.client = client
        self.launchInterval = launchInterval
        self.rulesetRelease = rulesetRelease
    }

    typealias Envelope = LambdaWire.Envelope

    public func checkCredentials() async throws -> String {
        "account with \(try await instances().count) instances"
    }

    func instances() async throws -> [LambdaWire.Instance] {
        try await client.get("/instances", operation: "instances.list", as: Envelope<[LambdaWire.Instance]>.self).data
    }

    // MARK: Create

    struct LaunchBody: Encodable {
        struct Ref: Encodable { var id: String }
        struct Image: Encodable {
            var family: String?
            var id: String?
        }

        var region_name: String
        var instance_type_name: String
        var ssh_key_names: [String]
        var name: String
        var image: Image?
        var user_data: String?
        var tags: [LambdaWire.Tag]
        var firewall_rulesets: [Ref]?
    }

    struct Launched: Codable { var instance_ids: [String] }

    /// The instance; when the deployment's last create fails with none of its instances left, its rulesets go too.
    public func create(_ request: InstanceRequest) async throws -> Instance {
        let deployment = request.tags.deployment
        return try await inFlight.guarding(
            deployment, { try await launch(request) }, servers: { [self] in try await list(tag: ResourceTags.deploymentKey, value: deployment) },
            remove: { [self] in try await deleteRulesets(of: deployment) })
    }

    func launch(_ request: InstanceRequest) async throws -> Instance {
        let name = try ServerName.make(request.requestID, provider: provider)
        guard name.count <= 64 else {
            throw ValidationError(field: "name", value: request.requestID, rule: "must make an instance name of at most 64 characters (Lambda)")
        }
        // A launch takes exactly one key; the ruleset enforces allowed_cidrs.
        let publicKey = try VMAdmission.admit(request, provider: provider, firewall: true)
        // Names are not unique at Lambda: a second run of this request finds the first one's instance.
        if let found = try await mine(named: name, owner: request.tags.owner) { return LambdaWire.instance(found) }
        let key = try await ensureKey(publicKey)
        let ruleset = try await ensureRuleset(for: request)
        let body = LaunchBody(
            region_name: request.region, instance_type_name: request.instanceType, ssh_key_names: [key], name: name, image: Self.image(request.image),
            user_data: request.userData, tags: LambdaWire.tags(request.tags), firewall_rulesets: [.init(id: ruleset)])
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await mine(named: name, owner: request.tags.owner) else { return nil }
            return HTTPResponse(status: 200, body: try JSONEncoder().encode(["data": Launched(instance_ids: [found.id])]))
        }
        try await LaunchPacing.shared.turn(every: launchInterval)
        let launched: Launched
        do {
            launched = try await client.send(
                "POST", "/instance-operations/launch", body: body, operation: "instances.launch", safety: .lookup(lookup), as: Envelope<Launched>.self
            ).data
        } catch let error as ProviderError where error.kind == .noCapacity(.region("")) {
            throw await whereCapacityIs(error, type: request.instanceType, region: request.region)
        }
        guard let id = launched.instance_ids.first else {
            throw ProviderError(.outcomeUnknown, provider: provider, operation: "instances.launch", message: "the launch answer named no instance")
        }
        return Instance(
            id: id, provider: provider, region: request.region, instanceType: request.instanceType, status: .pending, sshPort: 22, sshUser: "ubuntu",
            createdAt: Date(), tags: request.tags.dictionary)
    }

    /// An instance of this name and owner still alive (a terminated one is history, not ours to adopt).
    func mine(named name: String, owner: String) async throws -> LambdaWire.Instance? {
        try await instances().first { instance in
            instance.name == name && LambdaWire.instance(instance).tags[ResourceTags.ownerKey] == owner
                && ![.terminated, .terminating].contains(LambdaWire.status(instance.status))
        }
    }

    /// `--image`: a UUID is an image id, anything else an image family (`lambda-stack-24-04`);
    /// none is Lambda's default, the newest Lambda Stack (Ubuntu with Docker and NVIDIA's runtime).
    static func image(_ asked: String?) -> LaunchBody.Image? {
        guard let asked else { return nil }
        return UUID(uuidString: asked) != nil ? .init(id: asked) : .init(family: asked)
    }

    /// No capacity for `type` in `region`: scoped to the region when `/instance-types` shows
    /// another region with capacity now (named in the message), to the whole provider when none has.
    func whereCapacityIs(_ error: ProviderError, type: String, region: String) async -> ProviderError {
        guard let availability = try? await availability(), let regions = availability[type]?.regions_with_capacity_available.map(\.name) else {
            return error.scoped(toRegion: region)
        }
        return CapacityElsewhere.error(
            provider, operation: error.operation, httpStatus: error.httpStatus, message: "\(error.message) (\(type))", region: region, elsewhere: regions)
    }

    func availability() async throws -> [String: LambdaWire.TypeAvailability] {
        try await client.get("/instance-types", operation: "instance_types.list", as: Envelope<[String: LambdaWire.TypeAvailability]>.self).data
    }

    // MARK: SSH key

    /// The key's name at Lambda, registered on first use (Lambda reports no fingerprint: a key is
    /// recognised by its text). A name taken is `invalid-parameters`.
    func ensureKey(_ publicKey: String) async throws -> String {
        struct New: Encodable {
            var name: String
            var public_key: String
        }
        return try await KeyRegistration.name(
            for: publicKey, known: known,
            listed: { [client] in
                try await client.get("/ssh-keys", operation: "ssh_keys.list", as: Envelope<[LambdaWire.SSHKey]>.self).data.map { ($0.name, $0.public_key) }
            },
            register: { [client] name, find in
                try await client.send(
                    "POST", "/ssh-keys", body: New(name: name, public_key: publicKey), operation: "ssh_keys.create",
                    safety: .lookup({
                        guard let found = try await find() else { return nil }
                        return HTTPResponse(status: 200, body: try JSONEncoder().encode(["data": LambdaWire.SSHKey(id: "", name: found, public_key: publicKey)]))
                    }), as: Envelope<LambdaWire.SSHKey>.self
                ).data.name
            })
    }

    // MARK: Firewall rulesets

    struct RulesetBody: Encodable {
        var name: String
        var region: String
        var rules: [LambdaWire.FirewallRule]
    }

    static func rulesetName(_ deployment: String, region: String) -> String { "blueprint-remote-\(deployment)-\(region)" }

    /// The deployment's ruleset in the request's region, made once; its id.
    func ensureRuleset(for request: InstanceRequest) async throws -> String {
        let name = Self.rulesetName(request.tags.deployment, region: request.region)
        return try await known.once("ruleset:\(name)") { [client] in
            if let found = try await rulesets().first(where: { $0.name == name }) { return found.id }
            // Lambda filters IPv4 sources only; IPv6 traffic does not reach its instances' public address.
            let sources = request.exposure.allowedCIDRs.map(\.description).filter { !$0.contains(":") }
            guard !sources.isEmpty else {
                throw ValidationError(
                    field: "allowed_cidrs", value: request.exposure.allowedCIDRs.map(\.description).joined(separator: ","),
                    rule: "must hold an IPv4 network for Lambda, whose firewall admits IPv4 sources only")
            }
            let ports = [PortMapping(hostPort: 22, containerPort: 22)] + (request.exposure.mode == .public ? request.ports : [])
            let rules = ports.flatMap { port in
                sources.map {
                    LambdaWire.FirewallRule(
                        protocol: port.transport.rawValue, port_range: [port.hostPort, port.hostPort], source_network: $0, description: "blueprint-remote")
                }
            }
            let lookup: @Sendable () async throws -> HTTPResponse? = {
                guard let found = try await rulesets().first(where: { $0.name == name }) else { return nil }
                return HTTPResponse(status: 200, body: try JSONEncoder().encode(["data": ["id": found.id]]))
            }
            struct Made: Codable { var id: String }
            return try await client.send(
                "POST", "/firewall-rulesets", body: RulesetBody(name: name, region: request.region, rules: rules), operation: "firewall_rulesets.create",
                safety: .lookup(lookup), as: Envelope<Made>.self
            ).data.id
        }
    }

    func rulesets() async throws -> [LambdaWire.Ruleset] {
        try await client.get("/firewall-rulesets", operation: "firewall_rulesets.list", as: Envelope<[LambdaWire.Ruleset]>.self).data
    }

    /// Deletes the deployment's rulesets (one per region it ran in). A terminating instance still
    /// holds its ruleset (`firewall-ruleset-in-use`): asked again until it lets go, within `rulesetRelease`.
    func deleteRulesets(of deployment: String) async throws {
        let prefix = "blueprint-remote-\(deployment)-"
        for ruleset in try await rulesets() where ruleset.name.hasPrefix(prefix) {
            let deadline = ContinuousClock.now + rulesetRelease
            var pause = Duration.milliseconds(250)
            while true {
                do {
                    try await client.delete("/firewall-rulesets/\(ruleset.id)", operation: "firewall_rulesets.delete")
                    await known.forget("ruleset:\(ruleset.name)")
                    break
                } catch let error as ProviderError where error.kind == .conflict && ContinuousClock.now < deadline {
                    try await Task.sleep(for: pause)
                    pause = min(pause * 2, .seconds(5))
                }
            }
        }
    }

    // MARK: Describe, list, terminate

    /// One list answers any number of ids.
    public func describe(_ ids: [String]) async throws -> [Instance] {
        let wanted = Set(ids)
        return try await instances().filter { wanted.contains($0.id) }.map(LambdaWire.instance)
    }

    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await instances().map(LambdaWire.instance).filter { $0.tags[key] == value }
    }

    struct TerminateBody: Encodable { var instance_ids: [String] }

    /// One request for every id still alive; the rulesets of deployments left without an instance go after.
    public func terminate(_ ids: [String]) async throws {
        let wanted = Set(ids)
        guard !wanted.isEmpty else { return }
        let doomed = try await instances().filter { wanted.contains($0.id) }.map(LambdaWire.instance)
        let alive = doomed.filter { $0.status != .terminated && $0.status != .terminating }.map(\.id)
        if !alive.isEmpty {
            do {
                try await client.send("POST", "/instance-operations/terminate", body: TerminateBody(instance_ids: alive), operation: "instances.terminate", safety: .idempotent)
            } catch let error as ProviderError where error.kind == .notFound {
                // One went meanwhile, and the request names it: the rest again.
                let still = Set(alive)
                let left = try await instances().filter { still.contains($0.id) && ![.terminated, .terminating].contains(LambdaWire.status($0.status)) }.map(\.id)
                if !left.isEmpty {
                    try await client.send("POST", "/instance-operations/terminate", body: TerminateBody(instance_ids: left), operation: "instances.terminate", safety: .idempotent)
                }
            }
        }
        let deployments = Set(doomed.compactMap { $0.tags[ResourceTags.deploymentKey] })
        guard !deployments.isEmpty else { return }
        let others = try await instances().map(LambdaWire.instance).filter { !wanted.contains($0.id) && $0.status != .terminated }
        for deployment in deployments.sorted() where !others.contains(where: { $0.tags[ResourceTags.deploymentKey] == deployment }) {
            try await deleteRulesets(of: deployment)
        }
    }

    /// The API calls a deployment of `replicas` makes, for `plan`.
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /ssh-keys + POST /ssh-keys", count: 2, note: "the tool's SSH key: registered once per account, one GET after"),
            ExpectedCall("GET /firewall-rulesets + POST /firewall-rulesets", count: 2, note: "once per deployment and region, one rule per port and network"),
            ExpectedCall("GET /instances + POST /instance-operations/launch", count: replicas * 2,
                note: "one each per replica, 12 s apart (Lambda's launch limit); the GET finds a second run's instance by name"),
            ExpectedCall("GET /instances", count: 6, note: "one per poll until running, whatever the replica count"),
            ExpectedCall("GET /instances + POST /instance-operations/terminate + GET /instances", count: 3, note: "at down"),
            ExpectedCall("GET /firewall-rulesets + DELETE /firewall-rulesets/{id}", count: 2,
                note: "at down, once the last instance is gone; the delete is asked again while a terminating instance holds it"),
        ]
    }

    // MARK: Offers

    /// Every instance type in every region with capacity for it now, at its hourly price.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let now = Date()
        return try await availability().values.flatMap { item -> [Offer] in
            let type = item.instance_type
            guard let cents = type.price_cents_per_hour, let specs = type.specs else { return [] }
            let gpu = specs.gpus > 0 ? Self.gpu(type, count: specs.gpus) : nil
            return item.regions_with_capacity_available.map { region in
                Offer(
                    provider: .lambda, region: region.name, instanceType: type.name, vcpus: Double(specs.vcpus), memoryGB: Double(specs.memory_gib),
                    diskGB: Double(specs.storage_gib), gpu: gpu, arch: type.name.contains("gh200") ? .arm64 : .x86_64, onDemandPrice: Double(cents) / 100,
                    source: "lambda /instance-types", observedAt: now)
            }
        }.sorted { ($0.instanceType, $0.region) < ($1.instanceType, $1.region) }
    }

    /// `gpu_description` is `H100 (80 GB SXM5)`: the model, then its memory and form.
    static func gpu(_ type: LambdaWire.InstanceType, count: Int) -> Offer.GPU {
        let description = type.gpu_description ?? type.description ?? type.name
        let model = description.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? description
        let inside = description.split(separator: "(").dropFirst().first.map(String.init) ?? ""
        let memory = inside.split(separator: " ").first.flatMap { Double($0) }
        let form = inside.contains("SXM") ? " SXM" : inside.contains("PCIe") ? " PCIe" : ""
        return Offer.GPU(model: GPUModel.normalize(model + form, memoryGB: memory) ?? model, count: count, memoryGB: memory ?? 0)
    }
}
