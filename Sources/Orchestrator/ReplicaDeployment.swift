import DeploymentStore
import Foundation
import RemoteProvidersCore
import Workloads

/// One replica onto a host that an `up` (cloud or pool) has reached: the runtime chosen and
/// recorded before anything starts (so a crash leaves a record of what to remove), the workload
/// deployed and proven, then the dead-man switch armed for the deployment's expiry.
struct ReplicaDeployment: Sendable {
    let store: any DeploymentStore
    let deployer: ServiceDeployer
    let environment: Environment

    /// `onSwitchFailure` hears why a switch could not be armed (the replica stays up regardless).
    func deploy(
        _ spec: ServiceSpec, deployment: Deployment, record: InstanceRecord, on host: HostAccess, switchAction: DeadManSwitch.Action,
        onSwitchFailure: @escaping @Sendable (String) async -> Void
    ) async throws -> DeployedReplica {
        let replica = record.replica ?? 0
        return try await host.closing {
            let runtime = try await deployer.runtime(for: spec, on: host)
            try await store.updateInstance(record.id, InstanceUpdate(runtime: runtime.kind))
            let workload = try Workload(spec: spec, deploymentID: deployment.id, replica: replica, environment: environment)
            let deployed = try await deployer.deploy(workload, spec: spec, runtime: runtime, on: host)
            await DeadManSwitch.arm(workload, runtime: runtime.kind, expiresAt: deployment.expiresAt, action: switchAction, on: host.executor) {
                await onSwitchFailure("replica \(replica): \($0)")
            }
            return deployed
        }
    }
}
