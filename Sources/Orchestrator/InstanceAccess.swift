import DeploymentStore
import Foundation
import RemoteExecution
import RemoteProvidersCore
import Workloads

/// SSH onto an instance the tool created: its public address (or the one
/// `BLUEPRINT_REMOTE_SSH_ADDRESS_OVERRIDE` names, for a bastion or tunnel), the tool's own key,
/// and the host key pinned in the instance's record at first contact (a machine the tool has just
/// made has no key anyone could know before), verified on every contact after.
public struct InstanceAccess: Sendable {
    public static let overrideVariable = "BLUEPRINT_REMOTE_SSH_ADDRESS_OVERRIDE"

    let store: any DeploymentStore
    let identity: SSHIdentity
    let override: SSHOverride?
    /// How long a new instance may take to answer SSH.
    let waitFor: Duration

    public init(store: any DeploymentStore, identity: SSHIdentity, environment: Environment, waitFor: Duration = .seconds(300)) throws {
        self.store = store
        self.identity = identity
        override = try environment[Self.overrideVariable].map { try SSHOverride(parsing: $0) }
        self.waitFor = waitFor
    }

    /// A connected, verified way onto `record`'s host, retrying while a new machine boots.
    public func access(for record: InstanceRecord) async throws -> HostAccess {
        guard let address = override?.host ?? record.address else {
            throw ProviderError(.notFound, provider: record.provider, operation: "connect", message: "instance \(record.providerInstanceID) has no address")
        }
        let endpoint = SSHEndpoint(
            host: address, port: override?.port ?? record.sshPort, user: override?.user ?? record.sshUser ?? "root")
        let pinned = try record.hostKey.map { try SSHHostKey(openSSH: $0) }
        let deadline = ContinuousClock.now + waitFor
        var pause = Duration.seconds(1)
        while true {
            let ssh = SSHExecutor(endpoint: endpoint, identity: identity, hostKeys: HostKeyPolicy(expected: pinned, trustNew: pinned == nil))
            do {
                let connection = try await ssh.connect()
                if pinned == nil {
                    try await store.updateInstance(record.id, InstanceUpdate(hostKey: connection.hostKey.openSSH))
                }
                // Published ports are reached where SSH is, when SSH goes through an override.
                return HostAccess(name: record.providerInstanceID, executor: ssh, serviceAddress: address)
            } catch let error as ExecutionError where Self.worthWaiting(error, firstContact: pinned == nil) && ContinuousClock.now + pause < deadline {
                await ssh.close()
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
            } catch {
                await ssh.close()
                throw error
            }
        }
    }

    /// Whether a new machine may yet answer: any error that is not permanent, and — before the
    /// first contact — a refused key too, since many clouds install it at first boot, after sshd
    /// is up (cloud-init; Paperspace's startup script, TensorDock's `runcmd`).
    static func worthWaiting(_ error: ExecutionError, firstContact: Bool) -> Bool {
        !error.isPermanent || (firstContact && error.kind == .authenticationFailed)
    }
}

/// `[USER@]HOST:PORT`: where every SSH connection and health probe goes instead.
struct SSHOverride: Sendable, Equatable {
    let user: String?
    let host: String
    let port: Int

    init(parsing text: String) throws {
        var rest = Substring(text)
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        } else {
            user = nil
        }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else {
            throw ValidationError(field: InstanceAccess.overrideVariable, value: text, rule: "must be [USER@]HOST:PORT")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, user.map({ !$0.isEmpty }) ?? true else {
            throw ValidationError(field: InstanceAccess.overrideVariable, value: text, rule: "must be [USER@]HOST:PORT")
        }
        self.host = host
        self.port = port
    }
}
