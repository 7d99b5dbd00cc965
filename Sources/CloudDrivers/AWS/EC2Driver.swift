import Foundation
import ProviderTransport
import RemoteProvidersCore

/// AWS EC2 through the Query API (version 2016-11-15).
///
/// Tags: EC2 tags, one per key of ../shared/PROVIDERS.md, plus `Name`. Each instance gets a
/// security group of its deployment (`blueprint-remote-<deployment>`), opened to the allowed CIDRs
/// for SSH and (when exposed publicly) the service's ports, and removed once the instance is gone.
public struct EC2Driver: CloudDriver, OfferListing {
    public let provider = ProviderID.aws
    public let region: String
    let client: EC2Client
    /// `BLUEPRINT_REMOTE_AWS_IMAGE`: an AMI to use instead of the newest Canonical Ubuntu.
    let defaultImage: String?
    /// How long `terminate` waits for an instance to be gone before removing its security group.
    let terminationWait: Duration
    /// What one driver already looked up: the image, imported keys, deployments' groups.
    let known = EC2Known()
    let inFlight = CreatesInFlight()

    /// Canonical's account, which publishes the official Ubuntu images.
    static let canonical = "099720109477"
    static let ubuntuPattern = "ubuntu/images/*ubuntu-*-amd64-server-*"

    public static let factory: DriverFactory = { context in
        let chain = AWSCredentialChain(environment: context.environment)
        return try EC2Driver(
            client: EC2Client(
                transport: context.transport, credentials: try chain.credentials(), region: try chain.region(flag: context.region),
                environment: context.environment),
            defaultImage: context.environment["BLUEPRINT_REMOTE_AWS_IMAGE"])
    }

    init(client: EC2Client, defaultImage: String?, terminationWait: Duration = .seconds(300)) {
        self.client = client
        self.region = client.region
        self.defaultImage = defaultImage
        self.terminationWait = terminationWait
    }

    public func checkCredentials() async throws -> String {
        let zones = try await client.call("DescribeAvailabilityZones").items("availabilityZoneInfo")
        return "\(region): \(zones.count) availability zone\(zones.count == 1 ? "" : "s")"
    }

    // MARK: Create

    /// The instance; when the deployment's last create fails with none of its instances left, its security group goes too.
    public func create(_ request: InstanceRequest) async throws -> Instance {
        let deployment = request.tags.deployment
        return try await inFlight.guarding(deployment, { try await make(request) }, cleanUp: { [self] in
            try await removeSecurityGroup(deployment: deployment, after: [])
        })
    }

