import Foundation
import Logging
import PostgresNIO
import RemoteProvidersCore
import TestSupport
import Testing

@testable import DeploymentStore

/// The two real stores every conformance test runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}


/// Runs `body` against a new, empty store of `backend`; `body` gets a way to open a second,
/// independent connection to the same store (another controller).
func withFreshStore(
    _ backend: Backend, migratingUpTo version: String? = nil,
    _ body: @Sendable (any DeploymentStore, _ second: StoreHandle) async throws -> Void
) async throws {
    switch backend {
    case .sqlite:
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state/state.sqlite").path
        let store = try SQLiteStore(path: path, migratingUpTo: version)
        try await body(store, StoreHandle(location: .sqlite(path: path)))
    case .postgres:
        guard let base = requiredService("BLUEPRINT_TEST_POSTGRES_URL", "PostgreSQL") else { return }
        let location = try await PostgresTestDatabase.create(base: base)
        try await PostgresStore.withStore(location, migratingUpTo: version) { store in
            try await body(store, StoreHandle(location: .postgres(location)))
        }
        try await PostgresTestDatabase.drop(location, base: base)
    }
}

/// Opens the same store again, as a second controller would.
struct StoreHandle: Sendable {
    let location: StoreLocation

    func withStore<T: Sendable>(migratingUpTo version: String? = nil, _ body: @Sendable (any DeploymentStore) async throws -> T)
        async throws -> T
    {
        switch location {
        case .sqlite(let path): return try await body(try SQLiteStore(path: path, migratingUpTo: version))
        case .postgres(let location): return try await PostgresStore.withStore(location, migratingUpTo: version) { try await body($0) }
        }
    }
}

extension PostgresTestDatabase {
    /// Every text the database holds in the tables that could carry a secret.
    static func allText(_ location: PostgresLocation) async throws -> String {
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: Logger(label: "test"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            var text = ""
            for query in [
                "SELECT spec FROM deployments", "SELECT message FROM events", "SELECT value FROM meta",
                "SELECT coalesce(host_key, '') FROM instances",
            ] {
                for try await (value) in try await client.query(PostgresQuery(unsafeSQL: query)).decode(String.self) {
                    text += value + "\n"
                }
            }
            return text
        }
    }
}

/// A small valid spec with a name.
func sampleSpec(_ name: String = "web", secret: String? = nil) throws -> ServiceSpec {
    var text = "name: \(name)\nimage: localhost/web:1\nports: [\"8080\"]\nallowed_cidrs: [127.0.0.0/8]\nenv: {MODE: \"a\\nb\"}"
    if let secret { text += "\nsecrets: {API_TOKEN: \"\(secret)\"}" }
    return try ServiceSpec.load(text).spec
}

func newDeployment(_ store: any DeploymentStore, _ name: String = "web-\(UUID().uuidString.prefix(8).lowercased())") async throws
    -> Deployment
{
    try await store.createDeployment(NewDeployment(name: name, spec: try sampleSpec(name), expiresAt: Date().addingTimeInterval(3600)))
}
