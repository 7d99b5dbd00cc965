import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Azure Resource Manager's errors, `{"error": {"code", "message", "details"}}`, by code: a size
/// not offered or not allocatable in the region is no capacity there (`SkuNotAvailable`,
/// `AllocationFailed`, `ZonalAllocationFailed`, `Overconstrained…` — the last ones arrive through
/// the async operation); a quota is `OperationNotAllowed` "…exceeding approved … quota" or
/// `QuotaExceeded`.
enum AzureErrors {
    struct Failure: Decodable {
        struct Body: Decodable {
            var code: String
            var message: String?
            var details: [Body]?
        }
        var error: Body
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        guard let failure = (try? JSONDecoder().decode(Failure.self, from: response.body))?.error else {
            return ProviderError(StatusClassifier.kind(of: response), provider: .azure, operation: request.operation, httpStatus: response.status, message: StatusClassifier.summary(of: response))
        }
        return error(failure, status: response.status, operation: request.operation)
    }

    static func error(_ failure: Failure.Body, status: Int?, operation: String?) -> ProviderError {
        // A wrapper (`ResourceOperationFailure`, `DeploymentFailed`) names the real cause in its details.
        let cause = failure.details?.first { kind($0.code, $0.message ?? "", status: nil) != nil } ?? failure
        let message = "\(cause.code): \(cause.message ?? failure.message ?? "")"
        return ProviderError(
            kind(cause.code, cause.message ?? "", status: status) ?? fallback(status), provider: .azure, operation: operation, httpStatus: status, message: message)
    }

    static func kind(_ code: String, _ message: String, status: Int?) -> ProviderError.Kind? {
        switch code {
        case "SkuNotAvailable", "AllocationFailed", "ZonalAllocationFailed", "OverconstrainedAllocationRequest", "OverconstrainedZonalAllocationRequest":
            return .noCapacity(.region(""))
        case "QuotaExceeded": return .quotaExceeded(quotaScope(message))
        case "OperationNotAllowed" where message.contains("quota"): return .quotaExceeded(quotaScope(message))
        case "AuthenticationFailed", "InvalidAuthenticationToken", "InvalidAuthenticationTokenTenant", "AuthorizationFailed", "ExpiredAuthenticationToken":
            return .invalidCredentials
        case "ResourceNotFound", "ResourceGroupNotFound", "NotFound": return .notFound
        case "TooManyRequests": return .rateLimited(retryAfter: nil)
        case "Conflict", "AnotherOperationInProgress", "OperationPreempted": return .conflict
        case "InternalServerError", "InternalExecutionError", "ServerTimeout": return .transient
        default: return status.map { _ in nil } ?? nil
        }
    }

    static func fallback(_ status: Int?) -> ProviderError.Kind {
        StatusClassifier.kind(of: HTTPResponse(status: status ?? 400))
    }

    /// "… Location: eastus, Current Limit: …" covers that region; without one, the subscription.
    static func quotaScope(_ message: String) -> FailureScope {
        guard let range = message.range(of: "Location: ") else { return .provider }
        let region = message[range.upperBound...].prefix { $0.isLetter || $0.isNumber }
        return region.isEmpty ? .provider : .region(String(region))
    }
}
