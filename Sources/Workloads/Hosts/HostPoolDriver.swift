import DeploymentStore
import Foundation
import RemoteExecution
import RemoteProvidersCore

/// The `ssh` provider: the hosts of a hosts file, each lent to one live deployment at a time
/// through a claim in the store. Its "instance" is that loan: id `<host>:<deployment>`, running
/// while the claim holds; `create` claims, `terminate` releases. Hosts cost nothing, so their
/// offers are priced 0.
public struct HostPoolDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.ssh
    public let file: HostsFile
    let store: any DeploymentStore

    public init(file: HostsFile, store: any DeploymentStore) {
        self.file = file
        self.store = store
    }

    static let region = "pool"

    public func checkCredentials() async throws -> String {
        "\(file.hosts.count) host\(file.hosts.count == 1 ? "" : "s") in \(file.path)"
    }

    public func host(named name: String) throws -> PoolHost {
        guard let host = file.hosts.first(where: { $0.name == name }) else {
            throw ProviderError(.notFound, provider: provider, operation: "host", message: "no host named \(name) in \(file.path)")
        }
        return host
    }

    static func claimKey(_ name: String) -> String { "ssh:\(name)" }

    /// The free hosts whose labels fit `spec`, in file order.
    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let busy = try await busyHosts()
        let now = Date()
        return file.hosts.filter { !busy.contains($0.name) && $0.labels.shortfall(for: spec) == nil }.map { host in
            Offer(
                provider: provider, region: Self.region, instanceType: host.name, vcpus: host.labels.cpus ?? spec.cpus,
                memoryGB: host.labels.memoryGB ?? spec.memoryGB, diskGB: host.labels.diskGB,
                gpu: host.labels.gpus > 0 ? Offer.GPU(model: host.labels.gpuModel ?? "unknown", count: host.labels.gpus, memoryGB: 0) : nil,
                onDemandPrice: 0, source: "hosts file \(file.path)", observedAt: now)
        }
    }

    /// Hosts a live deployment holds (a claim of an ended one is free to take).
    func busyHosts() async throws -> Set<String> {
        var busy: Set<String> = []
        for claim in try await store.hostClaims() where claim.host.hasPrefix("ssh:") {
            if let holder = try await store.deployment(id: claim.deploymentID), ![.failed, .terminated].contains(holder.state) {
                busy.insert(String(claim.host.dropFirst(4)))
            }
        }
        return busy
    }

    /// Claims the host named by `instanceType` for the request's deployment.
    public func create(_ request: InstanceRequest) async throws -> Instance {
        let host = try host(named: request.instanceType)
        let deployment = request.tags.deployment
        if let holder = try await store.claimHost(Self.claimKey(host.name), deploymentID: deployment) {
            throw ProviderError(
                .noCapacity(.zone(host.name)), provider: provider, operation: "claim",
                message: "host \(host.name) is in use by deployment \(holder.deploymentID)")
        }
        return instance(host, deployment: deployment, status: .running)
    }

    func instance(_ host: PoolHost, deployment: String, status: InstanceStatus) -> Instance {
        Instance(
            id: "\(host.name):\(deployment)", provider: provider, region: Self.region, instanceType: host.name, status: status,
            publicAddress: host.address, sshPort: host.port, sshUser: host.user, tags: [ResourceTags.deploymentKey: deployment])
    }

    public func describe(_ ids: [String]) async throws -> [Instance] {
        let claims = try await store.hostClaims()
        return ids.compactMap { id in
            guard let (name, deployment) = Self.split(id), let host = file.hosts.first(where: { $0.name == name }) else { return nil }
            let held = claims.contains { $0.host == Self.claimKey(name) && $0.deploymentID == deployment }
            return instance(host, deployment: deployment, status: held ? .running : .terminated)
        }
    }

    /// Claims carrying the deployment (`blueprint-remote-deployment`), or every claim of this store
    /// (`blueprint-remote-owner`: the store is the owner).
    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await store.hostClaims().compactMap { claim in
            guard claim.host.hasPrefix("ssh:"), let host = file.hosts.first(where: { Self.claimKey($0.name) == claim.host }) else { return nil }
            guard key == ResourceTags.ownerKey || (key == ResourceTags.deploymentKey && claim.deploymentID == value) else { return nil }
            return instance(host, deployment: claim.deploymentID, status: .running)
        }
    }

    /// Releases the claims; ids not claimed (any more) are success.
    public func terminate(_ ids: [String]) async throws {
        for id in ids {
            guard let (name, deployment) = Self.split(id) else { continue }
            try await store.releaseHost(Self.claimKey(name), deploymentID: deployment)
        }
    }

    static func split(_ id: String) -> (String, String)? {
        let parts = id.split(separator: ":", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
}

/// The `local` provider: this machine, shared by every deployment on it (ports tell them apart).
public struct LocalDriver: CloudDriver, OfferListing {
    public let provider = ProviderID.local
    let store: any DeploymentStore

    public init(store: any DeploymentStore) {
        self.store = store
    }

    static let region = "local"

    public func checkCredentials() async throws -> String { "this machine (\(ProcessInfo.processInfo.hostName))" }

    public func offers(for spec: ResourceSpec) async throws -> [Offer] {
        let cpus = Double(ProcessInfo.processInfo.activeProcessorCount)
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        guard spec.gpu == nil || spec.gpu?.count == 0, cpus >= spec.cpus, memory >= spec.memoryGB else { return [] }
        return [Offer(provider: provider, region: Self.region, instanceType: "local", vcpus: cpus, memoryGB: memory, onDemandPrice: 0, source: "this machine", observedAt: Date())]
    }

    public func create(_ request: InstanceRequest) async throws -> Instance {
        instance(deployment: request.tags.deployment, status: .running)
    }

    func instance(deployment: String, status: InstanceStatus) -> Instance {
        Instance(
            id: "local:\(deployment)", provider: provider, region: Self.region, instanceType: "local", status: status, publicAddress: "127.0.0.1",
            tags: [ResourceTags.deploymentKey: deployment])
    }

    public func describe(_ ids: [String]) async throws -> [Instance] {
        ids.compactMap { id in id.hasPrefix("local:") ? instance(deployment: String(id.dropFirst(6)), status: .running) : nil }
    }

    public func list(tag key: String, value: String) async throws -> [Instance] {
        try await store.instances(deploymentID: key == ResourceTags.deploymentKey ? value : nil)
            .filter { $0.provider == provider && $0.state != .terminated }
            .compactMap { record in record.deploymentID.map { instance(deployment: $0, status: .running) } }
    }

    /// Nothing to give back: the machine stays.
    public func terminate(_ ids: [String]) async throws {}
}
