import Foundation
import Logging
import RemoteProviders

/// The drivers one command uses, one per provider and region, over one HTTP transport that is
/// shut down when the command ends.
actor CloudSession {
    let environment: Environment
    let transport: HTTPTransport
    private var drivers: [String: any CloudDriver] = [:]

    init(environment: Environment) throws {
        self.environment = environment
        transport = try HTTPTransport(configuration: TransportConfiguration(environment: environment))
    }

    /// `region` nil: the driver's own default (for AWS, AWS_REGION or the config file).
    func driver(_ provider: ProviderID, _ region: String?) throws -> any CloudDriver {
        let key = "\(provider)|\(region ?? "")"
        if let known = drivers[key] { return known }
        let made = try DriverRegistry.standard.driver(
            for: provider, context: DriverContext(environment: environment, transport: transport, region: region, logger: Logger(label: "blueprint-remote")))
        drivers[key] = made
        return made
    }

    /// Runs `body` with a session, shutting its transport down however `body` ends.
    static func with<T: Sendable>(_ environment: Environment, _ body: @Sendable (CloudSession) async throws -> T) async throws -> T {
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

    /// The orchestrator's way to its drivers.
    nonisolated var source: DriverSource { { try await self.driver($0, $1) } }
}

extension ProviderID {
    /// The bring-your-own pools: hosts handed out, not bought.
    var isPool: Bool { self == .ssh || self == .local }
}
