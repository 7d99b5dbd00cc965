import Foundation
import GRDB
import RemoteProvidersCore

/// The embedded default: one SQLite file (WAL mode), readable only by its owner.
public final class SQLiteStore: DeploymentStore {
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating when needed) the store at `path` and migrates it to the newest schema.
    public convenience init(path: String) throws {
        try self.init(path: path, migratingUpTo: nil)
    }

    /// `migratingUpTo` stops at an older schema version; for migration tests.
    init(path: String, migratingUpTo version: String?) throws {
        self.path = path
        try StoreFiles.prepare(databasePath: path)
        var configuration = Configuration()
        // Other processes (a second controller, `status` during `up`) wait rather than fail.
        configuration.busyMode = .timeout(15)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if let version {
                try SQLiteSchema.migrator.migrate(pool, upTo: version)
            } else {
                try SQLiteSchema.migrator.migrate(pool)
            }
        } catch {
            throw StoreError.unavailable("cannot open \(path): \(error)")
        }
        // SQLite gives the -wal and -shm files the database file's mode; make sure of it.
        try StoreFiles.restrict(databasePath: path)
    }

    /// Every write is one IMMEDIATE transaction: it takes the write lock before reading, so a
    /// read-then-write (a lease, a transition) cannot interleave with another process's.
    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.unavailable("transaction produced no result") }
                return result
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("\(error)")
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("\(error)")
        }
    }

    public func ownerID() async throws -> String {
        try await write { db in
            if let owner = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'owner_id'") { return owner }
            let owner = UUID().uuidString.lowercased()
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('owner_id', ?)", arguments: [owner])
            return owner
        }
    }

    // MARK: Deployments

    public func createDeployment(_ new: NewDeployment) async throws -> Deployment {
        let spec = try SpecJSON.encode(new.spec)
        let now = Date().storeNormalized
        let deployment = Deployment(
            id: StoreIDs.make(prefix: "d"), name: new.name, spec: spec, target: new.spec.target, state: .planned,
            createdAt: now, updatedAt: now, expiresAt: new.expiresAt?.storeNormalized, pricePerHour: new.pricePerHour)
        return try await write { db in
            let live = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM deployments WHERE name = ? AND state NOT IN ('terminated', 'failed')", arguments: [new.name])
            if (live ?? 0) > 0 { throw StoreError.nameInUse(new.name) }
            try db.execute(
                sql: """
                    INSERT INTO deployments (id, name, spec, target, state, created_at, updated_at, expires_at, price_per_hour)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    deployment.id, deployment.name, deployment.spec, deployment.target.rawValue, deployment.state.rawValue,
                    now.timeIntervalSince1970, now.timeIntervalSince1970, deployment.expiresAt?.timeIntervalSince1970,
                    deployment.pricePerHour,
                ])
            try Self.append(db, deployment.id, .created, "deployment \(deployment.name) planned")
            return deployment
        }
    }

    public func deployment(id: String) async throws -> Deployment? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM deployments WHERE id = ?", arguments: [id]).map { try Self.deployment($0) } }
    }

    public func deployment(named name: String) async throws -> Deployment? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM deployments WHERE name = ? ORDER BY created_at DESC, rowid DESC LIMIT 1", arguments: [name]
            ).map { try Self.deployment($0) }
        }
    }

    public func deployments(in states: Set<DeploymentState>) async throws -> [Deployment] {
        try await read { db in
            let filter = states.isEmpty ? "" : "WHERE state IN (\(states.map { _ in "?" }.joined(separator: ", ")))"
            return try Row.fetchAll(
                db, sql: "SELECT * FROM deployments \(filter) ORDER BY created_at DESC, rowid DESC",
                arguments: StatementArguments(states.map(\.rawValue))
            ).map { try Self.deployment($0) }
        }
    }

    public func deploymentSummaries(in states: Set<DeploymentState>) async throws -> [DeploymentSummary] {
        try await read { db in
            let filter = states.isEmpty ? "" : "WHERE state IN (\(states.map { _ in "?" }.joined(separator: ", ")))"
            // A cursor reads each row in place; `fetchAll` would copy ten thousand rows first.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, name, target, state, created_at, updated_at, expires_at, price_per_hour FROM deployments \(filter)
                    ORDER BY created_at DESC, rowid DESC
                    """,
                arguments: StatementArguments(states.map(\.rawValue)))
            var summaries: [DeploymentSummary] = []
            while let row = try rows.next() {
                let deployment = try Self.deployment(row, spec: "")
                summaries.append(DeploymentSummary(
                    id: deployment.id, name: deployment.name, target: deployment.target, state: deployment.state,
                    createdAt: deployment.createdAt, updatedAt: deployment.updatedAt, expiresAt: deployment.expiresAt,
                    pricePerHour: deployment.pricePerHour))
            }
            return summaries
        }
    }

    @discardableResult
    public func transition(_ id: String, to state: DeploymentState, reason: String) async throws -> Deployment {
        try await write { db in
            var deployment = try Self.requireDeployment(db, id)
            guard deployment.state.canMove(to: state) else {
                throw StoreError.illegalTransition(id: id, from: deployment.state, to: state)
            }
            let now = Date().storeNormalized
            try db.execute(
                sql: "UPDATE deployments SET state = ?, updated_at = ? WHERE id = ?",
                arguments: [state.rawValue, now.timeIntervalSince1970, id])
            try Self.append(db, id, .state, "\(deployment.state.rawValue) → \(state.rawValue): \(reason)")
            deployment.state = state
            deployment.updatedAt = now
            return deployment
        }
    }

    @discardableResult
    public func setExpiry(_ id: String, _ expiresAt: Date?) async throws -> Deployment {
        let expiresAt = expiresAt?.storeNormalized
        return try await write { db in
            var deployment = try Self.requireDeployment(db, id)
            try db.execute(
                sql: "UPDATE deployments SET expires_at = ?, updated_at = ? WHERE id = ?",
                arguments: [expiresAt?.timeIntervalSince1970, Date().timeIntervalSince1970, id])
            try Self.append(db, id, .note, "expiry set to \(expiresAt.map(Timestamp.format) ?? "none")")
            deployment.expiresAt = expiresAt
            return deployment
        }
    }

    @discardableResult
    public func setPrice(_ id: String, _ pricePerHour: Double) async throws -> Deployment {
        try await write { db in
            var deployment = try Self.requireDeployment(db, id)
            try db.execute(sql: "UPDATE deployments SET price_per_hour = ? WHERE id = ?", arguments: [pricePerHour, id])
            deployment.pricePerHour = pricePerHour
            return deployment
        }
    }

    // MARK: Instances

    @discardableResult
    public func recordInstance(_ record: InstanceRecord) async throws -> InstanceRecord {
        let record = record.storeNormalized
        return try await write { db in
            if let existing = try Row.fetchOne(
                db, sql: "SELECT * FROM instances WHERE provider = ? AND provider_instance_id = ?",
                arguments: [record.provider.rawValue, record.providerInstanceID])
            {
                return try Self.instance(existing)
            }
            if let deploymentID = record.deploymentID { _ = try Self.requireDeployment(db, deploymentID) }
            try db.execute(
                sql: """
                    INSERT INTO instances (id, deployment_id, provider, region, provider_instance_id, address, ssh_port, ssh_user,
                        host_key, runtime, replica, published_ports, state, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, record.deploymentID, record.provider.rawValue, record.region, record.providerInstanceID,
                    record.address, record.sshPort, record.sshUser, record.hostKey, record.runtime?.rawValue, record.replica,
                    PublishedPortsColumn.encode(record.publishedPorts), record.state.rawValue,
                    record.createdAt.timeIntervalSince1970, record.expiresAt?.timeIntervalSince1970,
                ])
            if let deploymentID = record.deploymentID {
                try Self.append(db, deploymentID, .instance, "\(record.provider) instance \(record.providerInstanceID) recorded in \(record.region)")
            }
            return record
        }
    }

    @discardableResult
    public func updateInstance(_ id: String, _ update: InstanceUpdate) async throws -> InstanceRecord {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM instances WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("instance \(id)")
            }
            var record = try Self.instance(row)
            record.address = update.address ?? record.address
            record.sshPort = update.sshPort ?? record.sshPort
            record.sshUser = update.sshUser ?? record.sshUser
            record.hostKey = update.hostKey ?? record.hostKey
            record.runtime = update.runtime ?? record.runtime
            record.publishedPorts = update.publishedPorts ?? record.publishedPorts
            record.state = update.state ?? record.state
            try db.execute(
                sql: "UPDATE instances SET address = ?, ssh_port = ?, ssh_user = ?, host_key = ?, runtime = ?, published_ports = ?, state = ? WHERE id = ?",
                arguments: [
                    record.address, record.sshPort, record.sshUser, record.hostKey, record.runtime?.rawValue, PublishedPortsColumn.encode(record.publishedPorts),
                    record.state.rawValue, id,
                ])
            if let state = update.state, let deploymentID = record.deploymentID {
                try Self.append(db, deploymentID, .instance, "instance \(record.providerInstanceID) is \(state.rawValue)")
            }
            return record
        }
    }

    public func claimInstance(_ id: String, from expected: InstanceRecordState, to state: InstanceRecordState) async throws -> InstanceRecord? {
        try await write { db in
            try db.execute(sql: "UPDATE instances SET state = ? WHERE id = ? AND state = ?", arguments: [state.rawValue, id, expected.rawValue])
            let moved = db.changesCount == 1
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM instances WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("instance \(id)")
            }
            guard moved else { return nil }
            let record = try Self.instance(row)
            if let deploymentID = record.deploymentID {
                try Self.append(db, deploymentID, .instance, "instance \(record.providerInstanceID) is \(state.rawValue)")
            }
            return record
        }
    }

    public func instances(deploymentID: String?) async throws -> [InstanceRecord] {
        try await read { db in
            let rows =
                if let deploymentID {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM instances WHERE deployment_id = ? ORDER BY created_at, rowid", arguments: [deploymentID])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM instances ORDER BY created_at, rowid")
                }
            return try rows.map(Self.instance)
        }
    }

    // MARK: Events

    @discardableResult
    public func appendEvent(_ deploymentID: String, _ kind: DeploymentEvent.Kind, _ message: String) async throws -> DeploymentEvent {
        try await write { db in
            _ = try Self.requireDeployment(db, deploymentID)
            return try Self.append(db, deploymentID, kind, message)
        }
    }

    public func events(deploymentID: String) async throws -> [DeploymentEvent] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM events WHERE deployment_id = ? ORDER BY sequence", arguments: [deploymentID]
            ).map(Self.event)
        }
    }

    @discardableResult
    private static func append(_ db: Database, _ deploymentID: String, _ kind: DeploymentEvent.Kind, _ message: String) throws
        -> DeploymentEvent
    {
        let at = Date().storeNormalized
        let text = Redactor.standard.redact(message)
        try db.execute(
            sql: "INSERT INTO events (deployment_id, at, kind, message) VALUES (?, ?, ?, ?)",
            arguments: [deploymentID, at.timeIntervalSince1970, kind.rawValue, text])
        return DeploymentEvent(sequence: db.lastInsertedRowID, deploymentID: deploymentID, at: at, kind: kind, message: text)
    }

    // MARK: Leases

    public func acquireLease(_ deploymentID: String, holder: String, duration: Duration, staleAfter: Duration?) async throws -> Lease {
        try await write { db in
            _ = try Self.requireDeployment(db, deploymentID)
            let now = Date()
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM leases WHERE deployment_id = ?", arguments: [deploymentID]) {
                let current = Self.lease(row)
                if current.holder != holder {
                    guard let why = current.lapse(at: now, staleAfter: staleAfter) else {
                        throw StoreError.leaseHeld(deploymentID: deploymentID, holder: current.holder, until: current.expiresAt)
                    }
                    try Self.append(db, deploymentID, .lease, "lease taken over from \(current.holder), \(why)")
                }
            }
            let lease = Lease(
                deploymentID: deploymentID, holder: holder, token: UUID().uuidString.lowercased(),
                expiresAt: now.addingTimeInterval(duration.timeInterval).storeNormalized, renewedAt: now.storeNormalized)
            try db.execute(
                sql: """
                    INSERT INTO leases (deployment_id, holder, token, expires_at, renewed_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (deployment_id) DO UPDATE SET holder = excluded.holder, token = excluded.token,
                        expires_at = excluded.expires_at, renewed_at = excluded.renewed_at
                    """,
                arguments: [deploymentID, holder, lease.token, lease.expiresAt.timeIntervalSince1970, lease.renewedAt.timeIntervalSince1970])
            return lease
        }
    }

    public func renewLease(_ lease: Lease, duration: Duration) async throws -> Lease {
        try await write { db in
            let now = Date()
            var renewed = lease
            renewed.expiresAt = now.addingTimeInterval(duration.timeInterval).storeNormalized
            renewed.renewedAt = now.storeNormalized
            try db.execute(
                sql: "UPDATE leases SET expires_at = ?, renewed_at = ? WHERE deployment_id = ? AND token = ?",
                arguments: [renewed.expiresAt.timeIntervalSince1970, renewed.renewedAt.timeIntervalSince1970, lease.deploymentID, lease.token])
            guard db.changesCount == 1 else { throw StoreError.leaseLost(deploymentID: lease.deploymentID) }
            return renewed
        }
    }

    public func releaseLease(_ lease: Lease) async throws {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM leases WHERE deployment_id = ? AND token = ?", arguments: [lease.deploymentID, lease.token])
        }
    }

    public func lease(_ deploymentID: String) async throws -> Lease? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM leases WHERE deployment_id = ?", arguments: [deploymentID]).map(Self.lease)
        }
    }

    // MARK: Keys

    public func registerKey(_ key: RegisteredKey) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO ssh_keys (fingerprint, controller, public_key, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (fingerprint) DO NOTHING
                    """,
                arguments: [key.fingerprint, key.controller, key.publicKey, key.createdAt.timeIntervalSince1970])
        }
    }

    public func registeredKeys() async throws -> [RegisteredKey] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ssh_keys ORDER BY created_at").map { row in
                RegisteredKey(
                    fingerprint: row["fingerprint"], controller: row["controller"], publicKey: row["public_key"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]).storeNormalized)
            }
        }
    }

    // MARK: Hosts

    public func claimHost(_ host: String, deploymentID: String) async throws -> HostClaim? {
        let now = Date().storeNormalized
        return try await write { db in
            _ = try Self.requireDeployment(db, deploymentID)
            try db.execute(
                sql: """
                    INSERT INTO host_claims (host, deployment_id, claimed_at) VALUES (?, ?, ?)
                    ON CONFLICT (host) DO UPDATE SET deployment_id = excluded.deployment_id, claimed_at = excluded.claimed_at
                    WHERE host_claims.deployment_id IN (SELECT id FROM deployments WHERE state IN ('terminated', 'failed'))
                    """,
                arguments: [host, deploymentID, now.timeIntervalSince1970])
            let holder = try Row.fetchOne(db, sql: "SELECT * FROM host_claims WHERE host = ?", arguments: [host]).map(Self.claim)
            return holder?.deploymentID == deploymentID ? nil : holder
        }
    }

    public func releaseHost(_ host: String, deploymentID: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM host_claims WHERE host = ? AND deployment_id = ?", arguments: [host, deploymentID])
        }
    }

    public func hostClaims() async throws -> [HostClaim] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM host_claims ORDER BY host").map(Self.claim) }
    }

    private static func claim(_ row: Row) -> HostClaim {
        HostClaim(host: row["host"], deploymentID: row["deployment_id"], claimedAt: Date(timeIntervalSince1970: row["claimed_at"]).storeNormalized)
    }

    public func pinnedHostKey(host: String) async throws -> PinnedHostKey? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM host_keys WHERE host = ?", arguments: [host]).map(Self.pin) }
    }

    public func pinHostKey(_ key: PinnedHostKey) async throws -> PinnedHostKey {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO host_keys (host, public_key, fingerprint, deployment_id, pinned_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (host) DO NOTHING
                    """,
                arguments: [key.host, key.publicKey, key.fingerprint, key.deploymentID, key.pinnedAt.storeNormalized.timeIntervalSince1970])
            if db.changesCount > 0, let deploymentID = key.deploymentID {
                try Self.append(db, deploymentID, .note, "host key of \(key.host) pinned: \(key.fingerprint)")
            }
            guard let pinned = try Row.fetchOne(db, sql: "SELECT * FROM host_keys WHERE host = ?", arguments: [key.host]).map(Self.pin) else {
                throw StoreError.unavailable("the pinned host key vanished")
            }
            return pinned
        }
    }

    private static func pin(_ row: Row) -> PinnedHostKey {
        PinnedHostKey(
            host: row["host"], publicKey: row["public_key"], fingerprint: row["fingerprint"], deploymentID: row["deployment_id"],
            pinnedAt: Date(timeIntervalSince1970: row["pinned_at"]).storeNormalized)
    }

    // MARK: Rows

    private static func requireDeployment(_ db: Database, _ id: String) throws -> Deployment {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM deployments WHERE id = ?", arguments: [id]) else {
            throw StoreError.notFound("deployment \(id)")
        }
        return try deployment(row)
    }

    private static func deployment(_ row: Row, spec: String? = nil) throws -> Deployment {
        let target: String = row["target"]
        let state: String = row["state"]
        guard let target = DeploymentTarget(rawValue: target), let state = DeploymentState(rawValue: state) else {
            throw StoreError.unavailable("deployment \(row["id"] as String? ?? "?") has an unknown target or state")
        }
        return Deployment(
            id: row["id"], name: row["name"], spec: spec ?? row["spec"], target: target, state: state,
            createdAt: Date(timeIntervalSince1970: row["created_at"]).storeNormalized, updatedAt: Date(timeIntervalSince1970: row["updated_at"]).storeNormalized,
            expiresAt: (row["expires_at"] as Double?).map { Date(timeIntervalSince1970: $0).storeNormalized }, pricePerHour: row["price_per_hour"])
    }

    private static func instance(_ row: Row) throws -> InstanceRecord {
        let provider: String = row["provider"]
        let state: String = row["state"]
        guard let provider = ProviderID(rawValue: provider), let state = InstanceRecordState(rawValue: state) else {
            throw StoreError.unavailable("instance \(row["id"] as String? ?? "?") has an unknown provider or state")
        }
        return InstanceRecord(
            id: row["id"], deploymentID: row["deployment_id"], provider: provider, region: row["region"],
            providerInstanceID: row["provider_instance_id"], address: row["address"], sshPort: row["ssh_port"],
            sshUser: row["ssh_user"], hostKey: row["host_key"], runtime: (row["runtime"] as String?).flatMap(WorkloadRuntime.init),
            replica: row["replica"], publishedPorts: PublishedPortsColumn.decode(row["published_ports"]), state: state,
            createdAt: Date(timeIntervalSince1970: row["created_at"]).storeNormalized,
            expiresAt: (row["expires_at"] as Double?).map { Date(timeIntervalSince1970: $0).storeNormalized })
    }

    private static func event(_ row: Row) throws -> DeploymentEvent {
        let kind: String = row["kind"]
        return DeploymentEvent(
            sequence: row["sequence"], deploymentID: row["deployment_id"], at: Date(timeIntervalSince1970: row["at"]).storeNormalized,
            kind: DeploymentEvent.Kind(rawValue: kind) ?? .note, message: row["message"])
    }

    private static func lease(_ row: Row) -> Lease {
        Lease(
            deploymentID: row["deployment_id"], holder: row["holder"], token: row["token"],
            expiresAt: Date(timeIntervalSince1970: row["expires_at"]).storeNormalized,
            renewedAt: Date(timeIntervalSince1970: row["renewed_at"]).storeNormalized)
    }
}
