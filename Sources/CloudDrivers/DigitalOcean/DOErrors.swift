import Foundation
import ProviderTransport
import RemoteProvidersCore

/// DigitalOcean's error answers (`{"id", "message"}`) as typed errors. Its 422s are told apart by
/// their words: the document lists none, the API sends them for limits and sold-out sizes.
enum DOErrors {
    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let operation = request.operation
        let failure = try? JSONDecoder().decode(DOWire.Failure.self, from: response.body)
        let message = failure.map { "\($0.id): \($0.message)" } ?? StatusClassifier.summary(of: response)
        let words = (failure?.message ?? "").lowercased()
        let kind: ProviderError.Kind
        switch response.status {
        case 401, 403: kind = .invalidCredentials
        case 404: kind = .notFound
        case 429:
            // `ratelimit-reset` is when the oldest request of the hour leaves the window.
            let reset = response.header("ratelimit-reset").flatMap(Double.init).map { max(0, min($0 - Date().timeIntervalSince1970, 60)) }
            kind = .rateLimited(retryAfter: reset)
        case 422 where words.contains("limit"): kind = .quotaExceeded(.provider)
        case 422 where words.contains("not available") || words.contains("unavailable"): kind = .noCapacity(.region(""))
        case 409: kind = .conflict
        case 500...599: kind = .transient
        default: kind = .invalidRequest
        }
        return ProviderError(kind, provider: .digitalocean, operation: operation, httpStatus: response.status, message: message)
    }
}
