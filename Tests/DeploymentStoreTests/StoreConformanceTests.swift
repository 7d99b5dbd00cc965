import Foundation
import RemoteProvidersCore
import TestSupport
import Testing

@testable import DeploymentStore

/// The contract every store keeps, run against SQLite and against a real PostgreSQL.
@Suite struct StoreConformanceTests {
    @Test(arguments: Backend.allCases)
    func theOwnerIDIsMadeOnceAndKept(backend: Backend) async throws {
        try await withFreshStore(backend) { store, second in
            let owner = try await store.ownerID()
            #expect(UUID(uuidString: owner) != nil)
            #expect(try await store.ownerID() == owner)
            #expect(try await second.withStore { try await $0.ownerID() } == owner)
        }
    }

    /// How to reach each state from `planned` by legal moves.
    static let paths: [DeploymentState: [DeploymentState]] = [
        .planned: [], .provisioning: [.provisioning], .deploying: [.provisioning, .deploying],
        .healthy: [.provisioning, .deploying, .healthy], .draining: [.provisioning, .draining],
        .terminated: [.terminated], .failed: [.failed],
    ]

    @Test(arguments: Backend.allCases)
    func everyTransitionIsAllowedOrRefusedAsTheTableSays(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            for from in DeploymentState.allCases {
                for to in DeploymentState.allCases {
                    let deployment = try await newDeployment(store)
                    for step in Self.paths[from] ?? [] { try await store.transition(deployment.id, to: step, reason: "setup") }
                    if from.canMove(to: to) {
                        let moved = try await store.transition(deployment.id, to: to, reason: "test")
                        #expect(moved.state == to)
                        #expect(try await store.deployment(id: deployment.id)?.state == to)
                    } else {
                        let error = await #expect(throws: StoreError.self, "\(from) → \(to)") {
                            try await store.transition(deployment.id, to: to, reason: "test")
                        }
                        #expect(error == .illegalTransition(id: deployment.id, from: from, to: to))
                        #expect(try await store.deployment(id: deployment.id)?.state == from)
                    }
                }
            }
            #expect(DeploymentState.terminated.next.isEmpty)
            await #expect(throws: StoreError.notFound("deployment nope")) { try await store.transition("nope", to: .failed, reason: "x") }
        }
    }

    @Test(arguments: Backend.allCases)
    func eventsKeepTheirOrder(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let deployment = try await newDeployment(store)
            try await store.transition(deployment.id, to: .provisioning, reason: "offer aws/us-east-1/t3.micro")
            try await store.appendEvent(deployment.id, .attempt, "create in us-east-1a")
            try await store.appendEvent(deployment.id, .error, "InsufficientInstanceCapacity in us-east-1a")
            try await store.appendEvent(deployment.id, .fallback, "next offer: us-east-1b")
            try await store.transition(deployment.id, to: .deploying, reason: "instance running")
            let events = try await store.events(deploymentID: deployment.id)
            #expect(events.map(\.kind) == [.created, .state, .attempt, .error, .fallback, .state])
            #expect(events[1].message == "planned → provisioning: offer aws/us-east-1/t3.micro")
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.sequence < $1.sequence && $0.at <= $1.at })
            #expect(events.allSatisfy { $0.deploymentID == deployment.id })
            let other = try await newDeployment(store)
            #expect(try await store.events(deploymentID: other.id).map(\.kind) == [.created])
            await #expect(throws: StoreError.notFound("deployment nope")) { try await store.appendEvent("nope", .note, "x") }
        }
    }

    @Test(arguments: Backend.allCases)
    func deploymentsAreFoundByIdAndNameAndLiveNamesAreUnique(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let first = try await newDeployment(store, "api")
            #expect(first.state == .planned)
            #expect(try await store.deployment(id: first.id) == first)
            await #expect(throws: StoreError.nameInUse("api")) { try await newDeployment(store, "api") }
            try await store.transition(first.id, to: .terminated, reason: "dropped")
            let second = try await newDeployment(store, "api")
            #expect(try await store.deployment(named: "api")?.id == second.id)
            #expect(try await store.deployment(id: "missing") == nil)
            #expect(try await store.deployments(in: [.planned]).map(\.id) == [second.id])
            #expect(Set(try await store.deployments(in: []).map(\.id)) == [first.id, second.id])
            let extended = try await store.setExpiry(second.id, Date(timeIntervalSince1970: 2_000_000_000))
            #expect(extended.expiresAt == Date(timeIntervalSince1970: 2_000_000_000))
            #expect(try await store.setPrice(second.id, 0.0104).pricePerHour == 0.0104)
            let reread = try #require(try await store.deployment(id: second.id))
            #expect(reread.expiresAt == Date(timeIntervalSince1970: 2_000_000_000) && reread.pricePerHour == 0.0104)
            #expect(try ServiceSpec.load(reread.spec, format: .json).spec == (try sampleSpec("api")))
        }
    }

    @Test(arguments: Backend.allCases)
    func aFailedDeploymentNoLongerHoldsItsName(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let first = try await newDeployment(store, "web")
            try await store.transition(first.id, to: .failed, reason: "up failed")
            let second = try await newDeployment(store, "web")
            #expect(try await store.deployment(named: "web")?.id == second.id)
        }
    }

    @Test(arguments: Backend.allCases)
    func aHostIsClaimedByOneLiveDeploymentAtATime(backend: Backend) async throws {
        try await withFreshStore(backend) { store, second in
            let first = try await newDeployment(store, "one")
            let other = try await newDeployment(store, "two")
            #expect(try await store.claimHost("ssh:h1", deploymentID: first.id) == nil)
            #expect(try await store.claimHost("ssh:h1", deploymentID: first.id) == nil)
            // Another controller, racing for the same host, is told who holds it.
            try await second.withStore { rival in
                let holder = try await rival.claimHost("ssh:h1", deploymentID: other.id)
                #expect(holder?.deploymentID == first.id && holder?.host == "ssh:h1")
            }
            #expect(try await store.claimHost("ssh:h2", deploymentID: other.id) == nil)
            #expect(try await store.hostClaims().map(\.host) == ["ssh:h1", "ssh:h2"])
            // A claim of a deployment that ended is taken over; a released host is free.
            try await store.transition(first.id, to: .failed, reason: "gone")
            #expect(try await store.claimHost("ssh:h1", deploymentID: other.id) == nil)
            try await store.releaseHost("ssh:h1", deploymentID: first.id)
            #expect(try await store.hostClaims().map(\.deploymentID) == [other.id, other.id])
            try await store.releaseHost("ssh:h1", deploymentID: other.id)
            #expect(try await store.hostClaims().map(\.host) == ["ssh:h2"])
            await #expect(throws: StoreError.notFound("deployment nope")) { try await store.claimHost("ssh:h3", deploymentID: "nope") }
        }
    }

    @Test(arguments: Backend.allCases)
    func theFirstPinnedHostKeyStaysAndIsRecordedWithItsDeployment(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let deployment = try await newDeployment(store, "pinned")
            #expect(try await store.pinnedHostKey(host: "10.0.0.1:22") == nil)
            let key = PinnedHostKey(
                host: "10.0.0.1:22", publicKey: "ssh-ed25519 AAAAfirst", fingerprint: "SHA256:first", deploymentID: deployment.id,
                pinnedAt: Date(timeIntervalSince1970: 1_800_000_000))
            #expect(try await store.pinHostKey(key) == key)
            var later = key
            later.publicKey = "ssh-ed25519 AAAAsecond"
            later.fingerprint = "SHA256:second"
            #expect(try await store.pinHostKey(later) == key)
            #expect(try await store.pinnedHostKey(host: "10.0.0.1:22") == key)
            let notes = try await store.events(deploymentID: deployment.id).filter { $0.kind == .note }.map(\.message)
            #expect(notes == ["host key of 10.0.0.1:22 pinned: SHA256:first"])
        }
    }

    @Test(arguments: Backend.allCases)
    func instancesAreRecordedOnceAndUpdated(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let deployment = try await newDeployment(store)
            let record = InstanceRecord(
                deploymentID: deployment.id, provider: .aws, region: "us-east-1", providerInstanceID: "i-0abc", replica: 2,
                createdAt: Date(timeIntervalSince1970: 1_700_000_000.25), expiresAt: deployment.expiresAt)
            let recorded = try await store.recordInstance(record)
            #expect(recorded == record)
            var retry = record
            retry.id = "i-other"
            #expect(try await store.recordInstance(retry).id == record.id)
            let updated = try await store.updateInstance(
                record.id, InstanceUpdate(address: "10.200.0.2", sshUser: "ubuntu", hostKey: "ssh-ed25519 AAAAC3Nza", runtime: .podman, state: .terminating))
            #expect(updated.address == "10.200.0.2" && updated.sshUser == "ubuntu" && updated.state == .terminating)
            #expect(updated.runtime == .podman && updated.replica == 2)
            #expect(updated.sshPort == 22)
            let raw = try await store.recordInstance(
                InstanceRecord(deploymentID: nil, provider: .vultr, region: "ewr", providerInstanceID: "abc-123", expiresAt: nil))
            #expect(try await store.instances(deploymentID: deployment.id) == [updated])
            #expect(try await store.instances(deploymentID: nil).map(\.id) == [record.id, raw.id])
            let kinds = try await store.events(deploymentID: deployment.id).map(\.kind)
            #expect(kinds == [.created, .instance, .instance])
            await #expect(throws: StoreError.notFound("instance nope")) { try await store.updateInstance("nope", InstanceUpdate()) }
        }
    }

    @Test(arguments: Backend.allCases)
    func leasesAreTakenRenewedExpiredAndTakenOver(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let deployment = try await newDeployment(store)
            // Long enough that no stall of a loaded machine between these calls lets it lapse.
            let lease = try await store.acquireLease(deployment.id, holder: "alpha:1", duration: .seconds(600))
            #expect(try await store.lease(deployment.id) == lease)
            let refused = await #expect(throws: StoreError.self) {
                try await store.acquireLease(deployment.id, holder: "beta:2", duration: .seconds(30))
            }
            guard case .leaseHeld(_, let holder, _)? = refused else {
                Issue.record("expected leaseHeld, got \(String(describing: refused))")
                return
            }
            #expect(holder == "alpha:1")
            let renewed = try await store.renewLease(lease, duration: .seconds(900))
            #expect(renewed.expiresAt > lease.expiresAt)

            // Let it lapse, then another controller takes over.
            let short = try await store.acquireLease(deployment.id, holder: "alpha:1", duration: .milliseconds(200))
            try await Task.sleep(for: .milliseconds(400))
            let taken = try await store.acquireLease(deployment.id, holder: "beta:2", duration: .seconds(30))
            #expect(taken.holder == "beta:2" && taken.token != short.token)
            await #expect(throws: StoreError.leaseLost(deploymentID: deployment.id)) {
                try await store.renewLease(short, duration: .seconds(30))
            }
            let takeover = try await store.events(deploymentID: deployment.id).filter { $0.kind == .lease }
            #expect(takeover.count == 1)
            #expect(takeover.first?.message.contains("taken over from alpha:1") == true)
            // Releasing someone else's lease does nothing; releasing one's own frees it.
            try await store.releaseLease(short)
            #expect(try await store.lease(deployment.id) == taken)
            try await store.releaseLease(taken)
            #expect(try await store.lease(deployment.id) == nil)
            await #expect(throws: StoreError.notFound("deployment nope")) {
                try await store.acquireLease("nope", holder: "x", duration: .seconds(1))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aLeaseNotRenewedForStaleAfterIsTakenOverAndRenewalKeepsItFresh(backend: Backend) async throws {
        try await withFreshStore(backend) { store, _ in
            let deployment = try await newDeployment(store)
            let lease = try await store.acquireLease(deployment.id, holder: "alpha:1", duration: .seconds(60))
            #expect(lease.renewedAt <= lease.expiresAt && lease.expiresAt.timeIntervalSince(lease.renewedAt) > 55)
            // Fresh: renewed within staleAfter, it stays with its holder.
            await #expect(throws: StoreError.self) {
                try await store.acquireLease(deployment.id, holder: "gc:2", duration: .seconds(60), staleAfter: .seconds(30))
            }
            try await Task.sleep(for: .milliseconds(600))
            let renewed = try await store.renewLease(lease, duration: .seconds(60))
            #expect(renewed.renewedAt > lease.renewedAt, "a renewal is a heartbeat")
            #expect(try await store.lease(deployment.id)?.renewedAt == renewed.renewedAt)
            try await Task.sleep(for: .milliseconds(1200))
            // Not yet expired, but not renewed for longer than staleAfter: taken over, and said so.
            let taken = try await store.acquireLease(deployment.id, holder: "gc:2", duration: .seconds(60), staleAfter: .seconds(1))
            #expect(taken.holder == "gc:2")
            await #expect(throws: StoreError.leaseLost(deploymentID: deployment.id)) { try await store.renewLease(renewed, duration: .seconds(60)) }
            let takeover = try await store.events(deploymentID: deployment.id).filter { $0.kind == .lease }.map(\.message)
            #expect(takeover.count == 1 && takeover[0].contains("taken over from alpha:1") && takeover[0].contains("last renewed"))
        }
    }

    @Test(arguments: Backend.allCases)
    func anInstanceIsClaimedByExactlyOneOfManyControllers(backend: Backend) async throws {
        try await withFreshStore(backend) { store, second in
            let deployment = try await newDeployment(store)
            let record = try await store.recordInstance(
                InstanceRecord(deploymentID: deployment.id, provider: .aws, region: "us-east-1", providerInstanceID: "i-claimed", expiresAt: nil))
            let winners = try await second.withStore { other in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<8 {
                        let writer = index.isMultiple(of: 2) ? store : other
                        group.addTask { try await writer.claimInstance(record.id, from: .active, to: .terminating) != nil }
                    }
                    var wins = 0
                    for try await won in group where won { wins += 1 }
                    return wins
                }
            }
            #expect(winners == 1)
            #expect(try await store.instances(deploymentID: deployment.id).map(\.state) == [.terminating])
            #expect(try await store.claimInstance(record.id, from: .terminating, to: .terminated)?.state == .terminated)
            #expect(try await store.claimInstance(record.id, from: .terminating, to: .terminated) == nil)
            await #expect(throws: StoreError.notFound("instance nope")) { try await store.claimInstance("nope", from: .active, to: .lost) }
        }
    }

    @Test(arguments: Backend.allCases)
    func twoControllersWriteAtOnceAndNothingIsLost(backend: Backend) async throws {
        try await withFreshStore(backend) { store, second in
            let shared = try await newDeployment(store, "shared")
            try await second.withStore { other in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, writer) in [store, other].enumerated() {
                        group.addTask {
                            for round in 0..<25 {
                                _ = try await newDeployment(writer, "w\(index)-\(round)")
                                try await writer.appendEvent(shared.id, .note, "writer \(index) round \(round)")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await store.deployments(in: []).count == 51)
            let notes = try await store.events(deploymentID: shared.id).filter { $0.kind == .note }
            #expect(notes.count == 50)
            #expect(Set(notes.map(\.sequence)).count == 50)
            #expect(notes.map(\.sequence) == notes.map(\.sequence).sorted())
        }
    }

    @Test(arguments: Backend.allCases)
    func migratesFromThePreviousSchemaVersion(backend: Backend) async throws {
        let previous = backend == .sqlite ? SQLiteSchema.versions[0] : PostgresSchema.versions[0]
        try await withFreshStore(backend, migratingUpTo: previous) { old, handle in
            let owner = try await old.ownerID()
            let deployment = try await newDeployment(old, "before")
            try await old.appendEvent(deployment.id, .note, "written by the previous schema")
            try await handle.withStore { current in
                #expect(try await current.ownerID() == owner)
                #expect(try await current.deployment(named: "before")?.id == deployment.id)
                #expect(try await current.events(deploymentID: deployment.id).map(\.kind) == [.created, .note])
                // What the newer version added works on the old data.
                let lease = try await current.acquireLease(deployment.id, holder: "new", duration: .seconds(5))
                #expect(try await current.lease(deployment.id) == lease)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func secretsNeverReachTheStore(backend: Backend) async throws {
        let secret = "sk-live-\(UUID().uuidString)-do-not-store"
        try await withFreshStore(backend) { store, handle in
            let spec = try sampleSpec("secretive", secret: secret)
            let deployment = try await store.createDeployment(NewDeployment(name: "secretive", spec: spec, expiresAt: nil))
            try await store.appendEvent(deployment.id, .error, "provider said: bad token \(secret)")
            try await store.transition(deployment.id, to: .failed, reason: "auth failed for \(secret)")
            #expect(!(try #require(try await store.deployment(id: deployment.id))).spec.contains(secret))
            #expect(try await store.events(deploymentID: deployment.id).allSatisfy { !$0.message.contains(secret) })
            switch handle.location {
            case .sqlite(let path):
                // The connection stays open, so the WAL file is read as it is too.
                var bytes = Data()
                for suffix in ["", "-wal"] { bytes += FileManager.default.contents(atPath: path + suffix) ?? Data() }
                #expect(bytes.count > 0)
                #expect(bytes.range(of: Data(secret.utf8)) == nil)
                #expect(bytes.range(of: Data("[REDACTED]".utf8)) != nil)
            case .postgres(let location):
                let text = try await PostgresTestDatabase.allText(location)
                #expect(!text.contains(secret))
                #expect(text.contains("[REDACTED]"))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func theControllerKeyIsMadeOnceAndRegistered(backend: Backend) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withFreshStore(backend) { store, _ in
            let key = try await ControllerKey.load(stateDirectory: directory.path, store: store)
            let again = try await ControllerKey.load(stateDirectory: directory.path, store: store)
            #expect(again.fingerprint == key.fingerprint)
            let registered = try await store.registeredKeys()
            #expect(registered.map(\.fingerprint) == [key.fingerprint])
            #expect(registered.first?.publicKey == key.keyPair.authorizedKey)
            #expect(try Self.mode(key.privateKeyPath) == 0o600)
            #expect(try Self.mode(directory.appendingPathComponent("ssh").path) == 0o700)
        }
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (try #require(attributes[.posixPermissions] as? NSNumber)).intValue & 0o777
    }
}
