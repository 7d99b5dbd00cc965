import DeploymentStore
import Foundation
import RemoteProvidersCore

/// `gc`: finishes what dead controllers left and what outlived its TTL, then holds the providers'
/// view against the store's.
///
/// Sweep: a deployment whose controller stopped renewing its lease mid-`up` is cleaned up and
/// marked failed; one past its expiry is drained and terminated; a failed or draining one that
/// still holds instances has them terminated. Each is done holding the deployment's lease, so
/// `up`, `down` and other `gc`s never work on it at the same time.
///
/// Reconcile: every given provider and region is listed by this store's owner tag at once. An
/// instance the store does not know (or whose deployment ended) is recorded, claimed and
/// terminated — the claim is one store transaction, so two `gc`s never terminate it both; a
/// recorded instance the provider no longer has is marked lost. Instances with another owner id
/// are never touched.
public struct GarbageCollector: Sendable {
    public struct Options: Sendable {
        /// A lease not renewed for this long counts as expired.
        public var staleAfter: Duration = .seconds(60)
        /// Report what would be done, do nothing.
        public var dryRun = false
        /// A recorded instance missing from the provider's list is marked lost only when it is at
        /// least this old (a fresh one may not be listed yet).
        public var lostAfter: Duration = .seconds(120)
        public var verifyTermination: Duration = .seconds(600)
        /// Deployments settled at once.
        public var concurrency = 8
        public var holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):gc"

