/// The stable error codes `--json` prints as `{"error": {"code": …}}`.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    case usage
    case validation
    case credentials
    case notFound = "not_found"
    case noCapacity = "no_capacity"
    case quota
    case rateLimited = "rate_limited"
    case provider
    case ssh
    case hostKeyMismatch = "host_key_mismatch"
    case timeout
    case unhealthy
    case budget
    case conflict
    case unsupported
    /// Stopped by SIGINT or SIGTERM (what it made was cleaned up, or left recorded for `gc`).
    case interrupted
    case `internal`
}

/// An error that knows its stable code and, where it has one, the input field at fault.
/// Its `message` is safe to show: already free of secrets.
public protocol CodedError: Error, CustomStringConvertible {
    var code: ErrorCode { get }
    var field: String? { get }
    var message: String { get }
}

extension CodedError {
    public var field: String? { nil }
    public var description: String { message }
}
