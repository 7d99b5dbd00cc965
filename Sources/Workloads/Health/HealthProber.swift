import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import RemoteExecution
import RemoteProvidersCore

/// Where the controller reaches one of a workload's ports: the host's address and the published
/// port, or the local end of an SSH forward.
public typealias PortRoute = @Sendable (_ port: Int) async throws -> (host: String, port: Int)

/// Proves a workload healthy with the spec's probe and timing: HTTP or TCP from the controller,
/// or a command inside the workload.
public struct HealthProber: Sendable {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// One probe: `nil` when healthy, else what failed.
    public func probe(
        _ check: HealthCheck, route: PortRoute, exec: @Sendable ([String], Duration) async throws -> CommandResult
    ) async -> String? {
        let timeout = check.timeout.duration
        do {
            switch check.probe {
            case .http(let path, let port):
                let (host, local) = try await route(port)
                let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(local)\(path)"
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .nanoseconds(Int64(timeout.timeInterval * 1e9)))
                _ = try? await response.body.collect(upTo: 1 << 20)
                return (200..<400).contains(Int(response.status.code)) ? nil : "GET \(path) on port \(port) answered \(response.status.code)"
            case .tcp(let port):
                let (host, local) = try await route(port)
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.nanoseconds(Int64(timeout.timeInterval * 1e9)))
                    .connect(host: host, port: local).get()
                try? await channel.close()
                return nil
            case .command(let argv):
                let result = try await exec(argv, timeout)
                return result.succeeded ? nil : "\(argv.first ?? "command") exited with status \(result.exitStatus)"
            }
        } catch {
            return "\(error)"
        }
    }

    /// Probes until one succeeds. Failures in the start period do not count, and there the probes
    /// come quickly at first (from 100 ms, doubling up to `interval`), so a service that starts in
    /// a moment is seen healthy in a moment; after it, every `interval`, and `retries` failures in
    /// a row are unhealthy. `stopIf` is asked between probes and ends the wait at once when it
    /// returns a reason (the workload exited, say).
    public func waitUntilHealthy(
        _ check: HealthCheck, route: PortRoute, exec: @escaping @Sendable ([String], Duration) async throws -> CommandResult,
        stopIf: @Sendable () async throws -> String? = { nil }
    ) async throws {
        let startEnds = ContinuousClock.now + check.startPeriod.duration
        var failures = 0
        var pause = min(Duration.milliseconds(100), check.interval.duration)
        // `stopIf` asks the host; once a second is enough to notice an exit.
        var nextStopCheck = ContinuousClock.now + .seconds(1)
        while true {
            guard let failure = await probe(check, route: route, exec: exec) else { return }
            if ContinuousClock.now >= startEnds { failures += 1 }
            if failures >= max(check.retries, 1) {
                throw HealthError(message: "unhealthy after \(failures) failed probe\(failures == 1 ? "" : "s") past the start period: \(failure)")
            }
            if ContinuousClock.now >= nextStopCheck {
                if let reason = try await stopIf() { throw HealthError(message: "\(reason) before it was healthy (last probe: \(failure))") }
                nextStopCheck = ContinuousClock.now + .seconds(1)
            }
            let inStart = ContinuousClock.now < startEnds
            try await Task.sleep(for: inStart ? pause : check.interval.duration)
            pause = min(pause * 2, check.interval.duration)
        }
    }
}

/// A workload that never became healthy.
public struct HealthError: CodedError, Sendable {
    public let message: String
    public var code: ErrorCode { .unhealthy }

    public init(message: String) {
        self.message = Redactor.standard.redact(message)
    }
}
