import Foundation
import Logging
import PostgresNIO
import RemoteProvidersCore

/// Shared state for a team: every controller points `BLUEPRINT_REMOTE_STATE` at one PostgreSQL
/// database. Leases hold across processes and machines: they are taken under row locks and timed
/// by the database's clock, so controllers with skewed clocks still agree.
public final class PostgresStore: DeploymentStore {
    private let client: PostgresClient
    private let logger: Logger

    private init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Connects, migrates to the newest schema (or `upTo`, for migration tests), runs `body`, and
    /// disconnects whatever happens.
    public static func withStore<T: Sendable>(
        _ location: PostgresLocation, logger: Logger = Logger(label: "blueprint-remote.store"),
        migratingUpTo version: String? = nil, _ body: @Sendable (PostgresStore) async throws -> T
    ) async throws -> T {
        // The pool warns when a query waits for `run()` to start, which is expected here.
        var background = logger
        background.logLevel = .error
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: background)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, logger: logger)
            try await store.migrate(upTo: version)
            return try await body(store)
        }
    }

    // MARK: Plumbing

    private func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw Self.translate(error)
        }
    }

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        do {
            return try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        } catch {
            throw Self.translate(error)
        }
    }

    private static func rows(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws
        -> [PostgresRandomAccessRow]
    {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Our own errors pass through (also from inside a transaction); the database's become `unavailable`.
    private static func translate(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError: error
        case let error as PostgresTransactionError:
            translate(error.closureError ?? error.beginError ?? error.commitError ?? StoreError.unavailable("transaction failed"))
        case let error as PSQLError: .unavailable("PostgreSQL: \(error.serverInfo?[.message] ?? "\(error.code)")")
        default: .unavailable("\(error)")
        }
    }

    private func migrate(upTo target: String?) async throws {
        try await transaction { connection in
            // One migrator at a time, across every controller sharing the database.
            try await connection.query("SELECT pg_advisory_xact_lock(7406541102)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL)",
                logger: logger)
            let applied = Set(try await Self.rows(connection, "SELECT version FROM schema_migrations", logger: logger).map {
                try $0["version"].decode(String.self)
            })
            for migration in PostgresSchema.migrations {
                if !applied.contains(migration.version) {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (\(migration.version), now())", logger: logger)
                }
                if migration.version == target { break }
            }
        }
    }

    public func ownerID() async throws -> String {
        try await transaction { connection in
            try await connection.query(
                "INSERT INTO meta (key, value) VALUES ('owner_id', \(UUID().uuidString.lowercased())) ON CONFLICT (key) DO NOTHING",
                logger: logger)
            let rows = try await Self.rows(connection, "SELECT value FROM meta WHERE key = 'owner_id'", logger: logger)
            guard let row = rows.first else { throw StoreError.unavailable("owner id missing") }
            return try row["value"].decode(String.self)
        }
    }

    // MARK: Deployments

    private static let deploymentColumns = "id, name, spec, target, state, created_at, updated_at, expires_at, price_per_hour"

    public func createDeployment(_ new: NewDeployment) async throws -> Deployment {
        let spec = try SpecJSON.encode(new.spec)
        let id = StoreIDs.make(prefix: "d")
        let target = new.spec.target.rawValue
        return try await transaction { connection in
            let live = try await Self.rows(
                connection, "SELECT 1 FROM deployments WHERE name = \(new.name) AND state NOT IN ('terminated', 'failed') LIMIT 1",
                logger: logger)
            if !live.isEmpty { throw StoreError.nameInUse(new.name) }
            let rows: [PostgresRandomAccessRow]
            do {
                rows = try await Self.rows(
                    connection,
                    """
                    INSERT INTO deployments (id, name, spec, target, state, created_at, updated_at, expires_at, price_per_hour)
                    VALUES (\(id), \(new.name), \(spec), \(target), 'planned', now(), now(), \(new.expiresAt), \(new.pricePerHour))
                    RETURNING \(unescaped: Self.deploymentColumns)
                    """, logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                throw StoreError.nameInUse(new.name)
            }
            try await Self.append(connection, id, .created, "deployment \(new.name) planned", logger: logger)
            guard let row = rows.first else { throw StoreError.unavailable("insert returned nothing") }
            return try Self.deployment(row)
        }
    }

    public func deployment(id: String) async throws -> Deployment? {
        try await rows("SELECT \(unescaped: Self.deploymentColumns) FROM deployments WHERE id = \(id)").first.map(Self.deployment)
    }

    public func deployment(named name: String) async throws -> Deployment? {
        try await rows(
            "SELECT \(unescaped: Self.deploymentColumns) FROM deployments WHERE name = \(name) ORDER BY created_at DESC, id DESC LIMIT 1"
        ).first.map(Self.deployment)
    }

    public func deployments(in states: Set<DeploymentState>) async throws -> [Deployment] {
        let query: PostgresQuery =
            states.isEmpty
            ? "SELECT \(unescaped: Self.deploymentColumns) FROM deployments ORDER BY created_at DESC, id DESC"
            : "SELECT \(unescaped: Self.deploymentColumns) FROM deployments WHERE state = ANY(\(states.map(\.rawValue))) ORDER BY created_at DESC, id DESC"
        return try await rows(query).map(Self.deployment)
    }

    public func deploymentSummaries(in states: Set<DeploymentState>) async throws -> [DeploymentSummary] {
        let columns = "id, name, target, state, created_at, updated_at, expires_at, price_per_hour"
        let query: PostgresQuery =
            states.isEmpty
            ? "SELECT \(unescaped: columns) FROM deployments ORDER BY created_at DESC, id DESC"
            : "SELECT \(unescaped: columns) FROM deployments WHERE state = ANY(\(states.map(\.rawValue))) ORDER BY created_at DESC, id DESC"
        return try await rows(query).map { row in
            let target = try row["target"].decode(String.self)
            let state = try row["state"].decode(String.self)
            guard let target = DeploymentTarget(rawValue: target), let state = DeploymentState(rawValue: state) else {
                throw StoreError.unavailable("a deployment has an unknown target or state")
            }
            return DeploymentSummary(
                id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), target: target, state: state,
                createdAt: try row["created_at"].decode(Date.self).storeNormalized,
                updatedAt: try row["updated_at"].decode(Date.self).storeNormalized,
                expiresAt: try row["expires_at"].decode(Date?.self)?.storeNormalized,
                pricePerHour: try row["price_per_hour"].decode(Double?.self))
        }
    }

    @discardableResult
    public func transition(_ id: String, to state: DeploymentState, reason: String) async throws -> Deployment {
        try await transaction { connection in
            let current = try await Self.requireDeployment(connection, id, logger: logger)
            guard current.state.canMove(to: state) else {
                throw StoreError.illegalTransition(id: id, from: current.state, to: state)
            }
            let rows = try await Self.rows(
                connection,
                "UPDATE deployments SET state = \(state.rawValue), updated_at = now() WHERE id = \(id) RETURNING \(unescaped: Self.deploymentColumns)",
                logger: logger)
            try await Self.append(connection, id, .state, "\(current.state.rawValue) → \(state.rawValue): \(reason)", logger: logger)
            guard let row = rows.first else { throw StoreError.notFound("deployment \(id)") }
            return try Self.deployment(row)
        }
    }

    @discardableResult
    public func setExpiry(_ id: String, _ expiresAt: Date?) async throws -> Deployment {
        try await transaction { connection in
            let rows = try await Self.rows(
                connection,
                "UPDATE deployments SET expires_at = \(expiresAt), updated_at = now() WHERE id = \(id) RETURNING \(unescaped: Self.deploymentColumns)",
                logger: logger)
            guard let row = rows.first else { throw StoreError.notFound("deployment \(id)") }
            try await Self.append(connection, id, .note, "expiry set to \(expiresAt.map(Timestamp.format) ?? "none")", logger: logger)
            return try Self.deployment(row)
        }
    }

    @discardableResult
    public func setPrice(_ id: String, _ pricePerHour: Double) async throws -> Deployment {
        guard
            let row = try await rows(
                "UPDATE deployments SET price_per_hour = \(pricePerHour) WHERE id = \(id) RETURNING \(unescaped: Self.deploymentColumns)"
            ).first
        else { throw StoreError.notFound("deployment \(id)") }
        return try Self.deployment(row)
    }

    // MARK: Instances

    private static let instanceColumns =
        "id, deployment_id, provider, region, provider_instance_id, address, ssh_port, ssh_user, host_key, runtime, replica, published_ports, state, created_at, expires_at"

    @discardableResult
    public func recordInstance(_ record: InstanceRecord) async throws -> InstanceRecord {
        let record = record.storeNormalized
        return try await transaction { connection in
            if let deploymentID = record.deploymentID { _ = try await Self.requireDeployment(connection, deploymentID, logger: logger) }
            let inserted = try await Self.rows(
                connection,
                """
                INSERT INTO instances (id, deployment_id, provider, region, provider_instance_id, address, ssh_port, ssh_user,
                    host_key, runtime, replica, published_ports, state, created_at, expires_at)
                VALUES (\(record.id), \(record.deploymentID), \(record.provider.rawValue), \(record.region), \(record.providerInstanceID),
                    \(record.address), \(record.sshPort), \(record.sshUser), \(record.hostKey), \(record.runtime?.rawValue), \(record.replica),
                    \(PublishedPortsColumn.encode(record.publishedPorts)), \(record.state.rawValue),
                    \(record.createdAt), \(record.expiresAt))
                ON CONFLICT (provider, provider_instance_id) DO NOTHING
                RETURNING \(unescaped: Self.instanceColumns)
                """, logger: logger)
            if let row = inserted.first {
                if let deploymentID = record.deploymentID {
                    try await Self.append(
                        connection, deploymentID, .instance,
                        "\(record.provider) instance \(record.providerInstanceID) recorded in \(record.region)", logger: logger)
                }
                return try Self.instance(row)
            }
            let existing = try await Self.rows(
                connection,
                "SELECT \(unescaped: Self.instanceColumns) FROM instances WHERE provider = \(record.provider.rawValue) AND provider_instance_id = \(record.providerInstanceID)",
                logger: logger)
            guard let row = existing.first else { throw StoreError.unavailable("instance vanished while recording it") }
            return try Self.instance(row)
        }
    }

    @discardableResult
    public func updateInstance(_ id: String, _ update: InstanceUpdate) async throws -> InstanceRecord {
        try await transaction { connection in
            let rows = try await Self.rows(
                connection,
                """
                UPDATE instances SET address = COALESCE(\(update.address), address), ssh_port = COALESCE(\(update.sshPort), ssh_port),
                    ssh_user = COALESCE(\(update.sshUser), ssh_user), host_key = COALESCE(\(update.hostKey), host_key),
                    runtime = COALESCE(\(update.runtime?.rawValue), runtime),
                    published_ports = CASE WHEN \(update.publishedPorts != nil) THEN \(update.publishedPorts.flatMap(PublishedPortsColumn.encode)) ELSE published_ports END,
                    state = COALESCE(\(update.state?.rawValue), state)
                WHERE id = \(id) RETURNING \(unescaped: Self.instanceColumns)
                """, logger: logger)
            guard let row = rows.first else { throw StoreError.notFound("instance \(id)") }
            let record = try Self.instance(row)
            if let state = update.state, let deploymentID = record.deploymentID {
                try await Self.append(connection, deploymentID, .instance, "instance \(record.providerInstanceID) is \(state.rawValue)", logger: logger)
            }
            return record
        }
    }

    public func claimInstance(_ id: String, from expected: InstanceRecordState, to state: InstanceRecordState) async throws -> InstanceRecord? {
        try await transaction { connection in
            let rows = try await Self.rows(
                connection,
                """
                UPDATE instances SET state = \(state.rawValue) WHERE id = \(id) AND state = \(expected.rawValue)
                RETURNING \(unescaped: Self.instanceColumns)
                """, logger: logger)
            guard let row = rows.first else {
                guard try await !Self.rows(connection, "SELECT id FROM instances WHERE id = \(id)", logger: logger).isEmpty else {
                    throw StoreError.notFound("instance \(id)")
                }
                return nil
            }
            let record = try Self.instance(row)
            if let deploymentID = record.deploymentID {
                try await Self.append(connection, deploymentID, .instance, "instance \(record.providerInstanceID) is \(state.rawValue)", logger: logger)
            }
            return record
        }
    }

    public func instances(deploymentID: String?) async throws -> [InstanceRecord] {
        let query: PostgresQuery =
            if let deploymentID {
                "SELECT \(unescaped: Self.instanceColumns) FROM instances WHERE deployment_id = \(deploymentID) ORDER BY created_at, id"
            } else {
                "SELECT \(unescaped: Self.instanceColumns) FROM instances ORDER BY created_at, id"
            }
        return try await rows(query).map(Self.instance)
    }

    // MARK: Events

    @discardableResult
    public func appendEvent(_ deploymentID: String, _ kind: DeploymentEvent.Kind, _ message: String) async throws -> DeploymentEvent {
        try await transaction { connection in
            _ = try await Self.requireDeployment(connection, deploymentID, logger: logger)
            return try await Self.append(connection, deploymentID, kind, message, logger: logger)
        }
    }

    public func events(deploymentID: String) async throws -> [DeploymentEvent] {
        try await rows(
            "SELECT sequence, deployment_id, at, kind, message FROM events WHERE deployment_id = \(deploymentID) ORDER BY sequence"
        ).map(Self.event)
    }

    @discardableResult
    private static func append(
        _ connection: PostgresConnection, _ deploymentID: String, _ kind: DeploymentEvent.Kind, _ message: String, logger: Logger
    ) async throws -> DeploymentEvent {
        let text = Redactor.standard.redact(message)
        let rows = try await Self.rows(
            connection,
            """
            INSERT INTO events (deployment_id, at, kind, message) VALUES (\(deploymentID), clock_timestamp(), \(kind.rawValue), \(text))
            RETURNING sequence, deployment_id, at, kind, message
            """, logger: logger)
        guard let row = rows.first else { throw StoreError.unavailable("event insert returned nothing") }
        return try event(row)
    }

    // MARK: Leases

    public func acquireLease(_ deploymentID: String, holder: String, duration: Duration, staleAfter: Duration?) async throws -> Lease {
        let seconds = duration.timeInterval
        return try await transaction { connection in
            _ = try await Self.requireDeployment(connection, deploymentID, logger: logger)
            // The row lock serialises takers: the second sees the first's fresh lease and is refused.
            let current = try await Self.rows(
                connection,
                "SELECT \(unescaped: Self.leaseColumns), now() AS now FROM leases WHERE deployment_id = \(deploymentID) FOR UPDATE",
                logger: logger
            ).first
            if let current {
                let lease = try Self.lease(current)
                if lease.holder != holder {
                    // The database's clock, not this machine's: controllers on several machines agree.
                    let now = try current["now"].decode(Date.self)
                    guard let why = lease.lapse(at: now, staleAfter: staleAfter) else {
                        throw StoreError.leaseHeld(deploymentID: deploymentID, holder: lease.holder, until: lease.expiresAt)
                    }
                    try await Self.append(connection, deploymentID, .lease, "lease taken over from \(lease.holder), \(why)", logger: logger)
                }
            }
            let token = UUID().uuidString.lowercased()
            let rows = try await Self.rows(
                connection,
                """
                INSERT INTO leases (deployment_id, holder, token, expires_at, renewed_at)
                VALUES (\(deploymentID), \(holder), \(token), now() + make_interval(secs => \(seconds)), now())
                ON CONFLICT (deployment_id) DO UPDATE SET holder = EXCLUDED.holder, token = EXCLUDED.token,
                    expires_at = EXCLUDED.expires_at, renewed_at = EXCLUDED.renewed_at
                RETURNING \(unescaped: Self.leaseColumns)
                """, logger: logger)
            guard let row = rows.first else { throw StoreError.unavailable("lease insert returned nothing") }
            return try Self.lease(row)
        }
    }

    public func renewLease(_ lease: Lease, duration: Duration) async throws -> Lease {
        let rows = try await rows(
            """
            UPDATE leases SET expires_at = now() + make_interval(secs => \(duration.timeInterval)), renewed_at = now()
            WHERE deployment_id = \(lease.deploymentID) AND token = \(lease.token) RETURNING \(unescaped: Self.leaseColumns)
            """)
        guard let row = rows.first else { throw StoreError.leaseLost(deploymentID: lease.deploymentID) }
        return try Self.lease(row)
    }

    public func releaseLease(_ lease: Lease) async throws {
        _ = try await rows("DELETE FROM leases WHERE deployment_id = \(lease.deploymentID) AND token = \(lease.token)")
    }

    public func lease(_ deploymentID: String) async throws -> Lease? {
        try await rows("SELECT \(unescaped: Self.leaseColumns) FROM leases WHERE deployment_id = \(deploymentID)").first.map(Self.lease)
    }

    private static let leaseColumns = "deployment_id, holder, token, expires_at, renewed_at"

    private static func lease(_ row: PostgresRandomAccessRow) throws -> Lease {
        Lease(
            deploymentID: try row["deployment_id"].decode(String.self), holder: try row["holder"].decode(String.self),
            token: try row["token"].decode(String.self), expiresAt: try row["expires_at"].decode(Date.self).storeNormalized,
            renewedAt: try row["renewed_at"].decode(Date.self).storeNormalized)
    }

    // MARK: Keys

    public func registerKey(_ key: RegisteredKey) async throws {
        _ = try await rows(
            """
            INSERT INTO ssh_keys (fingerprint, controller, public_key, created_at)
            VALUES (\(key.fingerprint), \(key.controller), \(key.publicKey), \(key.createdAt)) ON CONFLICT (fingerprint) DO NOTHING
            """)
    }

    public func registeredKeys() async throws -> [RegisteredKey] {
        try await rows("SELECT fingerprint, controller, public_key, created_at FROM ssh_keys ORDER BY created_at").map { row in
            RegisteredKey(
                fingerprint: try row["fingerprint"].decode(String.self), controller: try row["controller"].decode(String.self),
                publicKey: try row["public_key"].decode(String.self), createdAt: try row["created_at"].decode(Date.self).storeNormalized)
        }
    }

    // MARK: Hosts

    public func claimHost(_ host: String, deploymentID: String) async throws -> HostClaim? {
        try await transaction { connection in
            _ = try await Self.requireDeployment(connection, deploymentID, logger: logger)
            let rows = try await Self.rows(
                connection,
                """
                INSERT INTO host_claims (host, deployment_id, claimed_at) VALUES (\(host), \(deploymentID), now())
                ON CONFLICT (host) DO UPDATE SET deployment_id = excluded.deployment_id, claimed_at = excluded.claimed_at
                WHERE host_claims.deployment_id IN (SELECT id FROM deployments WHERE state IN ('terminated', 'failed'))
                RETURNING host
                """, logger: logger)
            if !rows.isEmpty { return nil }
            let holder = try await Self.rows(
                connection, "SELECT host, deployment_id, claimed_at FROM host_claims WHERE host = \(host)", logger: logger
            ).first.map(Self.claim)
            return holder?.deploymentID == deploymentID ? nil : holder
        }
    }

    public func releaseHost(_ host: String, deploymentID: String) async throws {
        _ = try await rows("DELETE FROM host_claims WHERE host = \(host) AND deployment_id = \(deploymentID)")
    }

    public func hostClaims() async throws -> [HostClaim] {
        try await rows("SELECT host, deployment_id, claimed_at FROM host_claims ORDER BY host").map(Self.claim)
    }

    private static func claim(_ row: PostgresRandomAccessRow) throws -> HostClaim {
        HostClaim(
            host: try row["host"].decode(String.self), deploymentID: try row["deployment_id"].decode(String.self),
            claimedAt: try row["claimed_at"].decode(Date.self).storeNormalized)
    }

    public func pinnedHostKey(host: String) async throws -> PinnedHostKey? {
        try await rows("SELECT host, public_key, fingerprint, deployment_id, pinned_at FROM host_keys WHERE host = \(host)").first.map(Self.pin)
    }

    public func pinHostKey(_ key: PinnedHostKey) async throws -> PinnedHostKey {
        try await transaction { connection in
            let inserted = try await Self.rows(
                connection,
                """
                INSERT INTO host_keys (host, public_key, fingerprint, deployment_id, pinned_at)
                VALUES (\(key.host), \(key.publicKey), \(key.fingerprint), \(key.deploymentID), \(key.pinnedAt))
                ON CONFLICT (host) DO NOTHING RETURNING host
                """, logger: logger)
            if !inserted.isEmpty, let deploymentID = key.deploymentID {
                try await Self.append(connection, deploymentID, .note, "host key of \(key.host) pinned: \(key.fingerprint)", logger: logger)
            }
            let rows = try await Self.rows(
                connection, "SELECT host, public_key, fingerprint, deployment_id, pinned_at FROM host_keys WHERE host = \(key.host)", logger: logger)
            guard let pinned = try rows.first.map(Self.pin) else { throw StoreError.unavailable("the pinned host key vanished") }
            return pinned
        }
    }

    private static func pin(_ row: PostgresRandomAccessRow) throws -> PinnedHostKey {
        PinnedHostKey(
            host: try row["host"].decode(String.self), publicKey: try row["public_key"].decode(String.self),
            fingerprint: try row["fingerprint"].decode(String.self), deploymentID: try row["deployment_id"].decode(String?.self),
            pinnedAt: try row["pinned_at"].decode(Date.self).storeNormalized)
    }

    // MARK: Rows

    private static func requireDeployment(_ connection: PostgresConnection, _ id: String, logger: Logger) async throws -> Deployment {
        let rows = try await Self.rows(
            connection, "SELECT \(unescaped: deploymentColumns) FROM deployments WHERE id = \(id) FOR UPDATE", logger: logger)
        guard let row = rows.first else { throw StoreError.notFound("deployment \(id)") }
        return try deployment(row)
    }

    private static func deployment(_ row: PostgresRandomAccessRow) throws -> Deployment {
        let target = try row["target"].decode(String.self)
        let state = try row["state"].decode(String.self)
        guard let target = DeploymentTarget(rawValue: target), let state = DeploymentState(rawValue: state) else {
            throw StoreError.unavailable("a deployment has an unknown target or state")
        }
        return Deployment(
            id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), spec: try row["spec"].decode(String.self),
            target: target, state: state, createdAt: try row["created_at"].decode(Date.self).storeNormalized,
            updatedAt: try row["updated_at"].decode(Date.self).storeNormalized, expiresAt: try row["expires_at"].decode(Date?.self)?.storeNormalized,
            pricePerHour: try row["price_per_hour"].decode(Double?.self))
    }

    private static func instance(_ row: PostgresRandomAccessRow) throws -> InstanceRecord {
        let provider = try row["provider"].decode(String.self)
        let state = try row["state"].decode(String.self)
        guard let provider = ProviderID(rawValue: provider), let state = InstanceRecordState(rawValue: state) else {
            throw StoreError.unavailable("an instance has an unknown provider or state")
        }
        return InstanceRecord(
            id: try row["id"].decode(String.self), deploymentID: try row["deployment_id"].decode(String?.self), provider: provider,
            region: try row["region"].decode(String.self), providerInstanceID: try row["provider_instance_id"].decode(String.self),
            address: try row["address"].decode(String?.self), sshPort: try row["ssh_port"].decode(Int.self),
            sshUser: try row["ssh_user"].decode(String?.self), hostKey: try row["host_key"].decode(String?.self),
            runtime: try row["runtime"].decode(String?.self).flatMap(WorkloadRuntime.init), replica: try row["replica"].decode(Int?.self),
            publishedPorts: PublishedPortsColumn.decode(try row["published_ports"].decode(String?.self)), state: state,
            createdAt: try row["created_at"].decode(Date.self).storeNormalized, expiresAt: try row["expires_at"].decode(Date?.self)?.storeNormalized)
    }

    private static func event(_ row: PostgresRandomAccessRow) throws -> DeploymentEvent {
        DeploymentEvent(
            sequence: try row["sequence"].decode(Int64.self), deploymentID: try row["deployment_id"].decode(String.self),
            at: try row["at"].decode(Date.self).storeNormalized,
            kind: DeploymentEvent.Kind(rawValue: try row["kind"].decode(String.self)) ?? .note,
            message: try row["message"].decode(String.self))
    }
}
