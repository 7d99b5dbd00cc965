import DeploymentStore
import Foundation
import RemoteProvidersCore
import Catalog
import Workloads

/// Buys one candidate's worth of instances, all or nothing: one `create` per replica at once,
/// each recorded the moment its id is known; then batched describes until all run. If any replica
/// cannot be had, the ones that were made are terminated (and that proven) before the error goes up.
struct Provisioner: Sendable {
    let store: any DeploymentStore
    let cleanup: Cleanup
    let environment: Environment
    /// How long instances may take to run.
    let runningWait: Duration

    func provision(
        _ candidate: Candidate, attempt: Int, spec: ServiceSpec, deployment: Deployment, owner: String, publicKey: String,
        driver: any CloudDriver, timeline: Timeline
    ) async throws -> [InstanceRecord] {
        let offer = candidate.offer
        let runtime = spec.runtime ?? (spec.image == nil ? .native : .docker)
        // A container cloud runs the image itself: no boot script, the container in the request.
        let hostsContainers = driver is any ContainerHosting
        let results = await withTaskGroup(of: Result<InstanceRecord, any Error>.self) { group in
            for replica in 0..<spec.replicas {
                group.addTask {
                    do {
                        let container = hostsContainers
                            ? try Workload(spec: spec, deploymentID: deployment.id, replica: replica, environment: environment).containerLaunch(on: offer.provider)
                            : nil
                        // Stable across retries of this attempt, new for the next: the driver's idempotency token.
                        let request = InstanceRequest(
                            requestID: "\(deployment.id)-a\(attempt)-r\(replica)", name: "\(spec.name)-\(replica)", region: offer.region, zone: offer.zone,
                            instanceType: offer.instanceType, diskGB: spec.resources.diskGB, spot: candidate.market == .spot,
                            tags: ResourceTags(deployment: deployment.id, owner: owner, expires: deployment.expiresAt), sshPublicKey: publicKey,
                            userData: hostsContainers ? nil : RuntimeProbe.bootScript(for: runtime), exposure: spec.exposure, ports: spec.ports,
                            container: container)
                        let instance = try await driver.create(request)
                        let record = try await store.recordInstance(InstanceRecord(
                            deploymentID: deployment.id, provider: instance.provider, region: instance.region, providerInstanceID: instance.id,
                            address: instance.publicAddress, sshPort: instance.sshPort, sshUser: instance.sshUser, replica: replica,
                            publishedPorts: instance.publishedPorts, expiresAt: deployment.expiresAt))
                        await timeline.record(.instance, "replica \(replica): \(instance.provider) \(instance.id) created (\(offer.instanceType) in \(instance.zone ?? instance.region))")
                        return .success(record)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<InstanceRecord, any Error>] = []
            for await result in group { all.append(result) }
            return all
        }
        let made = results.compactMap { try? $0.get() }.sorted { ($0.replica ?? 0) < ($1.replica ?? 0) }
        let errors = results.compactMap { result -> (any Error)? in
            if case .failure(let error) = result { return error }
            return nil
        }
        CrashPoint.reached(.afterCreate, environment: environment)
        if let error = Self.mostTelling(errors) {
            if !made.isEmpty {
                await timeline.record(.note, "\(made.count) of \(spec.replicas) replicas were made before the failure: terminating them")
                await cleanup.terminate(made, driver: driver, timeline: timeline)
            }
            throw error
        }
        do {
            return try await waitUntilRunning(made, driver: driver, timeline: timeline)
        } catch {
            await cleanup.terminate(made, driver: driver, timeline: timeline)
            throw error
        }
    }

    /// Capacity and quota errors first: they are the ones the orchestrator can route around.
    static func mostTelling(_ errors: [any Error]) -> (any Error)? {
        errors.first { ($0 as? ProviderError)?.isCapacity == true } ?? errors.first
    }

    /// Batched describes, each a little further apart, until every instance runs with an address;
    /// where it is reached (address, SSH port and user, published ports) is recorded as it is then.
    private func waitUntilRunning(_ records: [InstanceRecord], driver: any CloudDriver, timeline: Timeline) async throws -> [InstanceRecord] {
        let seen = try await RunningWait.until(records.map(\.providerInstanceID), driver: driver, within: runningWait)
        var current: [InstanceRecord] = []
        for record in records {
            guard let instance = seen[record.providerInstanceID] else {
                current.append(record)
                continue
            }
            let address = instance.publicAddress ?? instance.privateAddress
            let changed =
                address != record.address || instance.sshPort != record.sshPort || (instance.sshUser != nil && instance.sshUser != record.sshUser)
                || instance.publishedPorts != record.publishedPorts
            current.append(
                changed
                    ? try await store.updateInstance(
                        record.id,
                        InstanceUpdate(address: address, sshPort: instance.sshPort, sshUser: instance.sshUser, publishedPorts: instance.publishedPorts))
                    : record)
        }
        await timeline.record(.instance, "\(current.count) instance\(current.count == 1 ? "" : "s") running: \(current.compactMap(\.address).joined(separator: ", "))")
        CrashPoint.reached(.afterRunning, environment: environment)
        return current
    }
}

extension ProviderError {
    /// No capacity or over a quota: another offer may well succeed.
    public var isCapacity: Bool {
        switch kind {
        case .noCapacity, .quotaExceeded: true
        default: false
        }
    }
}

extension BlockedScope {
    /// What to stop trying after `error` on `offer`. Capacity is short for one instance type (in
    /// the zone it names, or the offer's region when the offer has no zone); a quota covers every
    /// type of the scope it names.
    init(failure error: ProviderError, offer: Offer) {
        switch error.kind {
        case .noCapacity(let scope):
            switch scope {
            case .zone(let zone) where offer.zone == zone:
                self.init(provider: offer.provider, scope: .zone(zone), instanceType: offer.instanceType)
            case .zone, .region:
                self.init(provider: offer.provider, scope: .region(offer.region), instanceType: offer.instanceType)
            case .provider:
                self.init(provider: offer.provider, scope: .provider, instanceType: offer.instanceType)
            }
        case .quotaExceeded(let scope):
            switch scope {
            case .provider: self.init(provider: offer.provider, scope: .provider)
            case .zone, .region: self.init(provider: offer.provider, scope: .region(offer.region))
            }
        default:
            self.init(provider: offer.provider, scope: .region(offer.region), instanceType: offer.instanceType)
        }
    }
}
