import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Lambda's error answers (`{"error": {"code", "message", "suggestion"}}`) as typed errors, by the
/// documented codes — the document asks clients to read `code`, never `message`.
enum LambdaErrors {
    struct Failure: Decodable {
        struct Body: Decodable {
            var code: String
            var message: String
            var suggestion: String?
        }

        var error: Body
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = (try? JSONDecoder().decode(Failure.self, from: response.body))?.error
        let message = failure.map { "\($0.code): \($0.message)" + ($0.suggestion.map { " (\($0))" } ?? "") } ?? StatusClassifier.summary(of: response)
        let kind: ProviderError.Kind
        switch failure?.code {
        // Lambda's 429 (launches faster than one per 12 s) carries no code of its own.
        case _ where response.status == 429: kind = .rateLimited(retryAfter: nil)
        case "global/invalid-api-key", "global/account-inactive": kind = .invalidCredentials
        case "global/object-does-not-exist": kind = .notFound
        // The type cannot be placed in this region now; the driver asks where it can (scope).
        case "instance-operations/launch/insufficient-capacity": kind = .noCapacity(.region(""))
        case "global/quota-exceeded": kind = .quotaExceeded(.provider)
        case "global/duplicate", "ssh-keys/key-in-use", "firewall-rulesets/firewall-ruleset-in-use", "filesystems/filesystem-in-use": kind = .conflict
        case "global/invalid-parameters", "global/invalid-address", "instance-operations/launch/file-system-in-wrong-region": kind = .invalidRequest
        case "global/internal-error", "global/unknown": kind = .transient
        case let code? where code.hasPrefix("provider/"): kind = .transient  // an upstream outage, per the document
        default: kind = StatusClassifier.kind(of: response)
        }
        return ProviderError(kind, provider: .lambda, operation: request.operation, httpStatus: response.status, message: message)
    }
}
