import DeploymentStore
import Foundation
import RemoteExecution
import RemoteProvidersCore
import Workloads

/// `up` and `down` on the bring-your-own pools, written against the store so that a crash at any
/// point leaves a record of what was claimed and started: the deployment is recorded first, each
/// host's claim and instance before anything runs on it. An `up` that fails removes what it
/// started, releases its hosts and leaves the deployment `failed`.
public struct PoolDeployment: Sendable {
    let hosts: PoolHosts
    let store: any DeploymentStore
    let deployer: ServiceDeployer
    let environment: Environment
    /// Replicas deployed at once.
    let concurrency: Int
    /// Who holds the deployment's lease while working on it.
    let holder: String

    public init(hosts: PoolHosts, store: any DeploymentStore, deployer: ServiceDeployer, environment: Environment, concurrency: Int = 16) {
        self.hosts = hosts
        self.store = store
        self.deployer = deployer
        self.environment = environment
        self.concurrency = max(concurrency, 1)
        holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    public func up(_ spec: ServiceSpec, expiresAt: Date?) async throws -> UpOutcome {
        // Secrets are read before anything is recorded: a missing one costs nothing.
        _ = try Workload(spec: spec, deploymentID: "dcheck", replica: 0, environment: environment)
        let deployment = try await store.createDeployment(NewDeployment(name: spec.name, spec: spec, expiresAt: expiresAt, pricePerHour: 0))
        CrashPoint.reached(.afterIntent, environment: environment)
        return try await store.withLease(deployment.id, holder: holder) { [self] _ in try await up(spec, deployment: deployment) }
    }

    private func up(_ spec: ServiceSpec, deployment: Deployment) async throws -> UpOutcome {
        var records: [InstanceRecord] = []
        do {
            try await store.transition(deployment.id, to: .provisioning, reason: "claiming \(spec.replicas) host\(spec.replicas == 1 ? "" : "s") of \(hosts.driver.provider)")
            records = try await claim(spec, deployment: deployment)
            // Your own hosts run from the moment they are claimed.
            CrashPoint.reached(.afterRunning, environment: environment)
            try await store.transition(deployment.id, to: .deploying, reason: "deploying \(spec.name)")
        } catch {
            try await fail(deployment, records: records, reason: "\(error)")
            throw error
        }
        let results = await deployAll(spec, deployment: deployment, records: records)
        let replicas = results.compactMap { try? $0.get() }.sorted { $0.replica < $1.replica }
        let failures = results.compactMap { result -> ReplicaFailure? in
            guard case .failure(let failure) = result else { return nil }
            return failure
        }.sorted { $0.replica < $1.replica }
        if failures.isEmpty {
            CrashPoint.reached(.afterDeploy, environment: environment)
            try await store.transition(deployment.id, to: .healthy, reason: "\(replicas.count) replica\(replicas.count == 1 ? "" : "s") healthy")
            return UpOutcome(deploymentID: deployment.id, name: spec.name, state: .healthy, replicas: replicas, failures: [])
        }
        try await fail(deployment, records: records, reason: failures.map { "replica \($0.replica) on \($0.host ?? "?"): \($0.message)" }.joined(separator: "; "))
        return UpOutcome(deploymentID: deployment.id, name: spec.name, state: .failed, replicas: replicas, failures: failures)
    }

    /// One host per replica, claimed and recorded; a host another controller claimed first is
    /// skipped for the next that fits.
    private func claim(_ spec: ServiceSpec, deployment: Deployment) async throws -> [InstanceRecord] {
        let offers = try await hosts.driver.offers(for: spec.resources)
        let owner = try await store.ownerID()
        var records: [InstanceRecord] = []
        for offer in offers where records.count < spec.replicas {
            let replica = records.count
            let request = InstanceRequest(
                requestID: "\(deployment.id)-\(replica)", name: "\(spec.name)-\(replica)", region: offer.region, instanceType: offer.instanceType,
                diskGB: spec.resources.diskGB, tags: ResourceTags(deployment: deployment.id, owner: owner, expires: deployment.expiresAt))
            let instance: Instance
            do {
                instance = try await hosts.driver.create(request)
            } catch let error as ProviderError {
                // Taken by another controller since the offers were listed: try the next host.
                guard case .noCapacity = error.kind else { throw error }
                continue
            }
            records.append(try await store.recordInstance(InstanceRecord(
                deploymentID: deployment.id, provider: instance.provider, region: instance.region, providerInstanceID: instance.id,
                address: instance.publicAddress, sshPort: instance.sshPort, sshUser: instance.sshUser, replica: replica,
                expiresAt: deployment.expiresAt)))
            CrashPoint.reached(.afterCreate, environment: environment)
        }
        guard records.count == spec.replicas else {
            throw ProviderError(
                .noCapacity(.provider), provider: hosts.driver.provider, operation: "claim",
                message: "\(spec.name) needs \(spec.replicas) free host\(spec.replicas == 1 ? "" : "s") that fit; \(records.count) could be claimed")
        }
        return records
    }

    private func deployAll(_ spec: ServiceSpec, deployment: Deployment, records: [InstanceRecord]) async -> [Result<DeployedReplica, ReplicaFailure>] {
        await withTaskGroup(of: Result<DeployedReplica, ReplicaFailure>.self) { group in
            var pending = records.makeIterator()
            var results: [Result<DeployedReplica, ReplicaFailure>] = []
            for _ in 0..<concurrency {
                guard let record = pending.next() else { break }
                group.addTask { await deployReplica(spec, deployment: deployment, record: record) }
            }
            for await result in group {
                results.append(result)
                if let record = pending.next() { group.addTask { await deployReplica(spec, deployment: deployment, record: record) } }
            }
            return results
        }
    }

    private func deployReplica(_ spec: ServiceSpec, deployment: Deployment, record: InstanceRecord) async -> Result<DeployedReplica, ReplicaFailure> {
        let replica = record.replica ?? 0
        var hostName: String?
        do {
            let access = try await hosts.access(for: record)
            hostName = access.name
            // Your own machine: the switch stops the workload, never the machine.
            let deployed = try await ReplicaDeployment(store: store, deployer: deployer, environment: environment).deploy(
                spec, deployment: deployment, record: record, on: access, switchAction: .stopWorkload
            ) { [store] reason in _ = try? await store.appendEvent(deployment.id, .error, reason) }
            try await store.appendEvent(deployment.id, .note, "replica \(replica) healthy on \(access.name)\(deployed.url.map { " at \($0)" } ?? "")")
            return .success(deployed)
        } catch {
            let coded = error as? any CodedError
            return .failure(ReplicaFailure(replica: replica, host: hostName, code: coded?.code ?? .internal, message: coded?.message ?? "\(error)"))
        }
    }

    /// Removes what the deployment started, releases its hosts, and marks it failed.
    private func fail(_ deployment: Deployment, records: [InstanceRecord], reason: String) async throws {
        _ = try? await store.appendEvent(deployment.id, .error, reason)
        // As the store has them now: with the runtime each replica was given.
        let current = (try? await store.instances(deploymentID: deployment.id)) ?? records
        await teardown(deployment, records: current.filter { $0.state != .terminated })
        try await store.transition(deployment.id, to: .failed, reason: "up failed")
    }

    /// Brings a deployment down: each replica's workload removed, its host released, its
    /// instance marked terminated. Already gone is success.
    public func down(_ deployment: Deployment) async throws {
        try await store.withLease(deployment.id, holder: holder) { [self] _ in try await drain(deployment) }
    }

    private func drain(_ deployment: Deployment) async throws {
        if deployment.state != .draining { try await store.transition(deployment.id, to: .draining, reason: "down") }
        let records = try await store.instances(deploymentID: deployment.id).filter { $0.state != .terminated }
        let leftovers = await teardown(deployment, records: records)
        guard leftovers.isEmpty else {
            throw ExecutionError(.unreachable, target: leftovers.joined(separator: ", "), message: "could not remove the workload on \(leftovers.joined(separator: ", ")); the deployment stays draining: run down again")
        }
        try await store.transition(deployment.id, to: .terminated, reason: "down")
    }

    /// Removes the workloads of the deployment's live replicas and releases their hosts; returns
    /// the records whose workload could not be removed (those keep their claim).
    func release(_ deployment: Deployment) async -> [InstanceRecord] {
        let live = ((try? await store.instances(deploymentID: deployment.id)) ?? []).filter(\.holdsSomething)
        let leftovers = Set(await teardown(deployment, records: live))
        return live.filter { leftovers.contains($0.providerInstanceID) }
    }

    /// Returns the hosts whose workload could not be removed (those keep their claim).
    @discardableResult
    private func teardown(_ deployment: Deployment, records: [InstanceRecord]) async -> [String] {
        await withTaskGroup(of: String?.self) { group in
            for record in records {
                group.addTask {
                    do {
                        if let kind = record.runtime {
                            let access = try await hosts.access(for: record)
                            try await access.closing {
                                try await RuntimeProbe.make(kind, on: access.executor)
                                    .remove(Workload.handle(deploymentID: deployment.id, replica: record.replica ?? 0))
                            }
                        }
                        try await store.updateInstance(record.id, InstanceUpdate(state: .terminating))
                        try await hosts.driver.terminate([record.providerInstanceID])
                        try await store.updateInstance(record.id, InstanceUpdate(state: .terminated))
                        return nil
                    } catch {
                        _ = try? await store.appendEvent(deployment.id, .error, "removing replica \(record.replica ?? 0) from \(record.providerInstanceID): \(error)")
                        return record.providerInstanceID
                    }
                }
            }
            var leftovers: [String] = []
            for await leftover in group { if let leftover { leftovers.append(leftover) } }
            return leftovers.sorted()
        }
    }
}
