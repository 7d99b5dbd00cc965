import CloudFakes
import CoreMetrics
import Foundation
import Logging
import ProviderTransport
import RemoteProvidersCore
import Testing

@testable import CloudDrivers

/// Runs `body` with `api` served on a loopback port and `provider`'s driver pointed at it (the
/// variables `environment` gives for the fake's base URL), then checks every exchange against the
/// provider's document and shuts both down however `body` ended.
func withFakeDriver<API: FakeAPI>(
    _ api: API, provider: ProviderID, environment: (URL) -> [String: String], metrics: (any MetricsFactory)? = nil,
    _ body: (any CloudDriver, CloudFake<API>) async throws -> Void
) async throws {
    let fake = try await CloudFake(api)
    let transport = try HTTPTransport(
        configuration: TransportConfiguration(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))), metricsFactory: metrics)
    do {
        let driver = try DriverRegistry.standard.driver(
            for: provider, context: DriverContext(environment: Environment(environment(fake.baseURL)), transport: transport, logger: Logger(label: "test")))
        try await body(driver, fake)
        if let violations = try await fake.contractViolations() { #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))") }
    } catch {
        try? await transport.shutdown()
        try? await fake.shutdown()
        throw error
    }
    try await transport.shutdown()
    try await fake.shutdown()
}
