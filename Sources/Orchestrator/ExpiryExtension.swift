import DeploymentStore
import Foundation
import RemoteProvidersCore
import Workloads

/// `extend`: moves a deployment's expiry in the store, then on every live replica's host (its
/// dead-man switch), holding the deployment's lease so no `up`, `down` or `gc` works on it
/// meanwhile. The store comes first: it is what `gc` goes by.
public struct ExpiryExtension: Sendable {
    let store: any DeploymentStore
    /// A verified connection to a replica's host.
    let access: @Sendable (InstanceRecord) async throws -> HostAccess
    let holder: String

    public init(store: any DeploymentStore, access: @escaping @Sendable (InstanceRecord) async throws -> HostAccess) {
        self.store = store
        self.access = access
        holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    public func extend(_ deployment: Deployment, to expiresAt: Date) async throws -> [ReplicaExpiry] {
        guard deployment.state.isLive, deployment.state != .failed, deployment.state != .draining else {
            throw ExtendRefused(message: "deployment \(deployment.id) is \(deployment.state.rawValue): only a live deployment can be extended")
        }
        return try await store.withLease(deployment.id, holder: holder) { [self] _ in
            try await store.setExpiry(deployment.id, expiresAt)
            let live = try await store.instances(deploymentID: deployment.id).filter { $0.state == .active }
            return await withTaskGroup(of: ReplicaExpiry.self) { group in
                for record in live {
                    group.addTask { await move(record, deploymentID: deployment.id, to: expiresAt) }
                }
                var all: [ReplicaExpiry] = []
                for await result in group { all.append(result) }
                return all.sorted { $0.replica < $1.replica }
            }
        }
    }

    private func move(_ record: InstanceRecord, deploymentID: String, to expiresAt: Date) async -> ReplicaExpiry {
        let replica = record.replica ?? 0
        guard let runtime = record.runtime else {
            return ReplicaExpiry(replica: replica, instance: record.providerInstanceID, moved: false, error: "nothing was started there")
        }
        do {
            let host = try await access(record)
            try await host.closing {
                let action: DeadManSwitch.Action = record.provider.isPool ? .stopWorkload : .stopWorkloadAndPowerOff
                try await DeadManSwitch(host: host.executor).arm(
                    Workload.handle(deploymentID: deploymentID, replica: replica), runtime: runtime, expiresAt: expiresAt, action: action)
            }
            return ReplicaExpiry(replica: replica, instance: record.providerInstanceID, moved: true, error: nil)
        } catch {
            let message = (error as? any CodedError)?.message ?? "\(error)"
            _ = try? await store.appendEvent(deploymentID, .error, "replica \(replica): the dead-man switch on \(record.providerInstanceID) was not moved: \(message)")
            return ReplicaExpiry(replica: replica, instance: record.providerInstanceID, moved: false, error: message)
        }
    }
}

/// Whether a replica's dead-man switch now holds the new expiry.
public struct ReplicaExpiry: Sendable, Codable, Equatable {
    public var replica: Int
    public var instance: String
    public var moved: Bool
    public var error: String?
}

struct ExtendRefused: CodedError {
    let message: String
    var code: ErrorCode { .conflict }
}