        public init() {}
    }

    /// A provider and region to list; `nil` region: the provider's default.
    public struct Place: Sendable, Hashable, CustomStringConvertible {
        public var provider: ProviderID
        public var region: String?

        public init(_ provider: ProviderID, _ region: String?) {
            self.provider = provider
            self.region = region
        }

        public var description: String { "\(provider) \(region ?? "(default region)")" }
    }

    let store: any DeploymentStore
    let drivers: DriverSource
    let pools: @Sendable (ProviderID) async throws -> PoolDeployment
    let places: [Place]
    let options: Options
    let progress: @Sendable (String) -> Void

    /// `places` are listed in addition to every provider and region the store has instances in.
    public init(
        store: any DeploymentStore, drivers: @escaping DriverSource, pools: @escaping @Sendable (ProviderID) async throws -> PoolDeployment,
        places: [Place] = [], options: Options = Options(), progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.store = store
        self.drivers = drivers
        self.pools = pools
        self.places = places
        self.options = options
        self.progress = progress
    }

    var cleanup: Cleanup { Cleanup(store: store, verifyFor: options.verifyTermination) }

    public func run() async throws -> GCReport {
        let now = Date()
        var actions = try await sweep(now: now)
        actions += try await reconcile(now: now)
        return GCReport(dryRun: options.dryRun, actions: actions)
    }

    // MARK: Sweep

    private func sweep(now: Date) async throws -> [GCAction] {
        let deployments = try await store.deploymentSummaries(in: Set(DeploymentState.allCases).subtracting([.terminated]))
        let held = Dictionary(grouping: try await store.instances(deploymentID: nil).filter(\.holdsSomething), by: { $0.deploymentID ?? "" })
        let due = deployments.compactMap { summary in
            Self.due(summary, holds: !(held[summary.id] ?? []).isEmpty, now: now).map { (summary, $0) }
        }
        return await withTaskGroup(of: GCAction?.self) { group in
            var pending = due.makeIterator()
            var actions: [GCAction] = []
            for _ in 0..<max(options.concurrency, 1) {
                guard let (summary, work) = pending.next() else { break }
                group.addTask { await settle(summary, work, now: now) }
            }
            for await action in group {
                if let action { actions.append(action) }
                if let (summary, work) = pending.next() { group.addTask { await settle(summary, work, now: now) } }
            }
            return actions.sorted { ($0.deploymentID ?? "") < ($1.deploymentID ?? "") }
        }
    }

    /// What a deployment needs from `gc`, if anything (whether its lease allows it is asked later).
    static func due(_ deployment: DeploymentSummary, holds: Bool, now: Date) -> GCAction.Kind? {
        switch deployment.state {
        case .planned, .provisioning, .deploying: return .recovered
        case .terminated: return nil
        case .healthy: return deployment.expiresAt.map { $0 <= now } == true ? .expired : nil
        case .draining: return deployment.expiresAt.map { $0 <= now } == true ? .expired : .finished
        case .failed: return holds ? .finished : nil
        }
    }

    private func settle(_ summary: DeploymentSummary, _ work: GCAction.Kind, now: Date) async -> GCAction? {
        let base = GCAction(kind: work, deploymentID: summary.id, name: summary.name, detail: "")
        do {
            if let busy = try await busy(summary, now: now) {
                // An in-flight deployment whose controller is alive is simply at work: nothing to say.
                return work == .recovered ? nil : base.with(kind: .busy, detail: busy, done: false)
            }
            if options.dryRun { return base.with(detail: "would: " + Self.intent(work, state: summary.state, expiresAt: summary.expiresAt), done: false) }
            return try await store.withLease(summary.id, holder: options.holder, staleAfter: options.staleAfter) { [self] _ in
                try await settleHoldingLease(summary.id, work, base: base)
            }
        } catch let error as StoreError {
            if case .leaseHeld(_, let holder, _) = error { return work == .recovered ? nil : base.with(kind: .busy, detail: "held by \(holder)", done: false) }
            return base.with(kind: .error, detail: error.message, done: false)
        } catch {
            return base.with(kind: .error, detail: (error as? any CodedError)?.message ?? "\(error)", done: false)
        }
    }

    /// Why the deployment must be left alone now: its lease is live, or (without one) it was
    /// touched too recently for its controller to be presumed dead.
    private func busy(_ summary: DeploymentSummary, now: Date) async throws -> String? {
        if let lease = try await store.lease(summary.id) {
            return lease.lapse(at: now, staleAfter: options.staleAfter) == nil ? "held by \(lease.holder) until \(Timestamp.format(lease.expiresAt))" : nil
        }
        let inFlight: Set<DeploymentState> = [.planned, .provisioning, .deploying]
        if inFlight.contains(summary.state), summary.updatedAt.addingTimeInterval(options.staleAfter.timeInterval) > now {
            return "started at \(Timestamp.format(summary.updatedAt)), not yet stale"
        }
        return nil
    }

    private func settleHoldingLease(_ id: String, _ work: GCAction.Kind, base: GCAction) async throws -> GCAction? {
        // As it is now: another controller may have finished it since the list was read.
        guard let deployment = try await store.deployment(id: id), deployment.state != .terminated else { return nil }
        let timeline = Timeline(store: store, deploymentID: id, progress: { line in progress("\(deployment.name) (\(id)) \(line)") })
        let records = try await store.instances(deploymentID: id).filter(\.holdsSomething)
        if deployment.state == .failed && records.isEmpty { return nil }
        var reason = Self.intent(work, state: deployment.state, expiresAt: deployment.expiresAt)
        switch work {
        case .recovered:
            let lease = try await store.events(deploymentID: id).last(where: { $0.kind == .lease })
            reason = "interrupted: its controller stopped\(lease.map { " (\($0.message))" } ?? ""); gc cleaned up"
            await timeline.record(.error, reason)
        case .expired where deployment.state.canMove(to: .draining) && deployment.state != .failed:
            try await timeline.transition(to: .draining, reason: reason)
        default:
            await timeline.record(.note, "gc: \(reason)")
        }
        let leftovers = await release(deployment, records: records, timeline: timeline)
        let now = try await store.deployment(id: id)?.state ?? deployment.state
        if work == .recovered, now.canMove(to: .failed) {
            try await timeline.transition(to: .failed, reason: CloudDeployment.brief(reason))
        } else if now == .draining, leftovers.isEmpty {
            try await timeline.transition(to: .terminated, reason: work == .expired ? "ttl expired" : "gc finished the cleanup")
        }
        let ids = records.map(\.providerInstanceID)
        guard leftovers.isEmpty else {
            return base.with(
                kind: .error, instances: ids,
                detail: "\(reason); not proven gone: \(leftovers.map(\.providerInstanceID).joined(separator: ", ")) (stays recorded for the next gc)", done: false)
        }
        return base.with(instances: ids, detail: reason)
    }

    /// What the deployment's instances are released with: terminated on a cloud, the workload
    /// removed and the host released on your own hosts.
    private func release(_ deployment: Deployment, records: [InstanceRecord], timeline: Timeline) async -> [InstanceRecord] {
        guard let provider = records.first?.provider else { return [] }
        guard provider.isPool else { return await cleanup.release(deployment.id, drivers: drivers, timeline: timeline) }
        do {
            return try await pools(provider).release(deployment)
        } catch {
            await timeline.record(.error, "cannot reach the \(provider) hosts: \((error as? any CodedError)?.message ?? "\(error)")")
            return records
        }
    }

    static func intent(_ work: GCAction.Kind, state: DeploymentState, expiresAt: Date?) -> String {
        switch work {
        case .recovered: "interrupted in \(state.rawValue): cleaning up what its controller made"
        case .expired: "ttl expired at \(expiresAt.map(Timestamp.format) ?? "?")"
        case .finished: "terminating what the \(state.rawValue) deployment still holds"
        default: work.rawValue
        }
    }

    // MARK: Reconcile

    private func reconcile(now: Date) async throws -> [GCAction] {
        let owner = try await store.ownerID()
        let records = try await store.instances(deploymentID: nil)
        let recordedPlaces = records.filter { !$0.provider.isPool && $0.holdsSomething }.map { Place($0.provider, $0.region) }
        let all = Set(places.filter { !$0.provider.isPool } + recordedPlaces)
        let deployments = Dictionary(
            uniqueKeysWithValues: try await store.deploymentSummaries(in: []).map { ($0.id, $0) })
        return await withTaskGroup(of: [GCAction].self) { group in
            for place in all.sorted(by: { $0.description < $1.description }) {
                group.addTask {
                    // A default region is only listed for orphans: which records it covers is not known here.
                    let known = place.region.map { region in records.filter { $0.provider == place.provider && $0.region == region } } ?? []
                    return await reconcile(place, owner: owner, known: known, deployments: deployments, now: now)
                }
            }
            var actions: [GCAction] = []
            for await batch in group { actions += batch }
            return actions
        }
    }

    private func reconcile(_ place: Place, owner: String, known: [InstanceRecord], deployments: [String: DeploymentSummary], now: Date) async -> [GCAction] {
        let listed: [Instance]
        let driver: any CloudDriver
        do {
            driver = try await drivers(place.provider, place.region)
        } catch let error as ValidationError where place.region == nil {
            // No default region configured: nothing to list there, and nothing wrong with that.
            return [GCAction(kind: .skipped, provider: place.provider, detail: "not listed: \(error.message)", done: false)]
        } catch {
            return [GCAction(kind: .error, provider: place.provider, region: place.region, detail: "could not reach \(place): \((error as? any CodedError)?.message ?? "\(error)")", done: false)]
        }
        do {
            listed = try await driver.list(tag: ResourceTags.ownerKey, value: owner)
        } catch {
            return [GCAction(kind: .error, provider: place.provider, region: place.region, detail: "could not list \(place): \((error as? any CodedError)?.message ?? "\(error)")", done: false)]
        }
        // The owner tag is the filter; checked again here, so a provider that ignores it cannot widen what gc touches.
        let ours = listed.filter { $0.tags[ResourceTags.ownerKey] == owner && $0.status != .terminated && $0.status != .terminating }
        let byID = Dictionary(known.map { ($0.providerInstanceID, $0) }, uniquingKeysWith: { first, _ in first })
        var orphans: [(Instance, reason: String)] = []
        var retries: [InstanceRecord] = []
        for instance in ours {
            let deploymentID = instance.tags[ResourceTags.deploymentKey]
            let deployment = deploymentID.flatMap { deployments[$0] }
            if let record = byID[instance.id] {
                if record.state == .terminating, record.deploymentID == nil,
                    record.createdAt.addingTimeInterval((options.verifyTermination + options.staleAfter).timeInterval) <= now
                {
                    // An orphan an earlier gc claimed and did not finish (it died): long past any live gc's verify.
                    retries.append(record)
                    continue
                }
                guard record.state == .active else { continue }
                if record.deploymentID == nil {
                    // Made by `instance create`: it answers to its own expiry.
                    if let expires = record.expiresAt, expires <= now { orphans.append((instance, "ttl expired at \(Timestamp.format(expires))")) }
                } else if let owning = record.deploymentID, deployments[owning].map({ $0.state == .terminated }) ?? true {
                    // Otherwise the sweep settles it, unless its deployment ended while it lives on.
                    orphans.append((instance, "its deployment \(owning) is terminated"))
                }
                continue
            }
            if let deployment, deployment.state != .terminated, deployment.state != .failed {
                // Its controller may be between create and record: leave it while that controller is
                // alive (or when that cannot be told).
                let alive: Bool
                do { alive = try await busy(deployment, now: now) != nil } catch { alive = true }
                if alive { continue }
            }
            orphans.append((instance, deployment == nil ? "unknown to this store" : "not recorded by deployment \(deployment?.id ?? "?")"))
        }
        var actions = await terminateOrphans(orphans, retries: retries, place: place, driver: driver)
        let listedIDs = Set(ours.map(\.id))
        let missing = known.filter {
            $0.state == .active && !listedIDs.contains($0.providerInstanceID)
                && $0.createdAt.addingTimeInterval(options.lostAfter.timeInterval) <= now
        }
        actions += await markLost(missing, place: place, driver: driver)
        return actions
    }

    private func terminateOrphans(
        _ orphans: [(Instance, reason: String)], retries: [InstanceRecord], place: Place, driver: any CloudDriver
    ) async -> [GCAction] {
        guard !orphans.isEmpty || !retries.isEmpty else { return [] }
        if options.dryRun {
            return orphans.map { instance, reason in
                GCAction(
                    kind: .orphan, deploymentID: instance.tags[ResourceTags.deploymentKey], provider: place.provider, region: instance.region,
                    instances: [instance.id], detail: "would terminate: \(reason)", done: false)
            } + retries.map { record in
                GCAction(
                    kind: .orphan, provider: place.provider, region: record.region, instances: [record.providerInstanceID],
                    detail: "would terminate again: an earlier gc did not finish", done: false)
            }
        }
        var claimed = retries
        var reasons = Dictionary(retries.map { ($0.providerInstanceID, "an earlier gc did not finish terminating it") }, uniquingKeysWith: { a, _ in a })
        var actions: [GCAction] = []
        for (instance, reason) in orphans {
            do {
                // Recorded without a deployment, so no deployment's cleanup ever counts it as its own;
                // the deployment it names hears of it on its timeline.
                let record = try await store.recordInstance(InstanceRecord(
                    deploymentID: nil, provider: place.provider, region: instance.region, providerInstanceID: instance.id,
                    address: instance.publicAddress, sshPort: instance.sshPort, sshUser: instance.sshUser, expiresAt: nil))
                // Exactly one controller wins this; the others see it terminating and leave it.
                guard let mine = try await store.claimInstance(record.id, from: .active, to: .terminating) else { continue }
                claimed.append(mine)
                reasons[mine.providerInstanceID] = reason
                if let named = instance.tags[ResourceTags.deploymentKey] {
                    _ = try? await store.appendEvent(named, .note, "gc terminates \(instance.id), carrying this deployment's tag: \(reason)")
                }
            } catch {
                actions.append(GCAction(
                    kind: .error, provider: place.provider, region: instance.region, instances: [instance.id],
                    detail: "could not record orphan: \((error as? any CodedError)?.message ?? "\(error)")", done: false))
            }
        }
        guard !claimed.isEmpty else { return actions }
        let timeline = Timeline(store: store, deploymentID: nil, progress: { line in progress("\(place) \(line)") })
        let leftovers = Set(await cleanup.terminate(claimed, driver: driver, timeline: timeline).map(\.id))
        for record in claimed {
            let failed = leftovers.contains(record.id)
            actions.append(GCAction(
                kind: failed ? .error : .orphan, deploymentID: record.deploymentID, provider: place.provider, region: record.region,
                instances: [record.providerInstanceID],
                detail: (reasons[record.providerInstanceID] ?? "orphan") + (failed ? "; not proven terminated" : ""), done: !failed))
        }
        return actions
    }

    /// Records the provider no longer lists are asked for by id (a list misses an instance whose
    /// tags were edited away, which the store is right about).
    private func markLost(_ missing: [InstanceRecord], place: Place, driver: any CloudDriver) async -> [GCAction] {
        do {
            let changes = try await InstanceRefresh(store: store, drivers: drivers).refresh(missing, driver: driver, dryRun: options.dryRun)
            return changes.filter { $0.state != nil }.map { change in
                GCAction(
                    kind: .lost, deploymentID: change.deploymentID, provider: change.provider, region: change.region, instances: [change.instance],
                    detail: (options.dryRun ? "would mark " : "marked ") + "\(change.state?.rawValue ?? "?"): \(change.detail)", done: !options.dryRun)
            }
        } catch {
            return [GCAction(kind: .error, provider: place.provider, region: place.region, detail: "could not describe \(missing.count) instances: \((error as? any CodedError)?.message ?? "\(error)")", done: false)]
        }
    }
}

