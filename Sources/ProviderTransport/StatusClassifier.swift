import Foundation
import RemoteProvidersCore

/// The default reading of an HTTP error status, for providers whose driver adds nothing better:
/// 408/5xx transient, 429 rate limited, 401/403 credentials, 404 not found, 409 conflict, other 4xx
/// invalid.
public enum StatusClassifier {
    public static func error(for response: HTTPResponse, provider: ProviderID, operation: String) -> ProviderError {
        ProviderError(kind(of: response), provider: provider, operation: operation, httpStatus: response.status, message: summary(of: response))
    }

    /// What the status alone says; drivers fall back to it where the provider's own words are silent.
    public static func kind(of response: HTTPResponse) -> ProviderError.Kind {
        switch response.status {
        case 401, 403: .invalidCredentials
        case 404: .notFound
        case 408: .timeout
        case 409: .conflict
        case 429: .rateLimited(retryAfter: response.header("Retry-After").flatMap { RetryAfter.parse($0) }?.timeInterval)
        case 500...599: .transient
        default: .invalidRequest
        }
    }

    /// The provider's own words when its error body has them (`message`, `error`, `detail`), else the
    /// start of the body; redacted by `ProviderError`.
    public static func summary(of response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            for key in ["message", "error_message", "detail", "error", "errors"] {
                if let text = object[key] as? String { return text }
                if let nested = object[key] as? [String: Any], let text = nested["message"] as? String { return text }
            }
        }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "HTTP \(response.status)" }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
