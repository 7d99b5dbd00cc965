import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Hetzner's error answers (`{"error": {"code", "message", "details"}}`) as typed errors, by the
/// documented codes (docs.hetzner.cloud, "Errors").
enum HetznerErrors {
    struct Failure: Decodable {
        struct Body: Decodable {
            var code: String
            var message: String
        }

        var error: Body
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = (try? JSONDecoder().decode(Failure.self, from: response.body))?.error
        let message = failure.map { "\($0.code): \($0.message)" } ?? StatusClassifier.summary(of: response)
        let kind: ProviderError.Kind
        switch failure?.code {
        case "unauthorized", "forbidden", "token_readonly": kind = .invalidCredentials
        case "not_found": kind = .notFound
        // The server type cannot be placed in this location now; another location may have it.
        case "resource_unavailable", "placement_error": kind = .noCapacity(.region(""))
        case "resource_limit_exceeded": kind = .quotaExceeded(.provider)
        case "rate_limit_exceeded":
            // `RateLimit-Reset` is when the bucket is full again, as a UNIX time.
            let reset = response.header("RateLimit-Reset").flatMap(Double.init).map { max(0, min($0 - Date().timeIntervalSince1970, 60)) }
            kind = .rateLimited(retryAfter: reset)
        case "uniqueness_error", "resource_in_use": kind = .conflict
        case "conflict", "locked", "maintenance", "timeout", "server_error", "service_error", "unavailable": kind = .transient
        case "invalid_input", "json_error", "protected", "server_not_stopped", "deprecated_api_endpoint": kind = .invalidRequest
        default: kind = StatusClassifier.kind(of: response)
        }
        return ProviderError(kind, provider: .hetzner, operation: request.operation, httpStatus: response.status, message: message)
    }
}
