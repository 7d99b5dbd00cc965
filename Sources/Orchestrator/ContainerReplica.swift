import Catalog
import DeploymentStore
import Foundation
import RemoteExecution
import RemoteProvidersCore
import Workloads

/// One replica on a container cloud, where the provider already runs the service's image: nothing
/// is deployed over SSH; the replica is proven healthy where the provider publishes its ports
/// (HTTP and TCP checks on the public port mapped to the service's; command checks over SSH into
/// the container, on its mapped SSH port). Without a check, it must still be running a moment later.
struct ContainerReplica: Sendable {
    let prober: HealthProber
    let access: InstanceAccess
    /// How long a replica without a health check must keep running.
    let settle: Duration

    func prove(_ spec: ServiceSpec, record: InstanceRecord, driver: any CloudDriver) async throws -> DeployedReplica {
        guard let address = record.address else {
            throw ProviderError(.notFound, provider: record.provider, operation: "health", message: "\(record.providerInstanceID) has no address")
        }
        // The spec names the container's port; it is reached on the public one it is published on.
        let route: PortRoute = { port in
            guard let published = record.publishedPorts.first(where: { $0.containerPort == port }) else {
                throw HealthError(message: "\(record.provider) did not publish container port \(port) of \(record.providerInstanceID)")
            }
            return (address, published.hostPort)
        }
        let stillRunning: @Sendable () async throws -> String? = {
            let status = try await driver.describe([record.providerInstanceID]).first?.status
            return status == .running ? nil : "the container is \(status?.rawValue ?? "gone") at \(record.provider)"
        }
        if let check = spec.health {
            try await prober.waitUntilHealthy(
                check, route: route,
                exec: { argv, timeout in
                    let host = try await access.access(for: record)
                    return try await host.closing { try await host.executor.run(ShellCommand(argv), input: nil, timeout: timeout) }
                }, stopIf: stillRunning)
        } else {
            try await Task.sleep(for: settle)
            if let reason = try await stillRunning() { throw HealthError(message: reason) }
        }
        let url = spec.ports.first.flatMap { port in record.publishedPorts.first { $0.containerPort == port.containerPort } }.map { published in
            "http://\(address.contains(":") ? "[\(address)]" : address):\(published.hostPort)"
        }
        return DeployedReplica(replica: record.replica ?? 0, host: record.providerInstanceID, runtime: nil, url: url)
    }

    /// Container clouds `spec` cannot run on (`ContainerCloudFit`), blocked before the first attempt.
    static func unsuitable(for spec: ServiceSpec) -> Set<BlockedScope> {
        Set(ProviderDirectory.all.filter { spec.containerCloudRefusal($0.id) != nil }.map { BlockedScope(provider: $0.id, scope: .provider) })
    }
}
