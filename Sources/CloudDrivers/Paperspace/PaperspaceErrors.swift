import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Paperspace's error answers, `{"message", "code", "details"?}` with tRPC codes (UNAUTHORIZED,
/// NOT_FOUND, BAD_REQUEST, TOO_MANY_REQUESTS…). The document names no code for a machine limit
/// or a type without capacity: those are read from the message of a decoded 4xx answer (a 429 or
/// 5xx is what its status says, whatever its page reads).
enum PaperspaceErrors {
    struct Failure: Decodable {
        var message: String
        var code: String
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = try? JSONDecoder().decode(Failure.self, from: response.body)
        let message = failure.map { "\($0.code): \($0.message)" } ?? StatusClassifier.summary(of: response)
        let text = message.lowercased()
        let kind: ProviderError.Kind
        switch failure?.code {
        case _ where response.status == 429: kind = .rateLimited(retryAfter: nil)
        case _ where response.status >= 500: kind = .transient
        case "UNAUTHORIZED", "FORBIDDEN": kind = .invalidCredentials
        case "NOT_FOUND": kind = .notFound
        case "TOO_MANY_REQUESTS": kind = .rateLimited(retryAfter: nil)
        case "CONFLICT": kind = .conflict
        case "INTERNAL_SERVER_ERROR", "TIMEOUT", "CLIENT_CLOSED_REQUEST": kind = .transient
        case _? where text.contains("out of capacity") || text.contains("no capacity") || text.contains("not available in"): kind = .noCapacity(.region(""))
        case _? where text.contains("machine limit") || text.contains("quota") || text.contains("insufficient balance"): kind = .quotaExceeded(.provider)
        case _?: kind = .invalidRequest
        case nil: kind = StatusClassifier.kind(of: response)
        }
        return ProviderError(kind, provider: .paperspace, operation: request.operation, httpStatus: response.status, message: message)
    }
}
