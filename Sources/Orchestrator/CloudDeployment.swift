import Catalog
import DeploymentStore
import Foundation
import RemoteExecution
import RemoteProvidersCore
import Workloads

/// A driver for a provider and region (`nil`: the provider's default region), made once and
/// reused (drivers remember what they looked up: images, keys, firewalls).
public typealias DriverSource = @Sendable (ProviderID, String?) async throws -> any CloudDriver

/// `up` and `down` on the clouds: plan → provision → deploy → healthy, with failover.
///
/// The intent is recorded and the lease taken before anything is bought; every instance is
/// recorded the moment its id is known. A capacity or quota error blocks the scope it names,
/// what the attempt made is terminated (and that verified), and the next offer is tried. Any other
/// failure terminates everything the deployment made and leaves it `failed` with the cause.
public struct CloudDeployment: Sendable {
    public struct Options: Sendable {
        public var runningWait: Duration = .seconds(600)
        public var sshWait: Duration = .seconds(300)
        public var verifyTermination: Duration = .seconds(600)
        public var maxAttempts = 10
        public var lease: LeaseTerms = .standard

        public init() {}
    }

    let store: any DeploymentStore
    let drivers: DriverSource
    let planner: Planner
    let deployer: ServiceDeployer
    let identity: SSHIdentity
    let publicKey: String
    let environment: Environment
    let options: Options
    let progress: @Sendable (String) -> Void
    let holder: String

    /// For `down` alone, which buys nothing and so needs no plan.
    public init(
        store: any DeploymentStore, drivers: @escaping DriverSource, key: SSHKeyPair, environment: Environment, options: Options = Options(),
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(
            store: store, drivers: drivers, planner: Planner(optimizer: Optimizer(offers: [])) { _ in nil }, key: key, environment: environment,
            options: options, progress: progress)
    }

