import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Compute Engine's errors: an HTTP answer `{"error": {"code", "message", "errors": [{"reason",
/// "domain", "message"}]}}` read by reason, and an operation that ended with `error.errors[].code`
/// (capacity arrives so: `ZONE_RESOURCE_POOL_EXHAUSTED`, after the insert was accepted).
enum GCEErrors {
    struct Failure: Decodable {
        struct Body: Decodable {
            struct Reason: Decodable {
                var reason: String?
                var message: String?
            }
            var code: Int?
            var message: String?
            var errors: [Reason]?
        }
        var error: Body
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = (try? JSONDecoder().decode(Failure.self, from: response.body))?.error
        let reason = failure?.errors?.first?.reason
        let message = failure?.message.map { m in reason.map { "\($0): \(m)" } ?? m } ?? StatusClassifier.summary(of: response)
        let kind: ProviderError.Kind
        switch reason {
        case "quotaExceeded", "QUOTA_EXCEEDED": kind = .quotaExceeded(quotaScope(message))
        case "rateLimitExceeded", "userRateLimitExceeded": kind = .rateLimited(retryAfter: nil)
        case "alreadyExists": kind = .conflict
        case "notFound": kind = .notFound
        case "insufficientCapacity", "ZONE_RESOURCE_POOL_EXHAUSTED", "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS": kind = .noCapacity(.region(""))
        case "forbidden", "accessNotConfigured", "authError", "required": kind = response.status == 401 || response.status == 403 ? .invalidCredentials : .invalidRequest
        default: kind = StatusClassifier.kind(of: response)
        }
        return ProviderError(kind, provider: .gcp, operation: request.operation, httpStatus: response.status, message: message)
    }

    /// An operation that ended in error, in `zone`.
    static func operation(_ op: GCEWire.Operation, zone: String?, operation: String) -> ProviderError {
        let item = op.error?.errors?.first
        let code = item?.code ?? "UNKNOWN"
        let message = "\(code): \(item?.message ?? op.httpErrorMessage ?? "the operation failed")"
        let kind: ProviderError.Kind
        switch code {
        case "ZONE_RESOURCE_POOL_EXHAUSTED", "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS", "RESOURCE_POOL_EXHAUSTED":
            kind = .noCapacity(zone.map(FailureScope.zone) ?? .region(""))
        case "QUOTA_EXCEEDED": kind = .quotaExceeded(quotaScope(message))
        case "RESOURCE_NOT_FOUND", "RESOURCE_ALREADY_EXISTS": kind = code == "RESOURCE_ALREADY_EXISTS" ? .conflict : .notFound
        default:
            kind = (op.httpErrorStatusCode ?? 0) >= 500 ? .transient : .invalidRequest
        }
        return ProviderError(kind, provider: .gcp, operation: operation, httpStatus: op.httpErrorStatusCode, message: message)
    }

    /// "Quota 'CPUS' exceeded. Limit: 24.0 in region us-central1." covers that region; "… globally." the project.
    static func quotaScope(_ message: String) -> FailureScope {
        guard let range = message.range(of: "in region ") else { return .provider }
        let region = message[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        return region.isEmpty ? .provider : .region(String(region))
    }
}
