/// The PostgreSQL schema, one migration per version, each a list of single statements (the
/// extended query protocol runs one at a time). Never edit a shipped migration: add the next.
enum PostgresSchema {
    static let migrations: [(version: String, statements: [String])] = [
        (
            "v1-core",
            [
                "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL)",
                """
                CREATE TABLE deployments (
                    id text PRIMARY KEY, name text NOT NULL, spec text NOT NULL, target text NOT NULL,
                    state text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
                    expires_at timestamptz, price_per_hour double precision)
                """,
                "CREATE INDEX deployments_by_name ON deployments (name, created_at)",
                "CREATE INDEX deployments_by_state ON deployments (state)",
                "CREATE UNIQUE INDEX deployments_live_name ON deployments (name) WHERE state <> 'terminated'",
                """
                CREATE TABLE instances (
                    id text PRIMARY KEY, deployment_id text REFERENCES deployments (id), provider text NOT NULL,
                    region text NOT NULL, provider_instance_id text NOT NULL, address text, ssh_port integer NOT NULL,
                    ssh_user text, host_key text, state text NOT NULL, created_at timestamptz NOT NULL,
                    expires_at timestamptz, UNIQUE (provider, provider_instance_id))
                """,
                "CREATE INDEX instances_by_deployment ON instances (deployment_id)",
                """
                CREATE TABLE events (
                    sequence bigserial PRIMARY KEY, deployment_id text NOT NULL REFERENCES deployments (id),
                    at timestamptz NOT NULL, kind text NOT NULL, message text NOT NULL)
                """,
                "CREATE INDEX events_by_deployment ON events (deployment_id, sequence)",
            ]
        ),
        (
            "v2-leases-and-keys",
            [
                """
                CREATE TABLE leases (
                    deployment_id text PRIMARY KEY REFERENCES deployments (id), holder text NOT NULL,
                    token text NOT NULL, expires_at timestamptz NOT NULL)
                """,
                """
                CREATE TABLE ssh_keys (
                    fingerprint text PRIMARY KEY, controller text NOT NULL, public_key text NOT NULL,
                    created_at timestamptz NOT NULL)
                """,
            ]
        ),
        (
            "v3-hosts",
            [
                "DROP INDEX deployments_live_name",
                "CREATE UNIQUE INDEX deployments_live_name ON deployments (name) WHERE state NOT IN ('terminated', 'failed')",
                "ALTER TABLE instances ADD COLUMN runtime text, ADD COLUMN replica integer",
                """
                CREATE TABLE host_claims (
                    host text PRIMARY KEY, deployment_id text NOT NULL REFERENCES deployments (id),
                    claimed_at timestamptz NOT NULL)
                """,
                """
                CREATE TABLE host_keys (
                    host text PRIMARY KEY, public_key text NOT NULL, fingerprint text NOT NULL, deployment_id text,
                    pinned_at timestamptz NOT NULL)
                """,
            ]
        ),
        (
            "v4-lease-renewals",
            [
                "ALTER TABLE leases ADD COLUMN renewed_at timestamptz",
                "UPDATE leases SET renewed_at = expires_at",
                "ALTER TABLE leases ALTER COLUMN renewed_at SET NOT NULL",
            ]
        ),
        ("v5-published-ports", ["ALTER TABLE instances ADD COLUMN published_ports text"]),
    ]

    static var versions: [String] { migrations.map(\.version) }
}
