import GRDB

/// The SQLite schema, one migration per version. Never edit a shipped migration: add the next.
enum SQLiteSchema {
    static let versions = ["v1-core", "v2-leases-and-keys", "v3-hosts", "v4-lease-renewals", "v5-published-ports"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE deployments (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    spec TEXT NOT NULL,
                    target TEXT NOT NULL,
                    state TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    expires_at REAL,
                    price_per_hour REAL
                );
                CREATE INDEX deployments_by_name ON deployments (name, created_at);
                CREATE INDEX deployments_by_state ON deployments (state);
                CREATE UNIQUE INDEX deployments_live_name ON deployments (name) WHERE state <> 'terminated';
                CREATE TABLE instances (
                    id TEXT PRIMARY KEY NOT NULL,
                    deployment_id TEXT REFERENCES deployments (id),
                    provider TEXT NOT NULL,
                    region TEXT NOT NULL,
                    provider_instance_id TEXT NOT NULL,
                    address TEXT,
                    ssh_port INTEGER NOT NULL,
                    ssh_user TEXT,
                    host_key TEXT,
                    state TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL,
                    UNIQUE (provider, provider_instance_id)
                );
                CREATE INDEX instances_by_deployment ON instances (deployment_id);
                CREATE TABLE events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    deployment_id TEXT NOT NULL REFERENCES deployments (id),
                    at REAL NOT NULL,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                CREATE INDEX events_by_deployment ON events (deployment_id, sequence);
                """)
        }
        migrator.registerMigration("v2-leases-and-keys") { db in
            try db.execute(sql: """
                CREATE TABLE leases (
                    deployment_id TEXT PRIMARY KEY NOT NULL REFERENCES deployments (id),
                    holder TEXT NOT NULL,
                    token TEXT NOT NULL,
                    expires_at REAL NOT NULL
                );
                CREATE TABLE ssh_keys (
                    fingerprint TEXT PRIMARY KEY NOT NULL,
                    controller TEXT NOT NULL,
                    public_key TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-hosts") { db in
            try db.execute(sql: """
                DROP INDEX deployments_live_name;
                CREATE UNIQUE INDEX deployments_live_name ON deployments (name) WHERE state NOT IN ('terminated', 'failed');
                ALTER TABLE instances ADD COLUMN runtime TEXT;
                ALTER TABLE instances ADD COLUMN replica INTEGER;
                CREATE TABLE host_claims (
                    host TEXT PRIMARY KEY NOT NULL,
                    deployment_id TEXT NOT NULL REFERENCES deployments (id),
                    claimed_at REAL NOT NULL
                );
                CREATE TABLE host_keys (
                    host TEXT PRIMARY KEY NOT NULL,
                    public_key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    deployment_id TEXT,
                    pinned_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4-lease-renewals") { db in
            try db.execute(sql: "ALTER TABLE leases ADD COLUMN renewed_at REAL NOT NULL DEFAULT 0")
            try db.execute(sql: "UPDATE leases SET renewed_at = expires_at")
        }
        migrator.registerMigration("v5-published-ports") { db in
            try db.execute(sql: "ALTER TABLE instances ADD COLUMN published_ports TEXT")
        }
        return migrator
    }
}