    func make(_ request: InstanceRequest) async throws -> Instance {
        let (image, user) = try await image(for: request)
        var parameters: [(String, String)] = [
            ("ImageId", image), ("InstanceType", request.instanceType), ("MinCount", "1"), ("MaxCount", "1"),
            // The same token for every retry of this request: EC2 returns the first instance again.
            ("ClientToken", request.requestID),
            ("BlockDeviceMapping.1.DeviceName", "/dev/sda1"),
            ("BlockDeviceMapping.1.Ebs.VolumeSize", String(Int(request.diskGB.rounded(.up)))),
            ("BlockDeviceMapping.1.Ebs.VolumeType", "gp3"),
            ("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "true"),
            // A machine that powers itself off (the dead-man switch at expiry) is terminated, not
            // stopped: a stopped instance still bills for its volume.
            ("InstanceInitiatedShutdownBehavior", "terminate"),
        ]
        if let key = request.sshPublicKey { parameters.append(("KeyName", try await ensureKeyPair(key))) }
        let group = try await ensureSecurityGroup(for: request)
        parameters.append(("SecurityGroupId.1", group))
        if let zone = request.zone { parameters.append(("Placement.AvailabilityZone", zone)) }
        if let userData = request.userData { parameters.append(("UserData", Data(userData.utf8).base64EncodedString())) }
        if request.spot {
            parameters += [
                ("InstanceMarketOptions.MarketType", "spot"),
                ("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time"),
                ("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate"),
            ]
        }
        parameters += EC2Tags.specification(
            request.tags, name: request.name, resourceTypes: ["instance", "volume"], extra: [(EC2Tags.requestKey, request.requestID)])
        // EC2 answers a repeated ClientToken with the first instance; where an EC2 does not (moto),
        // the request tag finds what a lost answer made before anything is sent again.
        let lookup: @Sendable () async throws -> HTTPResponse? = { [client] in
            let found = try await client.call(
                "DescribeInstances", [("Filter.1.Name", "tag:\(EC2Tags.requestKey)"), ("Filter.1.Value.1", request.requestID)])
            return found.all("instanceId").isEmpty ? nil : HTTPResponse(status: 200, body: try found.data())
        }
        let answer = try await client.call("RunInstances", parameters, safety: .lookup(lookup))
        guard let item = answer.items("instancesSet").first ?? answer.items("reservationSet").first?.items("instancesSet").first else {
            throw ProviderError(.transient, provider: .aws, operation: "RunInstances", message: "the answer named no instance")
        }
        var instance = EC2Instances.decode(item, region: region)
        instance.sshUser = user
        await known.remember(instance: instance.id, deployment: request.tags.deployment)
        return instance
    }

    /// The AMI to boot and its login user.
    func image(for request: InstanceRequest) async throws -> (String, String?) {
        if let image = request.image ?? defaultImage { return (image, nil) }
        let image = try await known.lookups.once("image") { try await newestUbuntu() }
        return (image, "ubuntu")
    }

    private func newestUbuntu() async throws -> String {
        let images = try await client.call("DescribeImages", [
            ("Owner.1", Self.canonical),
            ("Filter.1.Name", "name"), ("Filter.1.Value.1", Self.ubuntuPattern),
            ("Filter.2.Name", "state"), ("Filter.2.Value.1", "available"),
        ]).items("imagesSet")
        // ISO 8601 dates sort as text.
        guard let newest = images.max(by: { ($0.string("creationDate") ?? "") < ($1.string("creationDate") ?? "") }),
            let id = newest.string("imageId")
        else {
            throw ProviderError(
                .notFound, provider: .aws, operation: "DescribeImages",
                message: "no Canonical Ubuntu server image (\(Self.ubuntuPattern)) in \(region); pass --image or set BLUEPRINT_REMOTE_AWS_IMAGE")
        }
        return id
    }

    /// Imports the tool's public key once per driver, named by its fingerprint; a key already
    /// imported (by an earlier run) is kept.
    func ensureKeyPair(_ publicKey: String) async throws -> String {
        let name = "blueprint-remote-" + EC2Names.fingerprint(publicKey)
        return try await known.lookups.once("key:\(name)") { [client] in
            do {
                _ = try await client.call("ImportKeyPair", [
                    ("KeyName", name), ("PublicKeyMaterial", Data(publicKey.utf8).base64EncodedString()),
                ])
            } catch let error as ProviderError where error.message.hasPrefix("InvalidKeyPair.Duplicate") {}
            return name
        }
    }

    /// The deployment's security group, created on first use.
    func ensureSecurityGroup(for request: InstanceRequest) async throws -> String {
        let name = "blueprint-remote-\(request.tags.deployment)"
        return try await known.lookups.once("group:\(name)") { try await createSecurityGroup(named: name, for: request) }
    }

    /// Makes the group and opens it; a group that exists already (an earlier attempt) is reused.
    private func createSecurityGroup(named name: String, for request: InstanceRequest) async throws -> String {
        let groupID: String
        do {
            let created = try await client.call("CreateSecurityGroup", [
                ("GroupName", name), ("GroupDescription", "blueprint-remote deployment \(request.tags.deployment)"),
            ] + EC2Tags.specification(request.tags, name: name, resourceTypes: ["security-group"]))
            guard let id = created.string("groupId") else {
                throw ProviderError(.transient, provider: .aws, operation: "CreateSecurityGroup", message: "the answer named no group")
            }
            groupID = id
        } catch let error as ProviderError where error.message.hasPrefix("InvalidGroup.Duplicate") {
            // An earlier attempt made it (and maybe stopped before opening it): open it again;
            // rules it already has are reported as duplicates and skipped.
            guard let existing = try await securityGroup(named: name) else { throw error }
            groupID = existing
        }
        var permissions: [(String, String)] = []
        var index = 0
        let ports = [PortMapping(hostPort: 22, containerPort: 22)] + (request.exposure.mode == .public ? request.ports : [])
        for port in ports {
            index += 1
            let prefix = "IpPermissions.\(index)"
            permissions += [
                ("\(prefix).IpProtocol", port.transport.rawValue), ("\(prefix).FromPort", String(port.hostPort)),
                ("\(prefix).ToPort", String(port.hostPort)),
            ]
            var v4 = 0
            var v6 = 0
            for cidr in request.exposure.allowedCIDRs {
                if cidr.isIPv6 {
                    v6 += 1
                    permissions.append(("\(prefix).Ipv6Ranges.\(v6).CidrIpv6", cidr.description))
                } else {
                    v4 += 1
                    permissions.append(("\(prefix).IpRanges.\(v4).CidrIp", cidr.description))
                }
            }
        }
        do {
            _ = try await client.call("AuthorizeSecurityGroupIngress", [("GroupId", groupID)] + permissions)
        } catch let error as ProviderError where error.message.hasPrefix("InvalidPermission.Duplicate") {}
        return groupID
    }

    func securityGroup(named name: String) async throws -> String? {
        let groups = try await client.call("DescribeSecurityGroups", [("Filter.1.Name", "group-name"), ("Filter.1.Value.1", name)])
            .items("securityGroupInfo")
        return groups.first?.string("groupId")
    }

    // MARK: Describe, list

    public func describe(_ ids: [String]) async throws -> [Instance] {
        guard !ids.isEmpty else { return [] }
        var instances: [Instance] = []
        // A filter, not InstanceId.N: unknown ids are left out instead of failing the whole batch.
        for batch in ids.chunked(by: 200) {
            let filter = [("Filter.1.Name", "instance-id")] + batch.enumerated().map { ("Filter.1.Value.\($0.offset + 1)", $0.element) }
            instances += try await describeAll(filter)
        }
        return instances
    }

    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await describeAll([("Filter.1.Name", "tag:\(key)"), ("Filter.1.Value.1", value)])
    }

