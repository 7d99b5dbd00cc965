import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Vast.ai's error answers (`{"success": false, "error", "msg"}`, or FastAPI's `{"detail"}` on most
/// 429s) as typed errors. An offer taken between search and rent answers 404 or 410 with
/// `no_such_ask`: a marketplace race, so a no-capacity error and the next offer.
enum VastErrors {
    struct Failure: Decodable {
        var error: String?
        var msg: String?
        var detail: String?
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = try? JSONDecoder().decode(Failure.self, from: response.body)
        let text = failure?.msg ?? failure?.detail ?? StatusClassifier.summary(of: response)
        let message = failure?.error.map { "\($0): \(text)" } ?? text
        let words = "\(failure?.error ?? "") \(text)".lowercased()
        let kind: ProviderError.Kind
        switch response.status {
        case _ where words.contains("no_such_ask"): kind = .noCapacity(.region(""))
        case 401, 403: kind = .invalidCredentials
        case 402: kind = .quotaExceeded(.provider)
        case 400 where words.contains("balance") || words.contains("credit"): kind = .quotaExceeded(.provider)
        // The document answers a bad key on search with 404 "Invalid user key".
        case 404 where words.contains("user key") || words.contains("auth_error"): kind = .invalidCredentials
        case 404, 410: kind = request.operation == "asks.create" ? .noCapacity(.region("")) : .notFound
        case 429:
            let reset = response.header("X-RateLimit-Reset").flatMap(Double.init).map { max(0, min($0 - Date().timeIntervalSince1970, 60)) }
            kind = .rateLimited(retryAfter: reset)
        case 500...599: kind = .transient
        default: kind = .invalidRequest
        }
        return ProviderError(kind, provider: .vastai, operation: request.operation, httpStatus: response.status, message: message)
    }
}
