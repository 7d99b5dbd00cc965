import CoreMetrics
import RemoteProvidersCore

/// Per-provider, per-operation call counts and latencies, through swift-metrics.
///
/// - `blueprint_remote_http_attempts_total{provider,operation,status}`: every attempt, `status` the
///   HTTP code or `error`;
/// - `blueprint_remote_http_attempt_duration_seconds{provider,operation}`: each attempt's latency;
/// - `blueprint_remote_provider_calls_total{provider,operation,outcome}`: whole calls, retries
///   included, `outcome` `success` or an error code.
struct TransportMetrics: Sendable {
    static let attempts = "blueprint_remote_http_attempts_total"
    static let attemptDuration = "blueprint_remote_http_attempt_duration_seconds"
    static let calls = "blueprint_remote_provider_calls_total"

    let factory: any MetricsFactory

    func attempt(provider: ProviderID, operation: String, status: Int?, duration: Duration) {
        let dimensions = [("provider", provider.rawValue), ("operation", operation)]
        Counter(label: Self.attempts, dimensions: dimensions + [("status", status.map(String.init) ?? "error")], factory: factory)
            .increment()
        Timer(label: Self.attemptDuration, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(duration.timeInterval * 1e9))
    }

    func call(provider: ProviderID, operation: String, outcome: String) {
        Counter(
            label: Self.calls,
            dimensions: [("provider", provider.rawValue), ("operation", operation), ("outcome", outcome)],
            factory: factory
        ).increment()
    }
}
