import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Hetzner Cloud servers through the API v1 (`https://api.hetzner.cloud/v1`), bearer token
/// (`HCLOUD_TOKEN`). Follows the official document (Tests/Contracts/hetzner.json) and, where the
/// document is silent, Hetzner's own Python client `hcloud`, which drives the fake in the tests.
///
/// Tags are labels (`HetznerLabels`). The tool's SSH key is registered once, found again by its MD5
/// fingerprint, and passed by name. Each deployment gets a firewall `blueprint-remote-<deployment>`
/// with one inbound rule per port (SSH, and the service's ports when public) from the allowed CIDRs,
/// applied at create; it is deleted with the deployment's last server. A server's name is its create
/// request: a lost answer is found by name, and a second run of the same request, refused with
/// `uniqueness_error`, adopts the server only when its owner and deployment labels are ours.
public struct HetznerDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.hetzner
    let client: JSONClient
    /// `BLUEPRINT_REMOTE_HETZNER_IMAGE`: an image name or id instead of the newest Ubuntu LTS.
    let defaultImage: String?
    /// The project's billing currency (`BLUEPRINT_REMOTE_HETZNER_CURRENCY`, EUR unless set to USD).
    let currency: String
    let rates: CurrencyRates
    /// How long a firewall delete is asked again while a deleted server still holds it.
    let firewallRelease: Duration
    /// The image, the key's name, firewalls.
    let known = LookupCache()
    let inFlight = CreatesInFlight()

    public static let factory: DriverFactory = { context in
        try HetznerDriver(
            client: JSONClient(.hetzner, transport: context.transport, token: try context.token(for: .hetzner), environment: context.environment, errors: HetznerErrors.map),
            defaultImage: context.environment["BLUEPRINT_REMOTE_HETZNER_IMAGE"],
            currency: context.environment["BLUEPRINT_REMOTE_HETZNER_CURRENCY"]?.uppercased() ?? "EUR")
    }

    init(client: JSONClient, defaultImage: String?, currency: String, rates: CurrencyRates = .standard, firewallRelease: Duration = .seconds(60)) {
        self.client = client
        self.defaultImage = defaultImage
        self.currency = currency
        self.rates = rates
        self.firewallRelease = firewallRelease
    }

    public func checkCredentials() async throws -> String {
        struct Answer: Decodable {
            struct Meta: Decodable {
                struct Pagination: Decodable { var total_entries: Int? }
                var pagination: Pagination
            }
            var meta: Meta
        }
        let answer = try await client.get("/servers", query: [URLQueryItem(name: "per_page", value: "1")], operation: "servers.list", as: Answer.self)
        return "project with \(answer.meta.pagination.total_entries.map(String.init) ?? "some") servers"
    }

    // MARK: Create

    struct CreateBody: Encodable {
        struct FirewallRef: Encodable { var firewall: Int }
        struct PublicNet: Encodable {
            var enable_ipv4 = true
            var enable_ipv6 = true
        }

        var name: String
        var server_type: String
        var image: String
        var location: String
        var ssh_keys: [String]
        var user_data: String?
        var labels: [String: String]
        var firewalls: [FirewallRef]
        var public_net = PublicNet()
        var start_after_create = true
    }

    struct ServerAnswer: Codable {
        var server: HetznerWire.Server
    }

    /// The server; when the deployment's last create fails with none of its servers left, its firewall goes too.
    public func create(_ request: InstanceRequest) async throws -> Instance {
        let deployment = request.tags.deployment
        return try await inFlight.guarding(
            deployment, { try await make(request) }, servers: { [self] in try await list(tag: ResourceTags.deploymentKey, value: deployment) },
            remove: { [self] in try await deleteFirewall(Self.firewallName(deployment)) })
    }

    func make(_ request: InstanceRequest) async throws -> Instance {
        let name = try ServerName.make(request.requestID, provider: provider)
        guard name.count <= 63 else {
            throw ValidationError(field: "name", value: request.requestID, rule: "must make a server name of at most 63 characters (Hetzner)")
        }
        let labels = try HetznerLabels.encode(request.tags)
        let image = try await image(request.image)
        var keys: [String] = []
        if let key = request.sshPublicKey { keys.append(try await ensureKey(key)) }
        let firewall = try await ensureFirewall(for: request, labels: labels)
        let body = CreateBody(
            name: name, server_type: request.instanceType, image: image, location: request.region, ssh_keys: keys, user_data: request.userData,
            labels: labels, firewalls: [.init(firewall: firewall)])
        // No client token: after a lost answer, a server of this name (and this owner) is the first one.
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await server(named: name), HetznerLabels.decode(found.labels ?? [:])[ResourceTags.ownerKey] == request.tags.owner
            else { return nil }
            return HTTPResponse(status: 201, body: try JSONEncoder().encode(ServerAnswer(server: found)))
        }
        do {
            let answer = try await client.send("POST", "/servers", body: body, operation: "servers.create", safety: .lookup(lookup), as: ServerAnswer.self)
            return HetznerWire.instance(answer.server)
        } catch let error as ProviderError where error.kind == .conflict {
            // Names are unique per project: this request ran before (a retry after the answer was
            // lost on the way). Ours only when owner and deployment say so.
            guard let found = try await server(named: name) else { throw error }
            let tags = HetznerLabels.decode(found.labels ?? [:])
            guard tags[ResourceTags.ownerKey] == request.tags.owner, tags[ResourceTags.deploymentKey] == request.tags.deployment else {
                throw ProviderError(
                    .conflict, provider: provider, operation: "servers.create", httpStatus: error.httpStatus,
                    message: "a server named \(name) exists and belongs to another deployment or owner")
            }
            return HetznerWire.instance(found)
        } catch let error as ProviderError {
            throw error.scoped(toRegion: request.region)
        }
    }

    func server(named name: String) async throws -> HetznerWire.Server? {
        try await client.all(
            "/servers", key: "servers", query: HetznerWire.Pages.first([URLQueryItem(name: "name", value: name)]), operation: "servers.list",
            as: HetznerWire.Server.self, pages: HetznerWire.Pages.self
        ).first { $0.name == name }
    }

    /// The image: the one asked for, else the newest Ubuntu LTS system image, by name (Hetzner
    /// picks the build that fits the server type's architecture).
    func image(_ asked: String?) async throws -> String {
        if let asked = asked ?? defaultImage { return asked }
        return try await known.once("image") { [client] in
            let images = try await client.all(
                "/images", key: "images", query: HetznerWire.Pages.first([URLQueryItem(name: "type", value: "system"), URLQueryItem(name: "status", value: "available")]),
                operation: "images.list", as: HetznerWire.Image.self, pages: HetznerWire.Pages.self)
            // ubuntu-24.04: an LTS is an even year's April release.
            let lts = images.compactMap { image -> (Int, String)? in
                guard image.os_flavor == "ubuntu", image.deprecated == nil, let name = image.name, let version = image.os_version else { return nil }
                let parts = version.split(separator: ".")
                guard parts.count == 2, parts[1] == "04", let year = Int(parts[0]), year.isMultiple(of: 2) else { return nil }
                return (year, name)
            }
            guard let newest = lts.max(by: { $0.0 < $1.0 }) else {
                throw ProviderError(.notFound, provider: .hetzner, operation: "images.list", message: "no Ubuntu LTS image listed; pass --image or set BLUEPRINT_REMOTE_HETZNER_IMAGE")
            }
            return newest.1
        }
    }

    /// The key's name at Hetzner, registered on first use (its MD5 fingerprint finds it again).
    func ensureKey(_ publicKey: String) async throws -> String {
        let fingerprint = try KeyFingerprint.md5(publicKey)
        return try await known.once("key:\(fingerprint)") { [client] in
            struct Keys: Decodable { var ssh_keys: [HetznerWire.SSHKey] }
            struct Answer: Codable { var ssh_key: HetznerWire.SSHKey }
            struct New: Encodable { var name: String; var public_key: String; var labels: [String: String] }
            let byFingerprint = [URLQueryItem(name: "fingerprint", value: fingerprint)]
            if let found = try await client.get("/ssh_keys", query: byFingerprint, operation: "ssh_keys.list", as: Keys.self).ssh_keys.first {
                return found.name
            }
            let made = try await client.send(
                "POST", "/ssh_keys",
                body: New(name: "blueprint-remote-\(fingerprint.replacingOccurrences(of: ":", with: "").prefix(12))", public_key: publicKey, labels: ["managed-by": "blueprint-remote"]),
                operation: "ssh_keys.create",
                safety: .lookup({
                    guard let found = try await client.get("/ssh_keys", query: byFingerprint, operation: "ssh_keys.list", as: Keys.self).ssh_keys.first else { return nil }
                    return HTTPResponse(status: 201, body: try JSONEncoder().encode(Answer(ssh_key: found)))
                }), as: Answer.self)
            return made.ssh_key.name
        }
    }

    // MARK: Firewalls

    struct FirewallRule: Encodable {
        var direction = "in"
        var `protocol`: String
        var port: String
        var source_ips: [String]
        var description: String
    }

    struct FirewallBody: Encodable {
        var name: String
        var labels: [String: String]
        var rules: [FirewallRule]
    }

    struct FirewallAnswer: Codable {
        var firewall: HetznerWire.Firewall
    }

    static func firewallName(_ deployment: String) -> String { "blueprint-remote-\(deployment)" }

    /// The deployment's firewall, made once; its id.
    func ensureFirewall(for request: InstanceRequest, labels: [String: String]) async throws -> Int {
        let name = Self.firewallName(request.tags.deployment)
        let id = try await known.once("firewall:\(name)") { [client] in
            if let found = try await firewall(named: name) { return String(found.id) }
            let sources = request.exposure.allowedCIDRs.map(\.description)
            let ports = [PortMapping(hostPort: 22, containerPort: 22)] + (request.exposure.mode == .public ? request.ports : [])
            let rules = ports.map { FirewallRule(protocol: $0.transport.rawValue, port: String($0.hostPort), source_ips: sources, description: "blueprint-remote") }
            let body = FirewallBody(
                name: name, labels: labels.filter { $0.key != ResourceTags.expiresKey }, rules: rules)
            let made = try await client.send(
                "POST", "/firewalls", body: body, operation: "firewalls.create",
                safety: .lookup({
                    guard let found = try await firewall(named: name) else { return nil }
                    return HTTPResponse(status: 201, body: try JSONEncoder().encode(FirewallAnswer(firewall: found)))
                }), as: FirewallAnswer.self)
            return String(made.firewall.id)
        }
        return Int(id) ?? 0
    }

    func firewall(named name: String) async throws -> HetznerWire.Firewall? {
        try await client.all(
            "/firewalls", key: "firewalls", query: HetznerWire.Pages.first([URLQueryItem(name: "name", value: name)]), operation: "firewalls.list",
            as: HetznerWire.Firewall.self, pages: HetznerWire.Pages.self
        ).first { $0.name == name }
    }

    // MARK: Describe, list

    public func describe(_ ids: [String]) async throws -> [Instance] {
        // No batched read by id: one GET each; 404 means gone.
        try await OneByOne.describe(ids) { [client] id in
            guard Int(id) != nil else { return nil }
            return try await client.find("/servers/\(id)", operation: "servers.get", as: ServerAnswer.self).map { HetznerWire.instance($0.server) }
        }
    }

    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await client.all(
            "/servers", key: "servers", query: HetznerWire.Pages.first([URLQueryItem(name: "label_selector", value: HetznerLabels.selector(key, value))]),
            operation: "servers.list", as: HetznerWire.Server.self, pages: HetznerWire.Pages.self
        ).map(HetznerWire.instance)
    }

    // MARK: Terminate

    public func terminate(_ ids: [String]) async throws {
        let ids = Array(Set(ids)).filter { Int($0) != nil }
        guard !ids.isEmpty else { return }
        let emptied = try await OneByOne.terminate(
            ids, doomed: try await describe(ids), delete: { [client] id in try await client.delete("/servers/\(id)", operation: "servers.delete") },
            list: { try await list(tag: ResourceTags.deploymentKey, value: $0) })
        // The firewall goes with the deployment's last server.
        for deployment in emptied {
            try await deleteFirewall(Self.firewallName(deployment))
        }
    }

    /// Deletes the firewall; while a server being deleted still has it applied the API answers
    /// `resource_in_use`, so it is asked again until the server lets go (within `firewallRelease`).
    func deleteFirewall(_ name: String) async throws {
        guard let wall = try await firewall(named: name) else { return }
        let deadline = ContinuousClock.now + firewallRelease
        var pause = Duration.milliseconds(250)
        while true {
            do {
                try await client.delete("/firewalls/\(wall.id)", operation: "firewalls.delete")
                await known.forget("firewall:\(name)")
                return
            } catch let error as ProviderError where error.kind == .conflict && ContinuousClock.now < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// The API calls a deployment of `replicas` makes, for `plan`.
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /images", count: 1, note: "once per driver: the newest Ubuntu LTS"),
            ExpectedCall("GET /ssh_keys?fingerprint= + POST /ssh_keys", count: 2, note: "the tool's SSH key: registered once per project, one GET after"),
            ExpectedCall("GET /firewalls?name= + POST /firewalls", count: 2, note: "once per deployment, one rule per port"),
            ExpectedCall("POST /servers", count: replicas, note: "one per replica; a lost answer is found by name"),
            ExpectedCall("GET /servers/{id}", count: replicas * 6, note: "one per replica per poll until running (no batched read by id)"),
            ExpectedCall("GET + DELETE /servers/{id}", count: replicas * 2, note: "at down"),
            ExpectedCall("GET /servers?label_selector= + GET /firewalls?name= + DELETE /firewalls/{id}", count: 4,
                note: "at down, once the last server is gone; the delete is asked again while the server lets go of it"),
        ]
    }

    // MARK: Offers

    /// Every server type in every location that lists it as orderable now (not past its
    /// deprecation, not marked unavailable), at its hourly net price converted to USD.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        guard let rate = rates.toUSD(currency) else {
            throw ProviderError(.unsupported, provider: provider, operation: "offers", message: "no USD rate for \(currency), the project's currency")
        }
        let types = try await client.all(
            "/server_types", key: "server_types", query: HetznerWire.Pages.first(), operation: "server_types.list", as: HetznerWire.ServerType.self,
            pages: HetznerWire.Pages.self)
        let now = Date()
        return types.flatMap { type -> [Offer] in
            (type.locations ?? []).compactMap { location -> Offer? in
                guard location.available != false,
                    location.deprecation?.unavailable_after.flatMap({ try? Date($0, strategy: .iso8601) }).map({ $0 > now }) ?? true,
                    let price = type.prices.first(where: { $0.location == location.name }).flatMap({ Double($0.price_hourly.net) })
                else { return nil }
                return Offer(
                    provider: .hetzner, region: location.name, instanceType: type.name, vcpus: Double(type.cores), memoryGB: type.memory, diskGB: type.disk,
                    arch: type.architecture == "arm" ? .arm64 : .x86_64, onDemandPrice: price * rate, source: "hetzner /server_types (\(currency))",
                    observedAt: now)
            }
        }
    }
}
