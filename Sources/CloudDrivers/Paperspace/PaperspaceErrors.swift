import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Paperspace's error answers, `{"message", "code", "details"?}` with tRPC codes (UNAUTHORIZED,
/// NOT_FOUND, BAD_REQUEST, TOO_MANY_REQUESTS…). The document names no code for a machine limit
/// or a type without capacity: those are read from the message.
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
        case "UNAUTHORIZED", "FORBIDDEN": kind = .invalidCredentials
        case "NOT_FOUND": kind = .notFound
        case "TOO_MANY_REQUESTS": kind = .rateLimited(retryAfter: nil)
        case "CONFLICT": kind = .conflict
        case "INTERNAL_SERVER_ERROR", "TIMEOUT", "CLIENT_CLOSED_REQUEST": kind = .transient
        case _ where text.contains("capacity") || text.contains("not available") || text.contains("out of stock"): kind = .noCapacity(.region(""))
        case _ where text.contains("limit") || text.contains("quota") || text.contains("balance"): kind = .quotaExceeded(.provider)
        case "BAD_REQUEST", "PARSE_ERROR", "PRECONDITION_FAILED", "PAYLOAD_TOO_LARGE", "METHOD_NOT_SUPPORTED": kind = .invalidRequest
        default:
            switch response.status {
            case 401, 403: kind = .invalidCredentials
            case 404: kind = .notFound
            case 429: kind = .rateLimited(retryAfter: nil)
            case 500...599: kind = .transient
            default: kind = .invalidRequest
            }
        }
        return ProviderError(kind, provider: .paperspace, operation: request.operation, httpStatus: response.status, message: message)
    }
}
