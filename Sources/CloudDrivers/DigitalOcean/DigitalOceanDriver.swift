import Foundation
import ProviderTransport
import RemoteProvidersCore

/// DigitalOcean droplets through the API v2 (`https://api.digitalocean.com/v2`), bearer token.
///
/// Tags are droplet tags `key:value` (DigitalOcean tags allow letters, digits, `_`, `-`, `:`). The
/// tool's SSH key is registered once, found again by its MD5 fingerprint. Each deployment gets a
/// firewall `blueprint-remote-<deployment>` that applies to the deployment's tag, so a droplet is
/// covered from the moment it exists: SSH, and the service's ports when public, from the allowed
/// CIDRs only; it is deleted once the deployment's last droplet is gone. A droplet's name is its
/// request id, so a create whose answer was lost is found by name instead of made twice.
public struct DigitalOceanDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.digitalocean
    let client: JSONClient
    /// `BLUEPRINT_REMOTE_DIGITALOCEAN_IMAGE`: an image slug or id instead of the newest Ubuntu LTS.
    let defaultImage: String?
    /// The image, the key's id, firewalls.
    let known = LookupCache()
    let inFlight = CreatesInFlight()

    public static let factory: DriverFactory = { context in
        return try DigitalOceanDriver(
            client: JSONClient(.digitalocean, transport: context.transport, token: try context.token(for: .digitalocean), environment: context.environment, errors: DOErrors.map),
            defaultImage: context.environment["BLUEPRINT_REMOTE_DIGITALOCEAN_IMAGE"])
    }

    init(client: JSONClient, defaultImage: String?) {
        self.client = client
        self.defaultImage = defaultImage
    }

    struct Account: Decodable {
        struct Body: Decodable {
            var droplet_limit: Int
            var status: String
        }

        var account: Body
    }

    public func checkCredentials() async throws -> String {
        let account = try await client.get("/v2/account", operation: "account.get", as: Account.self).account
        return "account \(account.status), droplet limit \(account.droplet_limit)"
    }

    // MARK: Create

    struct CreateBody: Encodable {
        var name: String
        var region: String
        var size: String
        var image: String
        var ssh_keys: [String]
        var tags: [String]
        var user_data: String?
        var ipv6 = false
        var monitoring = false
    }

    struct DropletAnswer: Codable {
        var droplet: DOWire.Droplet
    }

    /// The droplet; when the deployment's last create fails with none of its droplets left, its firewall goes too.
    public func create(_ request: InstanceRequest) async throws -> Instance {
        let deployment = request.tags.deployment
        return try await inFlight.guarding(
            deployment, { try await make(request) }, servers: { [self] in try await list(tag: ResourceTags.deploymentKey, value: deployment) },
            remove: { [self] in try await removeFirewall(of: deployment) })
    }

    func make(_ request: InstanceRequest) async throws -> Instance {
        let name = try ServerName.make(request.requestID, provider: provider)
        let tags = TagStrings.encode(request.tags)
        if let bad = tags.first(where: { !Self.isTag($0) }) {
            throw ValidationError(field: "tags", value: bad, rule: "must be letters, digits, '_', '-' or ':' (DigitalOcean tags), at most 255")
        }
        let image = try await image(request.image)
        var keys: [String] = []
        if let key = request.sshPublicKey { keys.append(try await ensureKey(key)) }
        try await ensureFirewall(for: request)
        let body = CreateBody(
            name: name, region: request.region, size: request.instanceType, image: image, ssh_keys: keys, tags: tags, user_data: request.userData)
        // No client token: after a lost answer, a droplet of this name (and this owner) is the first one.
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await dropletNamed(name, owner: request.tags.owner) else { return nil }
            return HTTPResponse(status: 202, body: try JSONEncoder().encode(DropletAnswer(droplet: found)))
        }
        do {
            let answer = try await client.send(
                "POST", "/v2/droplets", body: body, operation: "droplets.create", safety: .lookup(lookup), as: DropletAnswer.self)
            return DOWire.instance(answer.droplet)
        } catch let error as ProviderError {
            throw error.scoped(toRegion: request.region)
        }
    }

    static func isTag(_ tag: String) -> Bool {
        !tag.isEmpty && tag.count <= 255 && tag.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-:".unicodeScalars.contains($0)) }
    }

    struct DropletList: Decodable {
        var droplets: [DOWire.Droplet]
    }

    func dropletNamed(_ name: String, owner: String) async throws -> DOWire.Droplet? {
        let found = try await client.all("/v2/droplets", key: "droplets", query: DOWire.Pages.first([URLQueryItem(name: "name", value: name)]), operation: "droplets.list", as: DOWire.Droplet.self, pages: DOWire.Pages.self)
        return found.first { TagStrings.decode($0.tags ?? [])[ResourceTags.ownerKey] == owner && $0.status != "archive" }
    }

    /// The image slug: the one asked for, else the newest Ubuntu LTS distribution image.
    func image(_ asked: String?) async throws -> String {
        if let asked = asked ?? defaultImage { return asked }
        return try await known.once("image") { [client] in
            let images = try await client.all("/v2/images", key: "images", query: DOWire.Pages.first([URLQueryItem(name: "type", value: "distribution")]), operation: "images.list", as: DOWire.Image.self, pages: DOWire.Pages.self)
            // ubuntu-24-04-x64: an LTS is an even year's April release.
            let lts = images.compactMap { image -> (Int, String)? in
                guard let slug = image.slug, image.distribution == "Ubuntu", image.status != "retired", image.status != "deleted" else { return nil }
                let parts = slug.split(separator: "-")
                guard parts.count == 4, parts[0] == "ubuntu", parts[2] == "04", parts[3] == "x64", let year = Int(parts[1]), year.isMultiple(of: 2) else { return nil }
                return (year, slug)
            }
            guard let newest = lts.max(by: { $0.0 < $1.0 }) else {
                throw ProviderError(.notFound, provider: .digitalocean, operation: "images.list", message: "no Ubuntu LTS image listed; pass --image or set BLUEPRINT_REMOTE_DIGITALOCEAN_IMAGE")
            }
            return newest.1
        }
    }

    /// The key's id at DigitalOcean, registered on first use (its MD5 fingerprint finds it again).
    func ensureKey(_ publicKey: String) async throws -> String {
        let fingerprint = try KeyFingerprint.md5(publicKey)
        return try await known.once("key:\(fingerprint)") { [client] in
            struct Answer: Codable { var ssh_key: DOWire.SSHKey }
            struct New: Encodable { var name: String; var public_key: String }
            if let found = try await client.find("/v2/account/keys/\(fingerprint)", operation: "ssh_keys.get", as: Answer.self) {
                return String(found.ssh_key.id)
            }
            let made = try await client.send(
                "POST", "/v2/account/keys", body: New(name: "blueprint-remote-\(fingerprint.replacingOccurrences(of: ":", with: "").prefix(12))", public_key: publicKey),
                operation: "ssh_keys.create", safety: .lookup({
                    guard let found = try await client.find("/v2/account/keys/\(fingerprint)", operation: "ssh_keys.get", as: Answer.self) else { return nil }
                    return HTTPResponse(status: 201, body: try JSONEncoder().encode(found))
                }), as: Answer.self)
            return String(made.ssh_key.id)
        }
    }

    // MARK: Firewalls

    struct FirewallRule: Encodable {
        struct Addresses: Encodable { var addresses: [String] }
        var protocol_: String
        var ports: String
        var sources: Addresses?
        var destinations: Addresses?

        enum CodingKeys: String, CodingKey {
            case protocol_ = "protocol"
            case ports, sources, destinations
        }
    }

    struct FirewallBody: Encodable {
        var name: String
        var inbound_rules: [FirewallRule]
        var outbound_rules: [FirewallRule]
        var tags: [String]
    }

    static func firewallName(_ deployment: String) -> String { "blueprint-remote-\(deployment)" }

    /// The deployment's firewall, made once, applied to its tag (which must exist first).
    func ensureFirewall(for request: InstanceRequest) async throws {
        let deployment = request.tags.deployment
        let name = Self.firewallName(deployment)
        _ = try await known.once("firewall:\(name)") { [client] in
            if let found = try await firewall(named: name) { return found.id }
            let tag = "\(ResourceTags.deploymentKey):\(deployment)"
            struct Tag: Encodable { var name: String }
            struct TagAnswer: Decodable {}
            if try await client.find("/v2/tags/\(tag)", operation: "tags.get", as: TagAnswer.self) == nil {
                _ = try await client.send("POST", "/v2/tags", body: Tag(name: tag), operation: "tags.create", safety: .idempotent, as: TagAnswer.self)
            }
            let sources = FirewallRule.Addresses(addresses: request.exposure.allowedCIDRs.map(\.description))
            let ports = [PortMapping(hostPort: 22, containerPort: 22)] + (request.exposure.mode == .public ? request.ports : [])
            let inbound = ports.map { FirewallRule(protocol_: $0.transport.rawValue, ports: String($0.hostPort), sources: sources) }
            let anywhere = FirewallRule.Addresses(addresses: ["0.0.0.0/0", "::/0"])
            let outbound = ["tcp", "udp"].map { FirewallRule(protocol_: $0, ports: "0", destinations: anywhere) }
                + [FirewallRule(protocol_: "icmp", ports: "0", destinations: anywhere)]
            struct Answer: Decodable { var firewall: DOWire.Firewall }
            let lookup: @Sendable () async throws -> HTTPResponse? = {
                guard let found = try await firewall(named: name) else { return nil }
                return HTTPResponse(status: 202, body: Data(#"{"firewall": {"id": "\#(found.id)", "name": "\#(found.name)"}}"#.utf8))
            }
            let made = try await client.send(
                "POST", "/v2/firewalls", body: FirewallBody(name: name, inbound_rules: inbound, outbound_rules: outbound, tags: [tag]),
                operation: "firewalls.create", safety: .lookup(lookup), as: Answer.self)
            return made.firewall.id
        }
    }

    func firewall(named name: String) async throws -> DOWire.Firewall? {
        try await client.all("/v2/firewalls", key: "firewalls", query: DOWire.Pages.first(), operation: "firewalls.list", as: DOWire.Firewall.self, pages: DOWire.Pages.self).first { $0.name == name }
    }

    // MARK: Describe, list

    public func describe(_ ids: [String]) async throws -> [Instance] {
        // No batched read by id: one GET each; 404 means gone.
        try await OneByOne.describe(ids) { [client] id in
            guard Int(id) != nil else { return nil }
            return try await client.find("/v2/droplets/\(id)", operation: "droplets.get", as: DropletAnswer.self).map { DOWire.instance($0.droplet) }
        }
    }

    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await client.all(
            "/v2/droplets", key: "droplets", query: DOWire.Pages.first([URLQueryItem(name: "tag_name", value: "\(key):\(value)")]),
            operation: "droplets.list", as: DOWire.Droplet.self, pages: DOWire.Pages.self
        ).map(DOWire.instance)
    }

    // MARK: Terminate

    public func terminate(_ ids: [String]) async throws {
        let ids = Array(Set(ids)).filter { Int($0) != nil }
        guard !ids.isEmpty else { return }
        let emptied = try await OneByOne.terminate(
            ids, doomed: try await describe(ids), delete: { [client] id in try await client.delete("/v2/droplets/\(id)", operation: "droplets.delete") },
            list: { try await list(tag: ResourceTags.deploymentKey, value: $0) })
        // The firewall goes with the deployment's last droplet.
        for deployment in emptied { try await removeFirewall(of: deployment) }
    }

    func removeFirewall(of deployment: String) async throws {
        guard let wall = try await firewall(named: Self.firewallName(deployment)) else { return }
        try await client.delete("/v2/firewalls/\(wall.id)", operation: "firewalls.delete")
        await known.forget("firewall:\(Self.firewallName(deployment))")
    }

    /// The API calls a deployment of `replicas` makes, for `plan`.
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /v2/images", count: 1, note: "once per driver: the newest Ubuntu LTS image"),
            ExpectedCall("GET /v2/account/keys/{fingerprint} + POST /v2/account/keys", count: 2, note: "the tool's SSH key: registered once per account, one GET after"),
            ExpectedCall("GET /v2/firewalls + GET /v2/tags/{tag} + POST /v2/tags + POST /v2/firewalls", count: 4, note: "once per deployment: its tag and firewall"),
            ExpectedCall("POST /v2/droplets", count: replicas, note: "one per replica; a lost answer is found by name"),
            ExpectedCall("GET /v2/droplets/{id}", count: replicas * 6, note: "one per replica per poll until running (no batched read by id)"),
            ExpectedCall("GET + DELETE /v2/droplets/{id}", count: replicas * 2, note: "at down"),
            ExpectedCall("GET /v2/droplets?tag_name= + GET /v2/firewalls + DELETE /v2/firewalls/{id}", count: 3, note: "at down, once the last droplet is gone"),
        ]
    }

    // MARK: Offers

    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        async let sizes = client.all("/v2/sizes", key: "sizes", query: DOWire.Pages.first(), operation: "sizes.list", as: DOWire.Size.self, pages: DOWire.Pages.self)
        async let regions = client.all("/v2/regions", key: "regions", query: DOWire.Pages.first(), operation: "regions.list", as: DOWire.Region.self, pages: DOWire.Pages.self)
        let open = Dictionary(try await regions.filter(\.available).map { ($0.slug, Set($0.sizes)) }, uniquingKeysWith: { a, _ in a })
        let now = Date()
        return try await sizes.filter(\.available).flatMap { size in
            size.regions.filter { open[$0]?.contains(size.slug) == true }.map { region in
                Offer(
                    provider: .digitalocean, region: region, instanceType: size.slug, vcpus: Double(size.vcpus), memoryGB: Double(size.memory) / 1024,
                    diskGB: Double(size.disk), gpu: size.gpu_info.flatMap(Self.gpu), onDemandPrice: size.price_hourly, source: "digitalocean /v2/sizes",
                    observedAt: now)
            }
        }
    }

    static func gpu(_ info: DOWire.Size.GPUInfo) -> Offer.GPU? {
        guard info.count > 0 else { return nil }
        let memory = info.vram.map { $0.amount * ($0.unit?.lowercased().hasPrefix("t") == true ? 1024 : 1) } ?? 0
        let name = (info.model ?? "").replacingOccurrences(of: "nvidia_", with: "").replacingOccurrences(of: "amd_", with: "")
        return Offer.GPU(model: GPUModel.normalize(name, memoryGB: memory) ?? name.uppercased(), count: info.count, memoryGB: memory)
    }
}
