import Foundation
import Logging
import ProviderTransport
import RemoteProvidersCore

/// The drivers one command uses, one per provider and region, over one HTTP transport that is
/// shut down when the command ends.
public actor CloudSession {
    public let environment: Environment
    public let transport: HTTPTransport
    let registry: DriverRegistry
    private var drivers: [String: any CloudDriver] = [:]

    public init(environment: Environment, registry: DriverRegistry = .standard) throws {
        try self.init(environment: environment, transport: HTTPTransport(configuration: TransportConfiguration(environment: environment)), registry: registry)
    }

    /// Over a transport the caller made (and shuts down).
    public init(environment: Environment, transport: HTTPTransport, registry: DriverRegistry = .standard) {
        self.environment = environment
        self.transport = transport
        self.registry = registry
    }

    /// `region` nil: the driver's own default (for AWS, AWS_REGION or the config file).
    public func driver(_ provider: ProviderID, _ region: String?) throws -> any CloudDriver {
        let key = "\(provider)|\(region ?? "")"
        if let known = drivers[key] { return known }
        let made = try registry.driver(
            for: provider, context: DriverContext(environment: environment, transport: transport, region: region, logger: Logger(label: "blueprint-remote")))
        drivers[key] = made
        return made
    }

    /// Runs `body` with a session, shutting its transport down however `body` ends.
    public static func with<T: Sendable>(_ environment: Environment, _ body: @Sendable (CloudSession) async throws -> T) async throws -> T {
        let session = try CloudSession(environment: environment)
        do {
            let result = try await body(session)
            try await session.transport.shutdown()
            return result
        } catch {
            try? await session.transport.shutdown()
            throw error
        }
    }

    /// The orchestrator's way to its drivers (its `DriverSource`).
    public nonisolated var source: @Sendable (ProviderID, String?) async throws -> any CloudDriver { { try await self.driver($0, $1) } }
}
