import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Vultr instances through the API v2 (`https://api.vultr.com/v2`), bearer API key.
///
/// Tags are instance tags `key:value`. The tool's SSH key is registered once (found again by its
/// key text) and passed as `sshkey_id`; each deployment gets a firewall group whose description is
/// `blueprint-remote-<deployment>`, attached at create (`firewall_group_id`): SSH, and the service's
/// ports when public, from the allowed CIDRs only; it is deleted with the deployment's last
/// instance. An instance's label is its create request, so a lost answer is found by label.
public struct VultrDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.vultr
    let client: JSONClient
    /// `BLUEPRINT_REMOTE_VULTR_IMAGE`: an `os_id` instead of the newest Ubuntu LTS.
    let defaultImage: String?
    /// The OS id, the key's id, firewall groups.
    let known = LookupCache()
    let inFlight = CreatesInFlight()

    public static let factory: DriverFactory = { context in
        return try VultrDriver(
            client: JSONClient(.vultr, transport: context.transport, token: try context.token(for: .vultr), environment: context.environment, errors: VultrErrors.map),
            defaultImage: context.environment["BLUEPRINT_REMOTE_VULTR_IMAGE"])
    }

    init(client: JSONClient, defaultImage: String?) {
        self.client = client
        self.defaultImage = defaultImage
    }

    public func checkCredentials() async throws -> String {
        struct Answer: Decodable {
            struct Account: Decodable { var acls: [String]? }
            var account: Account
        }
        let acls = try await client.get("/account", operation: "account.get", as: Answer.self).account.acls ?? []
        let missing = ["subscriptions", "provisioning", "firewall"].filter { !acls.contains($0) && !acls.contains("manage_users") }
        return missing.isEmpty ? "account with \(acls.count) permissions" : "account lacks \(missing.joined(separator: ", ")): up will be refused"
    }

    // MARK: Create

    struct CreateBody: Encodable {
        var region: String
        var plan: String
        var os_id: Int
        var label: String
        var hostname: String
        var sshkey_id: [String]
        var user_data: String?
        var backups = "disabled"
        var enable_ipv6 = false
        var firewall_group_id: String
        var tags: [String]
    }

    struct InstanceAnswer: Codable {
        var instance: VultrWire.Instance
    }

    /// The instance; when the deployment's last create fails with none of its instances left, its firewall group goes too.
    public func create(_ request: InstanceRequest) async throws -> Instance {
        let deployment = request.tags.deployment
        return try await inFlight.guarding(
            deployment, { try await make(request) }, servers: { [self] in try await list(tag: ResourceTags.deploymentKey, value: deployment) },
            remove: { [self] in try await removeFirewall(of: deployment) })
    }

    func make(_ request: InstanceRequest) async throws -> Instance {
        let label = try ServerName.make(request.requestID, provider: provider)
        let os = try await osID(request.image)
        var keys: [String] = []
        if let key = request.sshPublicKey { keys.append(try await ensureKey(key)) }
        let group = try await ensureFirewall(for: request)
        let body = CreateBody(
            region: request.region, plan: request.instanceType, os_id: os, label: label, hostname: label, sshkey_id: keys,
            user_data: request.userData.map { Data($0.utf8).base64EncodedString() }, firewall_group_id: group, tags: TagStrings.encode(request.tags))
        // No client token: after a lost answer, an instance with this label (and this owner) is the first one.
        let lookup: @Sendable () async throws -> HTTPResponse? = { [self] in
            guard let found = try await instance(labelled: label, owner: request.tags.owner) else { return nil }
            return HTTPResponse(status: 202, body: try JSONEncoder().encode(InstanceAnswer(instance: found)))
        }
        do {
            let answer = try await client.send("POST", "/instances", body: body, operation: "instances.create", safety: .lookup(lookup), as: InstanceAnswer.self)
            return VultrWire.instance(answer.instance)
        } catch let error as ProviderError {
            throw error.scoped(toRegion: request.region)
        }
    }

    func instance(labelled label: String, owner: String) async throws -> VultrWire.Instance? {
        try await client.all(
            "/instances", key: "instances", query: VultrWire.Cursor.first([URLQueryItem(name: "label", value: label)]), operation: "instances.list",
            as: VultrWire.Instance.self, pages: VultrWire.Cursor.self
        ).first { TagStrings.decode($0.tags ?? [])[ResourceTags.ownerKey] == owner }
    }

    /// The image: the `os_id` asked for, else the newest Ubuntu LTS of `/os`.
    func osID(_ asked: String?) async throws -> Int {
        if let asked = asked ?? defaultImage {
            guard let id = Int(asked) else { throw ValidationError(field: "image", value: asked, rule: "must be a Vultr os_id (a number, see GET /os)") }
            return id
        }
        let found = try await known.once("os") { [client] in
            let all = try await client.all("/os", key: "os", query: VultrWire.Cursor.first(), operation: "os.list", as: VultrWire.OS.self, pages: VultrWire.Cursor.self)
            // "Ubuntu 24.04 LTS x64": an LTS is an even year's April release.
            let lts = all.compactMap { os -> (Int, Int)? in
                let words = os.name.split(separator: " ")
                guard words.count == 4, words[0] == "Ubuntu", words[2] == "LTS", words[3] == "x64", words[1].hasSuffix(".04"),
                    let year = Int(words[1].dropLast(3)), year.isMultiple(of: 2)
                else { return nil }
                return (year, os.id)
            }
            guard let newest = lts.max(by: { $0.0 < $1.0 }) else {
                throw ProviderError(.notFound, provider: .vultr, operation: "os.list", message: "no Ubuntu LTS x64 listed; pass --image or set BLUEPRINT_REMOTE_VULTR_IMAGE")
            }
            return String(newest.1)
        }
        return Int(found) ?? 0
    }

    /// The key's id at Vultr, registered on first use (found again by the key itself).
    func ensureKey(_ publicKey: String) async throws -> String {
        let blob = publicKey.split(separator: " ").prefix(2).joined(separator: " ")
        return try await known.once("key:\(blob)") { [client] in
            let keys = try await client.all("/ssh-keys", key: "ssh_keys", query: VultrWire.Cursor.first(), operation: "ssh_keys.list", as: VultrWire.SSHKey.self, pages: VultrWire.Cursor.self)
            if let found = keys.first(where: { ($0.ssh_key ?? "").split(separator: " ").prefix(2).joined(separator: " ") == blob }) { return found.id }
            struct New: Encodable { var name: String; var ssh_key: String }
            struct Answer: Decodable { var ssh_key: VultrWire.SSHKey }
            let made = try await client.send(
                "POST", "/ssh-keys", body: New(name: "blueprint-remote", ssh_key: publicKey), operation: "ssh_keys.create", safety: .unsafe, as: Answer.self)
            return made.ssh_key.id
        }
    }

    // MARK: Firewall groups

    static func firewallDescription(_ deployment: String) -> String { "blueprint-remote-\(deployment)" }

    struct Rule: Encodable {
        var ip_type: String
        var `protocol`: String
        var port: String
        var subnet: String
        var subnet_size: Int
        var notes: String
    }

    /// The deployment's firewall group with its rules, made once.
    func ensureFirewall(for request: InstanceRequest) async throws -> String {
        let description = Self.firewallDescription(request.tags.deployment)
        return try await known.once("firewall:\(description)") { [client] in
            if let found = try await firewall(described: description) { return found.id }
            struct New: Encodable { var description: String }
            struct Answer: Decodable { var firewall_group: VultrWire.FirewallGroup }
            let group = try await client.send(
                "POST", "/firewalls", body: New(description: description), operation: "firewalls.create", safety: .unsafe, as: Answer.self
            ).firewall_group.id
            let ports = [PortMapping(hostPort: 22, containerPort: 22)] + (request.exposure.mode == .public ? request.ports : [])
            for port in ports {
                for cidr in request.exposure.allowedCIDRs {
                    let rule = Rule(
                        ip_type: cidr.isIPv6 ? "v6" : "v4", protocol: port.transport.rawValue, port: String(port.hostPort), subnet: cidr.address,
                        subnet_size: cidr.prefixLength, notes: "blueprint-remote")
                    try await client.send("POST", "/firewalls/\(group)/rules", body: rule, operation: "firewalls.rules.create", safety: .unsafe)
                }
            }
            return group
        }
    }

    func firewall(described description: String) async throws -> VultrWire.FirewallGroup? {
        try await client.all(
            "/firewalls", key: "firewall_groups", query: VultrWire.Cursor.first(), operation: "firewalls.list", as: VultrWire.FirewallGroup.self,
            pages: VultrWire.Cursor.self
        ).first { $0.description == description }
    }

    // MARK: Describe, list

    public func describe(_ ids: [String]) async throws -> [Instance] {
        // No batched read by id: one GET each; 404 means gone.
        try await OneByOne.describe(ids) { [client] id in
            guard UUID(uuidString: id) != nil else { return nil }
            return try await client.find("/instances/\(id)", operation: "instances.get", as: InstanceAnswer.self).map { VultrWire.instance($0.instance) }
        }
    }

    /// Every instance, filtered here: the API's `tag` filter is deprecated and matches one string.
    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await client.all("/instances", key: "instances", query: VultrWire.Cursor.first(), operation: "instances.list", as: VultrWire.Instance.self, pages: VultrWire.Cursor.self)
            .filter { ($0.tags ?? []).contains("\(key):\(value)") }
            .map(VultrWire.instance)
    }

    // MARK: Terminate

    public func terminate(_ ids: [String]) async throws {
        let ids = Array(Set(ids)).filter { UUID(uuidString: $0) != nil }
        guard !ids.isEmpty else { return }
        let emptied = try await OneByOne.terminate(
            ids, doomed: try await describe(ids), delete: { [client] id in try await client.delete("/instances/\(id)", operation: "instances.delete") },
            list: { try await list(tag: ResourceTags.deploymentKey, value: $0) })
        // The firewall group goes with the deployment's last instance.
        for deployment in emptied { try await removeFirewall(of: deployment) }
    }

    func removeFirewall(of deployment: String) async throws {
        guard let group = try await firewall(described: Self.firewallDescription(deployment)) else { return }
        try await client.delete("/firewalls/\(group.id)", operation: "firewalls.delete")
        await known.forget("firewall:\(Self.firewallDescription(deployment))")
    }

    /// The API calls a deployment of `replicas` makes, for `plan`.
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("GET /os", count: 1, note: "once per driver: the newest Ubuntu LTS"),
            ExpectedCall("GET /ssh-keys + POST /ssh-keys", count: 2, note: "the tool's SSH key: registered once per account, one GET after"),
            ExpectedCall("GET /firewalls + POST /firewalls + POST /firewalls/{id}/rules", count: 3, note: "once per deployment, one rule per port and CIDR"),
            ExpectedCall("POST /instances", count: replicas, note: "one per replica; a lost answer is found by label"),
            ExpectedCall("GET /instances/{id}", count: replicas * 6, note: "one per replica per poll until running (no batched read by id)"),
            ExpectedCall("GET + DELETE /instances/{id}", count: replicas * 2, note: "at down"),
            ExpectedCall("GET /instances + GET /firewalls + DELETE /firewalls/{id}", count: 3, note: "at down, once the last instance is gone"),
        ]
    }

    // MARK: Offers

    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let plans = try await client.all("/plans", key: "plans", query: VultrWire.Cursor.first([URLQueryItem(name: "type", value: "all")]), operation: "plans.list", as: VultrWire.Plan.self, pages: VultrWire.Cursor.self)
        let now = Date()
        return plans.flatMap { plan -> [Offer] in
            guard let price = plan.hourly_cost ?? plan.monthly_cost.map({ $0 / 730 }) else { return [] }
            let gpu = plan.gpu_type.map { type -> Offer.GPU in
                let name = type.replacingOccurrences(of: "NVIDIA_", with: "").replacingOccurrences(of: "_", with: " ")
                return Offer.GPU(model: GPUModel.normalize(name, memoryGB: plan.gpu_vram_gb) ?? name, count: 1, memoryGB: plan.gpu_vram_gb ?? 0)
            }
            return (plan.locations ?? []).map { region in
                Offer(
                    provider: .vultr, region: region, instanceType: plan.id, vcpus: plan.vcpu_count.map(Double.init), memoryGB: plan.ram.map { Double($0) / 1024 },
                    diskGB: plan.disk.map(Double.init), gpu: gpu, onDemandPrice: price, source: "vultr /plans", observedAt: now)
            }
        }
    }
}
