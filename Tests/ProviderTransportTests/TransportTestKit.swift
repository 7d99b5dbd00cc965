import CoreMetrics
import Foundation
import Logging
import ProviderTransport
import RemoteProvidersCore
import Synchronization
import TestSupport

/// A transport with short backoffs so retry tests take milliseconds, not seconds.
func makeTransport(
    retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
    logger: Logger = Logger(label: "test"), metrics: (any MetricsFactory)? = nil
) throws -> HTTPTransport {
    try HTTPTransport(
        configuration: TransportConfiguration(retry: retry, requestTimeout: .seconds(10)), logger: logger,
        metricsFactory: metrics)
}

/// Runs `body` with a transport and a test server, shutting both down after.
func withServer<T>(
    transport: HTTPTransport? = nil, handler: @escaping TestHTTPServer.Handler,
    _ body: (TestHTTPServer, HTTPTransport) async throws -> T
) async throws -> T {
    let server = try await TestHTTPServer(handler: handler)
    let transport = try transport ?? makeTransport()
    do {
        let result = try await body(server, transport)
        try await transport.shutdown()
        try await server.shutdown()
        return result
    } catch {
        try? await transport.shutdown()
        try? await server.shutdown()
        throw error
    }
}

/// A counter shared between a test and its server's handler.
final class Counter: Sendable {
    private let value = Mutex(0)
    /// Returns the new value.
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var current: Int { value.withLock { $0 } }
}

/// Collects every log line (message and metadata) a logger emits, after the redacting wrapper.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        var logger = Logger(label: "captured") { _ in RedactingLogHandler(CapturingHandler(log: self)) }
        logger.logLevel = .trace
        return logger
    }

    private struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
        }
    }
}
