import Foundation
import ProviderTransport
import RemoteProvidersCore

/// TensorDock's error answers. Its pages document none: the bodies read here are the ones its
/// users report — `{"error": "…"}`, a validation list `[{"code", "message", "path"}]`, and, for a
/// create, HTTP 200 carrying `{"status": 400, "error": "No available nodes found"}` (the driver
/// hands that body here too). Without codes, the kind comes from the status and the message.
enum TensorDockErrors {
    struct Failure: Decodable {
        var error: String?
        var message: String?
        var status: Int?
    }

    struct Issue: Decodable { var message: String }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = try? JSONDecoder().decode(Failure.self, from: response.body)
        let issues = (try? JSONDecoder().decode([Issue].self, from: response.body))?.map(\.message)
        let status = failure?.status ?? response.status
        let message = failure?.error ?? failure?.message ?? issues?.joined(separator: "; ") ?? StatusClassifier.summary(of: response)
        let text = message.lowercased()
        let kind: ProviderError.Kind
        switch status {
        case 401, 403: kind = .invalidCredentials
        case 404: kind = .notFound
        case 409: kind = .conflict
        case 429: kind = .rateLimited(retryAfter: nil)
        case 500...599: kind = .transient
        // The words count only in an answer of TensorDock's own shape, never in a proxy's page.
        case _ where (failure != nil || issues != nil) && (text.contains("no available nodes") || text.contains("out of stock")):
            kind = .noCapacity(.region(""))
        case _ where failure != nil && (text.contains("insufficient balance") || text.contains("minimum balance") || text.contains("insufficient funds")):
            kind = .quotaExceeded(.provider)
        default: kind = .invalidRequest
        }
        return ProviderError(kind, provider: .tensordock, operation: request.operation, httpStatus: response.status, message: message)
    }
}
