import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Lium's error answers as typed errors. Its envelope is `{"error": {"code", "message"}}` beside
/// FastAPI's `detail`; `lium-io` maps statuses as here (`_raise_for_status`).
enum LiumErrors {
    struct Failure: Decodable {
        struct Envelope: Decodable {
            var code: String?
            var message: String?
        }

        var error: Envelope?
        var detail: String?
        var message: String?
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = try? JSONDecoder().decode(Failure.self, from: response.body)
        let text = failure?.error?.message ?? failure?.detail ?? failure?.message ?? StatusClassifier.summary(of: response)
        let message = failure?.error?.code.map { "\($0): \(text)" } ?? text
        let code = failure?.error?.code ?? ""
        let kind: ProviderError.Kind
        switch response.status {
        case 401: kind = .invalidCredentials
        case 402: kind = .quotaExceeded(.provider)  // the balance or the key's budget is spent
        case 403 where code == "insufficient_balance" || text.lowercased().contains("insufficient balance"): kind = .quotaExceeded(.provider)
        case 403: kind = .invalidCredentials
        // The executor was rented by someone else between listing and renting: a marketplace race.
        case 404 where request.operation == "executors.rent", 409 where request.operation == "executors.rent": kind = .noCapacity(.region(""))
        case 404: kind = .notFound
        case 409: kind = .conflict
        case 429: kind = .rateLimited(retryAfter: nil)
        case 500...599: kind = .transient
        default: kind = .invalidRequest
        }
        return ProviderError(kind, provider: .lium, operation: request.operation, httpStatus: response.status, message: message)
    }
}
