import CloudDrivers
import DeploymentStore
import Foundation
import ProviderTransport
import RemoteProvidersCore
import TestSupport
import Testing

@testable import Orchestrator

/// `gc` against AWS as moto plays it (the orchestrator's moto, reached directly: the fault proxy
/// is CloudDeploymentTests' own). Every test has its own store, so its own owner id: what other
/// tests leave in moto carries other owner ids, and gc must leave it alone.
@Suite(.timeLimit(.minutes(5))) struct GarbageCollectorTests {
    static let region = "us-east-1"

    struct Rig {
        let session: CloudSession
        let transport: HTTPTransport

        func driver() async throws -> any CloudDriver { try await session.driver(.aws, GarbageCollectorTests.region) }

        /// An instance made straight on the provider with the tags `up` gives, as a dead controller leaves it.
        func launch(owner: String, deployment: String) async throws -> Instance {
            try await driver().create(InstanceRequest(
                requestID: "\(deployment)-\(UUID().uuidString.prefix(8))", name: "gc-test", region: GarbageCollectorTests.region,
                instanceType: "t3.micro", diskGB: 8, tags: ResourceTags(deployment: deployment, owner: owner, expires: nil)))
        }

        func status(_ id: String) async throws -> InstanceStatus? { try await driver().describe([id]).first?.status }

        func collector(
            _ store: any DeploymentStore, staleAfter: Duration, dryRun: Bool = false, holder: String = "gc-test:1",
            drivers: DriverSource? = nil
        ) -> GarbageCollector {
            var options = GarbageCollector.Options()
            options.staleAfter = staleAfter
            options.dryRun = dryRun
            options.lostAfter = .zero
            options.verifyTermination = .seconds(60)
            options.holder = holder
            return GarbageCollector(
                store: store, drivers: drivers ?? session.source,
                pools: { provider in throw ProviderError.unsupported("pool", provider: provider, reason: "no pools in this test") },
                places: [.init(.aws, GarbageCollectorTests.region)], options: options)
        }
    }

    func withRig(_ body: (Rig) async throws -> Void) async throws {
        guard let url = requiredService("BLUEPRINT_TEST_MOTO_ORCHESTRATOR_URL", "the orchestrator's moto") else { return }
        let transport = try HTTPTransport(configuration: TransportConfiguration(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20))))
        let environment = Environment([
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "gc-test", "HOME": "/nonexistent",
            "BLUEPRINT_REMOTE_ENDPOINT_AWS": url,
        ])
        let rig = Rig(session: CloudSession(environment: environment, transport: transport), transport: transport)
        do {
            try await body(rig)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
    }

    /// A deployment moved to `state` the way `up` moves it, with one recorded instance.
    static func deployment(
        _ store: any DeploymentStore, _ name: String, state: DeploymentState, expires: Date?, instance: Instance?
    ) async throws -> Deployment {
        var spec = ServiceSpec(name: name, image: nil, command: ["sleep", "1d"])
        spec.runtime = .native
        let made = try await store.createDeployment(NewDeployment(name: name, spec: spec, expiresAt: expires))
        let path: [DeploymentState] =
            switch state {
            case .planned: []
            case .provisioning: [.provisioning]
            case .deploying: [.provisioning, .deploying]
            case .healthy: [.provisioning, .deploying, .healthy]
            case .failed: [.provisioning, .failed]
            case .draining: [.provisioning, .deploying, .healthy, .draining]
            case .terminated: [.terminated]
            }
        for step in path { try await store.transition(made.id, to: step, reason: "test") }
        if let instance {
            try await store.recordInstance(InstanceRecord(
                deploymentID: made.id, provider: .aws, region: region, providerInstanceID: instance.id, replica: 0, expiresAt: expires))
        }
        return try #require(try await store.deployment(id: made.id))
    }

    @Test func gcSettlesEveryKindOfLeftoverAndLeavesEverythingElseAlone() async throws {
        try await withRig { rig in
            let folder = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
            let owner = try await store.ownerID()
            let stranger = try await rig.launch(owner: "someone-else-\(UUID().uuidString)", deployment: "d-theirs")

            // A controller died in provisioning: its lease lapsed.
            let deadVM = try await rig.launch(owner: owner, deployment: "pending")
            let dead = try await Self.deployment(store, "dead", state: .provisioning, expires: Date().addingTimeInterval(3600), instance: deadVM)
            _ = try await store.acquireLease(dead.id, holder: "crashed:1", duration: .milliseconds(1))
            // Past its TTL.
            let expiredVM = try await rig.launch(owner: owner, deployment: "pending")
            let expired = try await Self.deployment(store, "expired", state: .healthy, expires: Date().addingTimeInterval(-60), instance: expiredVM)
            // Healthy and in time: not gc's business.
            let liveVM = try await rig.launch(owner: owner, deployment: "pending")
            let live = try await Self.deployment(store, "live", state: .healthy, expires: Date().addingTimeInterval(3600), instance: liveVM)
            // Another controller is at work on it (its lease is fresh) and has not recorded its instance yet.
            let busy = try await Self.deployment(store, "busy", state: .provisioning, expires: Date().addingTimeInterval(3600), instance: nil)
            let busyLease = try await store.acquireLease(busy.id, holder: "alive:1", duration: .seconds(300))
            let busyVM = try await rig.launch(owner: owner, deployment: busy.id)
            // Carries this store's owner id, and no deployment the store knows.
            let orphanVM = try await rig.launch(owner: owner, deployment: "d-nobody-recorded")
            // Recorded, yet the provider has never heard of it.
            let vanished = try await Self.deployment(
                store, "vanished", state: .healthy, expires: Date().addingTimeInterval(3600),
                instance: Instance(id: "i-0123456789abcdef0", provider: .aws, region: Self.region, instanceType: "t3.micro", status: .running))

            let dry = try await rig.collector(store, staleAfter: .seconds(60), dryRun: true).run()
            #expect(dry.dryRun && dry.actions.allSatisfy { !$0.done })
            #expect(Set(dry.actions.map(\.kind)) == [.recovered, .expired, .orphan, .lost], "\(dry.actions)")
            for vm in [deadVM, expiredVM, liveVM, busyVM, orphanVM, stranger] {
                #expect(try await rig.status(vm.id) != .terminated, "a dry run changes nothing")
            }
            #expect(try await store.deployment(id: dead.id)?.state == .provisioning)

            let report = try await rig.collector(store, staleAfter: .seconds(60)).run()
            #expect(report.failures.isEmpty, "\(report.failures)")
            let byKind = Dictionary(grouping: report.actions, by: \.kind)
            #expect(byKind[.recovered]?.map(\.deploymentID) == [dead.id])
            #expect(byKind[.expired]?.map(\.deploymentID) == [expired.id])
            #expect(byKind[.orphan]?.flatMap(\.instances) == [orphanVM.id])
            #expect(byKind[.lost]?.flatMap(\.instances) == ["i-0123456789abcdef0"])
            #expect(byKind[.busy]?.map(\.deploymentID) == [busy.id] || byKind[.busy] == nil)

            for vm in [deadVM, expiredVM, orphanVM] { #expect(try await rig.status(vm.id) == .terminated) }
            for vm in [liveVM, busyVM, stranger] { #expect(try await rig.status(vm.id) == .running, "\(vm.id) is not gc's to touch") }
            #expect(try await store.deployment(id: dead.id)?.state == .failed)
            #expect(try await store.events(deploymentID: dead.id).contains { $0.kind == .error && $0.message.contains("interrupted") })
            #expect(try await store.deployment(id: expired.id)?.state == .terminated)
            #expect(try await store.deployment(id: live.id)?.state == .healthy)
            #expect(try await store.deployment(id: busy.id)?.state == .provisioning)
            #expect(try await store.lease(busy.id)?.token == busyLease.token, "a live lease is never taken")
            #expect(try await store.deployment(id: vanished.id)?.state == .failed)
            let records = try await store.instances(deploymentID: nil)
            #expect(records.first { $0.providerInstanceID == orphanVM.id }.map { ($0.state, $0.deploymentID) } ?? (.active, "") == (.terminated, nil))
            #expect(records.first { $0.providerInstanceID == "i-0123456789abcdef0" }?.state == .lost)
            #expect(!records.contains { $0.providerInstanceID == stranger.id || $0.providerInstanceID == busyVM.id })

            // Once the busy controller is gone (and its lease stale), what it made is cleaned up too.
            let again = try await rig.collector(store, staleAfter: .zero).run()
            #expect(again.failures.isEmpty, "\(again.failures)")
            #expect(try await rig.status(busyVM.id) == .terminated)
            #expect(try await store.deployment(id: busy.id)?.state == .failed)
            #expect(try await rig.status(liveVM.id) == .running)
            try await rig.driver().terminate([liveVM.id, stranger.id])
        }
    }

    @Test func aRefreshRecordsWhatTheProviderSaysNow() async throws {
        try await withRig { rig in
            let folder = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
            let owner = try await store.ownerID()
            let kept = try await rig.launch(owner: owner, deployment: "pending")
            let killed = try await rig.launch(owner: owner, deployment: "pending")
            let deployment = try await Self.deployment(store, "refreshed", state: .healthy, expires: nil, instance: kept)
            try await store.recordInstance(InstanceRecord(
                deploymentID: deployment.id, provider: .aws, region: Self.region, providerInstanceID: killed.id, replica: 1, expiresAt: nil))
            try await store.recordInstance(InstanceRecord(
                deploymentID: deployment.id, provider: .aws, region: Self.region, providerInstanceID: "i-0fedcba9876543210", replica: 2, expiresAt: nil))
            // Terminated behind the tool's back, as a user might in the console.
            try await rig.driver().terminate([killed.id])
            let refresh = InstanceRefresh(store: store, drivers: rig.session.source)

            let preview = try await refresh.refresh(try await store.instances(deploymentID: deployment.id), dryRun: true)
            #expect(preview.compactMap(\.state).sorted { $0.rawValue < $1.rawValue } == [.lost, .terminated], "\(preview)")
            #expect(try await store.instances(deploymentID: deployment.id).allSatisfy { $0.state == .active }, "a dry run records nothing")

            let changes = try await refresh.refresh(try await store.instances(deploymentID: deployment.id))
            let states = Dictionary(changes.compactMap { change in change.state.map { (change.instance, $0) } }, uniquingKeysWith: { a, _ in a })
            #expect(states == [killed.id: .terminated, "i-0fedcba9876543210": .lost], "\(changes)")
            let records = try await store.instances(deploymentID: deployment.id)
            #expect(records.first { $0.providerInstanceID == kept.id }?.state == .active)
            #expect(try await store.deployment(id: deployment.id)?.state == .healthy, "one replica still runs")
            // The last one goes too: the deployment is no longer healthy.
            try await rig.driver().terminate([kept.id])
            _ = try await refresh.refresh(try await store.instances(deploymentID: deployment.id))
            #expect(try await store.deployment(id: deployment.id)?.state == .failed)
        }
    }

    @Test func twoControllersRacingGCOnPostgresTerminateEachInstanceOnceAndLoseNoRecord() async throws {
        guard let base = requiredService("BLUEPRINT_TEST_POSTGRES_URL", "PostgreSQL") else { return }
        try await withRig { rig in
            let location = try await PostgresTestDatabase.create(base: base)
            try await PostgresStore.withStore(location) { first in
                try await PostgresStore.withStore(location) { second in
                    let owner = try await first.ownerID()
                    var made: [String] = []
                    for index in 0..<4 {
                        made.append(try await rig.launch(owner: owner, deployment: "d-orphan-\(index)").id)
                    }
                    for index in 0..<3 {
                        let vm = try await rig.launch(owner: owner, deployment: "pending")
                        let dead = try await Self.deployment(first, "dead-\(index)", state: .deploying, expires: nil, instance: vm)
                        _ = try await first.acquireLease(dead.id, holder: "crashed:\(index)", duration: .milliseconds(1))
                        made.append(vm.id)
                    }
                    for index in 0..<3 {
                        let vm = try await rig.launch(owner: owner, deployment: "pending")
                        _ = try await Self.deployment(first, "expired-\(index)", state: .healthy, expires: Date().addingTimeInterval(-1), instance: vm)
                        made.append(vm.id)
                    }
                    for index in 0..<2 {
                        let vm = try await rig.launch(owner: owner, deployment: "pending")
                        _ = try await Self.deployment(first, "failed-\(index)", state: .failed, expires: nil, instance: vm)
                        made.append(vm.id)
                    }
                    let counter = TerminationCounter()
                    let counted: DriverSource = { provider, region in
                        CountingDriver(base: try await rig.session.driver(provider, region), counter: counter)
                    }
                    let reports = try await withThrowingTaskGroup(of: GCReport.self) { group in
                        for (index, store) in [first, second].enumerated() {
                            group.addTask {
                                // The default staleAfter: the crashed controllers' leases lapsed, the racing gcs' own stay live.
                                try await rig.collector(store, staleAfter: .seconds(60), holder: "controller-\(index):1", drivers: counted).run()
                            }
                        }
                        var all: [GCReport] = []
                        for try await report in group { all.append(report) }
                        return all
                    }
                    #expect(reports.allSatisfy { $0.failures.isEmpty }, "\(reports.flatMap(\.failures))")
                    let counts = await counter.counts
                    #expect(made.allSatisfy { counts[$0] == 1 }, "terminate calls per instance: \(counts)")
                    #expect(Set(counts.keys) == Set(made))
                    for id in made { #expect(try await rig.status(id) == .terminated) }

                    let records = try await first.instances(deploymentID: nil)
                    #expect(Set(records.map(\.providerInstanceID)) == Set(made) && records.count == made.count, "each instance recorded exactly once")
                    #expect(records.allSatisfy { $0.state == .terminated })
                    let states = try await first.deploymentSummaries(in: []).map(\.state)
                    #expect(states.count == 8 && states.allSatisfy { $0 == .failed || $0 == .terminated })
                    // Nothing left for a third pass.
                    #expect(try await rig.collector(second, staleAfter: .seconds(60), drivers: counted).run().actions.isEmpty)
                }
            }
            try await PostgresTestDatabase.drop(location, base: base)
        }
    }
}

/// Counts the ids each `terminate` call names: observation only, every call goes to the real driver.
actor TerminationCounter {
    var counts: [String: Int] = [:]

    func add(_ ids: [String]) {
        for id in ids { counts[id, default: 0] += 1 }
    }
}

struct CountingDriver: CloudDriver {
    let base: any CloudDriver
    let counter: TerminationCounter

    var provider: ProviderID { base.provider }
    func checkCredentials() async throws -> String { try await base.checkCredentials() }
    func create(_ request: InstanceRequest) async throws -> Instance { try await base.create(request) }
    func describe(_ ids: [String]) async throws -> [Instance] { try await base.describe(ids) }
    func list(tag key: String, value: String) async throws -> [Instance] { try await base.list(tag: key, value: value) }
    func terminate(_ ids: [String]) async throws {
        await counter.add(ids)
        try await base.terminate(ids)
    }
}