    /// Every page of DescribeInstances.
    func describeAll(_ filters: [(String, String)]) async throws -> [Instance] {
        var instances: [Instance] = []
        var token: String?
        repeat {
            var parameters = filters + [("MaxResults", "1000")]
            if let token { parameters.append(("NextToken", token)) }
            let answer = try await client.call("DescribeInstances", parameters)
            for reservation in answer.items("reservationSet") {
                instances += reservation.items("instancesSet").map { EC2Instances.decode($0, region: region) }
            }
            token = answer.string("nextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        await known.noted(instances)
        return instances
    }

    // MARK: Terminate

    /// One TerminateInstances per thousand ids; then each deployment whose last instance (that
    /// this driver knows of) is gone loses its security group.
    public func terminate(_ ids: [String]) async throws {
        let ids = Array(Set(ids))
        guard !ids.isEmpty else { return }
        var deployments = await known.deployments(of: ids)
        let unknown = ids.filter { deployments[$0] == nil }
        for instance in try await describe(unknown) { deployments[instance.id] = instance.tags[ResourceTags.deploymentKey] }
        for batch in ids.chunked(by: 1000) { try await terminateExisting(batch) }
        let byDeployment = Dictionary(grouping: ids.compactMap { id in deployments[id].map { (id, $0) } }, by: \.1)
        for (deployment, pairs) in byDeployment.sorted(by: { $0.key < $1.key }) {
            let gone = pairs.map(\.0)
            // While this driver knows of another live instance of the deployment, its group stays.
            if await known.terminated(instances: gone, deployment: deployment) > 0 { continue }
            try await removeSecurityGroup(deployment: deployment, after: gone)
        }
    }

    /// EC2 refuses the whole batch when one id does not exist, naming it: those are dropped (already
    /// gone is success) and the rest sent again.
    private func terminateExisting(_ batch: [String]) async throws {
        var remaining = batch
        while !remaining.isEmpty {
            do {
                _ = try await client.call("TerminateInstances", remaining.enumerated().map { ("InstanceId.\($0.offset + 1)", $0.element) })
                return
            } catch let error as ProviderError where error.kind == .notFound {
                let named = Set(remaining.filter { error.message.contains($0) })
                // An answer that names none of them: keep those EC2 still knows, or stop.
                let left = named.isEmpty ? Set(try await describe(remaining).map(\.id)) : Set(remaining).subtracting(named)
                guard left.count < remaining.count else { throw error }
                remaining = remaining.filter(left.contains)
            }
        }
    }

    /// Deletes the deployment's group once no other instance of it is left. The deployment is
    /// listed first: not every EC2-compatible API refuses to delete a group in use (moto does not).
    func removeSecurityGroup(deployment: String, after gone: [String]) async throws {
        let goneSet = Set(gone)
        // Only those that may still hold the group: a list of the terminated too is long after a fleet.
        let others = try await describeAll([
            ("Filter.1.Name", "tag:\(ResourceTags.deploymentKey)"), ("Filter.1.Value.1", deployment),
            ("Filter.2.Name", "instance-state-name"), ("Filter.2.Value.1", "pending"), ("Filter.2.Value.2", "running"),
            ("Filter.2.Value.3", "shutting-down"), ("Filter.2.Value.4", "stopping"), ("Filter.2.Value.5", "stopped"),
        ]).filter { !goneSet.contains($0.id) && $0.status != .terminated }
        guard others.isEmpty else { return }
        let name = "blueprint-remote-\(deployment)"
        var group = await known.lookups.value("group:\(name)")
        if group == nil { group = try await securityGroup(named: name) }
        guard let group else { return }
        try await deleteSecurityGroup(group, name: name, after: gone)
    }

    /// EC2 refuses while the terminated instances are still shutting down: retried with backoff.
    private func deleteSecurityGroup(_ group: String, name: String, after gone: [String]) async throws {
        let deadline = ContinuousClock.now + terminationWait
        var wait = Duration.seconds(1)
        while true {
            do {
                _ = try await client.call("DeleteSecurityGroup", [("GroupId", group)])
                await known.lookups.forget("group:\(name)")
                return
            } catch let error as ProviderError where error.kind == .notFound {
                await known.lookups.forget("group:\(name)")
                return
            } catch let error as ProviderError where error.message.hasPrefix("DependencyViolation") {
                guard ContinuousClock.now + wait < deadline else {
                    throw ProviderError(
                        .timeout, provider: .aws, operation: "DeleteSecurityGroup",
                        message: "security group \(group) still in use \(terminationWait) after terminating \(gone.sorted().joined(separator: ", ")); gc will retry")
                }
                try await Task.sleep(for: wait)
                wait = min(wait * 2, .seconds(15))
            }
        }
    }

    /// What a deployment of `replicas` costs in calls, from create to terminate (the budget the
    /// driver's tests hold it to).
    public static func expectedCalls(replicas: Int) -> [ExpectedCall] {
        [
            ExpectedCall("DescribeImages", count: 1, note: "once per driver: the newest Ubuntu LTS image"),
            ExpectedCall("DescribeKeyPairs / ImportKeyPair", count: 1, note: "once per account: the tool's SSH key"),
            ExpectedCall("CreateSecurityGroup + AuthorizeSecurityGroupIngress", count: 2, note: "once per deployment"),
            ExpectedCall("RunInstances", count: replicas, note: "one per replica, each with a client token"),
            ExpectedCall("DescribeInstances", count: 6, note: "batched for all replicas, about one per 5 s until running"),
            ExpectedCall("TerminateInstances", count: (replicas + 999) / 1000, note: "at down: 1,000 ids per call"),
            ExpectedCall("DescribeSecurityGroups + DeleteSecurityGroup", count: 2, note: "at down, once the last instance is gone"),
        ]
    }

    // MARK: Offers

    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        var types: [XMLElement] = []
        var token: String?
        repeat {
            var parameters = [("MaxResults", "100")]
            if let token { parameters.append(("NextToken", token)) }
            let answer = try await client.call("DescribeInstanceTypes", parameters)
            types += answer.items("instanceTypeSet")
            token = answer.string("nextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        let spot = spec.spot == .never ? [:] : try await spotPrices()
        let now = Date()
        return types.compactMap { item in
            EC2Offers.decode(item, region: region, spotPrice: { spot[$0] }, observedAt: now)
        }
    }

    /// The latest Linux spot price per instance type (the lowest across zones).
    func spotPrices() async throws -> [String: Double] {
        var prices: [String: Double] = [:]
        let answer = try await client.call("DescribeSpotPriceHistory", [
            ("ProductDescription.1", "Linux/UNIX"), ("StartTime", Timestamp.format(Date())), ("MaxResults", "1000"),
        ])
        for item in answer.items("spotPriceHistorySet") {
            guard let type = item.string("instanceType"), let price = item.string("spotPrice").flatMap(Double.init) else { continue }
            prices[type] = min(prices[type] ?? .infinity, price)
        }
        return prices
    }
}

/// What one driver need not ask twice: the newest Ubuntu image, the key pairs it imported, the
/// security groups of its deployments; and which instances of a deployment it made.
actor EC2Known {
    /// The image, imported keys, deployments' groups.
    let lookups = LookupCache()
    private var deployments: [String: String] = [:]
    private var live: [String: Set<String>] = [:]

    /// The deployment of each instance this driver made, of those in `ids`.
    func deployments(of ids: [String]) -> [String: String] {
        ids.reduce(into: [:]) { found, id in found[id] = deployments[id] }
    }

    func remember(instance: String, deployment: String) {
        deployments[instance] = deployment
        live[deployment, default: []].insert(instance)
    }

    /// The deployment of instances seen in a describe or a list (not made here), so terminating
    /// them needs no second look.
    func noted(_ seen: [Instance]) {
        for instance in seen {
            if let deployment = instance.tags[ResourceTags.deploymentKey], deployments[instance.id] == nil { deployments[instance.id] = deployment }
        }
    }

    /// Forgets terminated instances; returns how many others of their deployment this driver made
    /// and has not terminated.
    func terminated(instances: [String], deployment: String) -> Int {
        for instance in instances {
            live[deployment]?.remove(instance)
            deployments[instance] = nil
        }
        return live[deployment]?.count ?? 0
    }
}