    public init(
        store: any DeploymentStore, drivers: @escaping DriverSource, planner: Planner, key: SSHKeyPair, environment: Environment,
        options: Options = Options(), deployer: ServiceDeployer = ServiceDeployer(installRuntime: true),
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.store = store
        self.drivers = drivers
        self.planner = planner
        self.deployer = deployer
        identity = SSHIdentity(key)
        publicKey = key.authorizedKey
        self.environment = environment
        self.options = options
        self.progress = progress
        holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    public func up(_ spec: ServiceSpec, ttl: TimeSpan?) async throws -> UpOutcome {
        // Secrets and the SSH override are read before anything is recorded: a missing one costs nothing.
        _ = try Workload(spec: spec, deploymentID: "dcheck", replica: 0, environment: environment)
        let access = try InstanceAccess(store: store, identity: identity, environment: environment, waitFor: options.sshWait)
        let expires = ttl.map { Date().addingTimeInterval(TimeInterval($0.seconds)) }
        let deployment = try await store.createDeployment(NewDeployment(name: spec.name, spec: spec, expiresAt: expires, pricePerHour: 0))
        CrashPoint.reached(.afterIntent, environment: environment)
        let timeline = Timeline(store: store, deploymentID: deployment.id, progress: progress)
        return try await store.withLease(deployment.id, holder: holder, terms: options.lease) { [self] _ in
            do {
                return try await run(spec, deployment: deployment, ttl: ttl, access: access, timeline: timeline)
            } catch {
                // Cancellation surfaces as whatever the call it hit made of it (a store error, a transport one).
                let interrupted = Task.isCancelled || error is CancellationError
                await abandon(deployment, reason: interrupted ? "interrupted" : "\(error)", timeline: timeline)
                throw interrupted ? CancellationError() : error
            }
        }
    }

    private func run(_ spec: ServiceSpec, deployment: Deployment, ttl: TimeSpan?, access: InstanceAccess, timeline: Timeline) async throws -> UpOutcome {
        let owner = try await store.ownerID()
        let provisioner = Provisioner(store: store, cleanup: cleanup, environment: environment, runningWait: options.runningWait)
        var blocked = ContainerReplica.unsuitable(for: spec)
        var tried: [String] = []
        var attempt = 0
        var made: (candidate: Candidate, records: [InstanceRecord])?
        while made == nil {
            attempt += 1
            let plan = planner.plan(spec.resources, replicas: spec.replicas, ttl: ttl, blocked: blocked, fallbacks: 0)
            guard let candidate = plan.chosen, attempt <= options.maxAttempts else {
                let why = attempt > options.maxAttempts ? "gave up after \(options.maxAttempts) attempts" : plan.explanation ?? "no offer fits"
                throw ProviderError(
                    .noCapacity(.provider), operation: "up",
                    message: "no offer left to try for \(spec.name): \(why)" + (tried.isEmpty ? "" : "; tried: \(tried.joined(separator: "; "))"))
            }
            if attempt == 1 {
                try await timeline.transition(to: .provisioning, reason: "buying \(spec.replicas) instance\(spec.replicas == 1 ? "" : "s")")
            }
            let offer = candidate.offer
            let name = "\(offer.provider) \(offer.zone ?? offer.region) \(offer.instanceType) \(candidate.market.rawValue) $\(String(format: "%.4f", candidate.pricePerHour))/h"
            await timeline.record(.attempt, "attempt \(attempt): \(name)")
            do {
                let driver = try await drivers(offer.provider, offer.region)
                let records = try await provisioner.provision(
                    candidate, attempt: attempt, spec: spec, deployment: deployment, owner: owner, publicKey: publicKey, driver: driver,
                    timeline: timeline)
                made = (candidate, records)
            } catch let error as ProviderError where error.isCapacity {
                let scope = BlockedScope(failure: error, offer: offer)
                blocked.insert(scope)
                tried.append("\(name): \(error.message)")
                await timeline.record(.fallback, "\(error.description); not trying \(scope) again, next offer")
            }
        }
        guard let (candidate, records) = made else { throw CancellationError() }
        try await store.setPrice(deployment.id, candidate.pricePerHour * Double(spec.replicas))
        try await timeline.transition(to: .deploying, reason: "deploying \(spec.name) on \(records.count) instance\(records.count == 1 ? "" : "s")")
        let results = await withTaskGroup(of: Result<DeployedReplica, ReplicaFailure>.self) { group in
            for record in records {
                group.addTask { await deploy(spec, deployment: deployment, record: record, access: access, timeline: timeline) }
            }
            var all: [Result<DeployedReplica, ReplicaFailure>] = []
            for await result in group { all.append(result) }
            return all
        }
        let replicas = results.compactMap { try? $0.get() }.sorted { $0.replica < $1.replica }
        let failures = results.compactMap { result -> ReplicaFailure? in
            if case .failure(let failure) = result { return failure }
            return nil
        }.sorted { $0.replica < $1.replica }
        // Interrupted while deploying: the caller's catch terminates everything, as for any interruption.
        try Task.checkCancellation()
        guard failures.isEmpty else {
            let reason = failures.map { "replica \($0.replica): \($0.message)" }.joined(separator: "; ")
            await abandon(deployment, reason: reason, timeline: timeline)
            return UpOutcome(deploymentID: deployment.id, name: spec.name, state: .failed, replicas: replicas, failures: failures)
        }
        CrashPoint.reached(.afterDeploy, environment: environment)
        try await timeline.transition(to: .healthy, reason: "\(replicas.count) replica\(replicas.count == 1 ? "" : "s") healthy")
        return UpOutcome(deploymentID: deployment.id, name: spec.name, state: .healthy, replicas: replicas, failures: [])
    }

    private func deploy(
        _ spec: ServiceSpec, deployment: Deployment, record: InstanceRecord, access: InstanceAccess, timeline: Timeline
    ) async -> Result<DeployedReplica, ReplicaFailure> {
        let replica = record.replica ?? 0
        do {
            let driver = try await drivers(record.provider, record.region)
            if driver is any ContainerHosting {
                let deployed = try await ContainerReplica(prober: deployer.prober, access: access, settle: deployer.settle).prove(
                    spec, record: record, driver: driver)
                await timeline.record(.note, "replica \(replica) healthy in \(record.provider) container \(record.providerInstanceID)\(deployed.url.map { " at \($0)" } ?? "")")
                return .success(deployed)
            }
            let host = try await access.access(for: record)
            let deployed = try await ReplicaDeployment(store: store, deployer: deployer, environment: environment).deploy(
                spec, deployment: deployment, record: record, on: host, switchAction: .stopWorkloadAndPowerOff
            ) { reason in await timeline.record(.error, reason) }
            await timeline.record(.note, "replica \(replica) healthy on \(record.providerInstanceID)\(deployed.url.map { " at \($0)" } ?? "")")
            return .success(deployed)
        } catch {
            let coded = error as? any CodedError
            await timeline.record(.error, "replica \(replica) on \(record.providerInstanceID): \(coded?.message ?? "\(error)")")
            return .failure(ReplicaFailure(replica: replica, host: record.providerInstanceID, code: coded?.code ?? .internal, message: coded?.message ?? "\(error)"))
        }
    }

    var cleanup: Cleanup { Cleanup(store: store, verifyFor: options.verifyTermination) }

    /// Terminates everything the deployment still has and marks it failed with `reason`; runs to
    /// the end even when `up` was cancelled (interrupted).
    private func abandon(_ deployment: Deployment, reason: String, timeline: Timeline) async {
        await Task { await abandonNow(deployment, reason: reason, timeline: timeline) }.value
    }

    private func abandonNow(_ deployment: Deployment, reason: String, timeline: Timeline) async {
        await timeline.record(.error, reason)
        _ = await cleanup.release(deployment.id, drivers: drivers, timeline: timeline)
        if let current = try? await store.deployment(id: deployment.id), current.state.canMove(to: .failed) {
            try? await timeline.transition(to: .failed, reason: Self.brief(reason))
        }
    }

    /// Brings a deployment down: its instances terminated (verified), then `terminated`. What
    /// cannot be proven gone leaves it `draining`: run it again, or let `gc` finish.
    public func down(_ deployment: Deployment) async throws {
        try await store.withLease(deployment.id, holder: holder, terms: options.lease) { [self] _ in
            let timeline = Timeline(store: store, deploymentID: deployment.id, progress: progress)
            if deployment.state != .draining { try await timeline.transition(to: .draining, reason: "down") }
            let leftovers = await cleanup.release(deployment.id, drivers: drivers, timeline: timeline)
            guard leftovers.isEmpty else {
                throw ProviderError(
                    .timeout, operation: "down",
                    message: "\(leftovers.map(\.providerInstanceID).joined(separator: ", ")) not proven terminated; \(deployment.name) stays draining: run down again")
            }
            try await timeline.transition(to: .terminated, reason: "down")
        }
    }

    static func brief(_ reason: String) -> String {
        reason.count > 500 ? String(reason.prefix(500)) + "…" : reason
    }
}
