import DeploymentStore
import Foundation
import RemoteExecution
import RemoteProvidersCore

/// How the bring-your-own providers reach their hosts: `local` through this machine's shell, `ssh`
/// over a verified connection (the key the hosts file gives, else the one pinned in the store;
/// a host with neither is trusted on first sight only when allowed, and its key pinned then).
public struct PoolHosts: Sendable {
    public let driver: any OfferListing
    let file: HostsFile?
    let store: any DeploymentStore
    /// The tool's own key, for hosts whose entry names no `identity_file`.
    let controllerIdentity: SSHIdentity?
    let trustNewHostKeys: Bool
    let connectTimeout: Duration

    public init(
        provider: ProviderID, file: HostsFile?, store: any DeploymentStore, controllerIdentity: SSHIdentity?, trustNewHostKeys: Bool = false,
        connectTimeout: Duration = .seconds(15)
    ) throws {
        switch provider {
        case .local: driver = LocalDriver(store: store)
        case .ssh:
            guard let file else {
                throw ValidationError(field: "--hosts", value: nil, rule: "is required by the ssh provider (or set \(HostsFile.variable))")
            }
            driver = HostPoolDriver(file: file, store: store)
        default:
            throw ProviderError.unsupported("pool", provider: provider, reason: "\(provider) is no pool of your own hosts (those are ssh and local)")
        }
        self.file = file
        self.store = store
        self.controllerIdentity = controllerIdentity
        self.trustNewHostKeys = trustNewHostKeys
        self.connectTimeout = connectTimeout
    }

    /// A verified way onto the host of `record`, connected now (so a new key is pinned at once).
    public func access(for record: InstanceRecord) async throws -> HostAccess {
        if record.provider == .local { return HostAccess(name: "local", executor: LocalExecutor(), serviceAddress: "127.0.0.1") }
        guard let pool = driver as? HostPoolDriver, let (name, _) = HostPoolDriver.split(record.providerInstanceID) else {
            throw ProviderError(.notFound, provider: record.provider, operation: "connect", message: "instance \(record.providerInstanceID) is no host of the pool")
        }
        let host = try pool.host(named: name)
        let identity: SSHIdentity
        if let path = host.identityFile {
            identity = try SSHIdentity.load(path: path)
        } else if let controllerIdentity {
            identity = controllerIdentity
        } else {
            throw ValidationError(field: "identity_file", value: nil, rule: "is required for host \(host.name) (no tool key is available)")
        }
        var expected = host.hostKey
        if expected == nil, let pinned = try await store.pinnedHostKey(host: host.pinKey) { expected = try SSHHostKey(openSSH: pinned.publicKey) }
        let ssh = SSHExecutor(
            endpoint: host.endpoint, identity: identity, hostKeys: HostKeyPolicy(expected: expected, trustNew: trustNewHostKeys),
            connectTimeout: connectTimeout)
        let connection = try await ssh.connect()
        if expected == nil {
            try await store.pinHostKey(PinnedHostKey(
                host: host.pinKey, publicKey: connection.hostKey.openSSH, fingerprint: connection.hostKey.fingerprint,
                deploymentID: record.deploymentID, pinnedAt: Date()))
        }
        if record.hostKey != connection.hostKey.openSSH {
            try await store.updateInstance(record.id, InstanceUpdate(hostKey: connection.hostKey.openSSH))
        }
        return HostAccess(name: host.name, executor: ssh, serviceAddress: host.serviceAddress ?? host.address)
    }
}
