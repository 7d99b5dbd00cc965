import DeploymentStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// One database per test, so suites run in parallel without sharing state.
public enum PostgresTestDatabase {
    public static func create(base: String) async throws -> PostgresLocation {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin(base) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        var components = try #require(URLComponents(string: base))
        components.path = "/\(name)"
        return try PostgresLocation(url: try #require(components.string))
    }

    public static func drop(_ location: PostgresLocation, base: String) async throws {
        try await admin(base) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)"))
        }
    }

    public static func admin(_ base: String, _ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        let client = PostgresClient(configuration: try PostgresLocation(url: base).configuration, backgroundLogger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(client)
        }
    }
}
