import Foundation
import PostgresNIO
import RemoteProvidersCore

/// Where the state lives: `BLUEPRINT_REMOTE_STATE` is a file path (SQLite) or a `postgres://` URL;
/// unset, `~/.local/state/blueprint-remote/state.sqlite` (or under `$XDG_STATE_HOME`).
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public static let variable = "BLUEPRINT_REMOTE_STATE"

    public static func resolve(_ environment: Environment) throws -> StoreLocation {
        guard let value = environment[variable] else {
            return .sqlite(path: "\(localStateDirectory(environment))/state.sqlite")
        }
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation(url: value))
        }
        if value.contains("://") {
            throw StoreError.invalidLocation("\(variable) must be a file path or a postgres:// URL")
        }
        return .sqlite(path: value)
    }

    /// This controller's own state folder (its SSH key lives here even when the store is shared).
    public static func localStateDirectory(_ environment: Environment) -> String {
        let base = environment["XDG_STATE_HOME"] ?? "\(environment["HOME"] ?? NSHomeDirectory())/.local/state"
        return "\(base)/blueprint-remote"
    }

    /// For messages: the path, or the database URL without its password.
    public var displayName: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.displayName
        }
    }
}

/// A PostgreSQL database from a `postgres://user:password@host:port/database?sslmode=…` URL.
public struct PostgresLocation: Sendable, Equatable {
    public let host: String
    public let port: Int
    public let username: String
    public let password: Secret?
    public let database: String
    /// `disable`, `prefer` (the default, as libpq) or `require`.
    public let sslMode: String

    public init(url: String) throws {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw StoreError.invalidLocation("BLUEPRINT_REMOTE_STATE is not a valid postgres:// URL")
        }
        self.host = host
        port = components.port ?? 5432
        username = components.user ?? "postgres"
        password = components.password.map { Secret($0.removingPercentEncoding ?? $0) }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(mode) else {
            throw StoreError.invalidLocation("BLUEPRINT_REMOTE_STATE sslmode must be disable, prefer or require")
        }
        sslMode = mode
    }

    public var displayName: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    public var configuration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode {
            case "disable": .disable
            case "require": .require(.makeClientConfiguration())
            default: .prefer(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password?.revealed, database: database, tls: tls)
        configuration.options.maximumConnections = 8
        return configuration
    }
}

/// Opens the configured store for the length of `body`.
public enum StoreOpener {
    public static func withStore<T: Sendable>(
        _ environment: Environment, _ body: @Sendable (any DeploymentStore) async throws -> T
    ) async throws -> T {
        switch try StoreLocation.resolve(environment) {
        case .sqlite(let path):
            return try await body(try SQLiteStore(path: path))
        case .postgres(let location):
            return try await PostgresStore.withStore(location) { try await body($0) }
        }
    }
}