/// One thing `gc` did (or, with `--dry-run`, would do).
public struct GCAction: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// Past its TTL: drained and terminated.
        case expired
        /// Its controller died mid-`up`: what it made terminated, the deployment failed.
        case recovered
        /// A failed or draining deployment's leftovers terminated.
        case finished
        /// An instance with this store's owner id the store did not know, or whose deployment ended: terminated.
        case orphan
        /// A recorded instance the provider no longer has.
        case lost
        /// Another controller holds the deployment's lease: left alone.
        case busy
        /// A provider's default region that could not be listed because none is configured.
        case skipped
        case error
    }

    public var kind: Kind
    public var deploymentID: String?
    public var name: String?
    public var provider: ProviderID?
    public var region: String?
    public var instances: [String]
    public var detail: String
    /// False for `--dry-run` and for what could not be finished.
    public var done: Bool

    init(
        kind: Kind, deploymentID: String? = nil, name: String? = nil, provider: ProviderID? = nil, region: String? = nil, instances: [String] = [],
        detail: String, done: Bool = true
    ) {
        self.kind = kind
        self.deploymentID = deploymentID
        self.name = name
        self.provider = provider
        self.region = region
        self.instances = instances
        self.detail = detail
        self.done = done
    }

    func with(kind: Kind? = nil, instances: [String]? = nil, detail: String, done: Bool = true) -> GCAction {
        var copy = self
        copy.kind = kind ?? self.kind
        copy.instances = instances ?? self.instances
        copy.detail = detail
        copy.done = done
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case kind, name, provider, region, instances, detail, done
        case deploymentID = "deployment"
    }
}

public struct GCReport: Sendable, Codable {
    public var dryRun: Bool
    public var actions: [GCAction]

    public var failures: [GCAction] { actions.filter { $0.kind == .error } }

    enum CodingKeys: String, CodingKey {
        case actions
        case dryRun = "dry_run"
    }
}

extension InstanceRecord {
    /// Still (perhaps) costs money or occupies a host.
    var holdsSomething: Bool { state == .active || state == .terminating }
}
