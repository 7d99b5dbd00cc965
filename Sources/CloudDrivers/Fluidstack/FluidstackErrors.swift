import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Fluidstack's error answers: the document declares 401 `{"message"}` and 422 `{"detail": [{"loc",
/// "msg", "type"}]}` only. Other refusals are read by status, and by message where the status says
/// too little (out of stock, balance) — the document gives them no code.
enum FluidstackErrors {
    struct Failure: Decodable {
        struct Issue: Decodable {
            var loc: [LocationPart]?
            var msg: String
        }

        /// `loc` mixes names and indexes (`["body", "gpu_type"]`, `["body", "volumes", 0]`).
        enum LocationPart: Decodable, CustomStringConvertible {
            case name(String)
            case index(Int)

            init(from decoder: any Decoder) throws {
                let single = try decoder.singleValueContainer()
                if let index = try? single.decode(Int.self) { self = .index(index) } else { self = .name(try single.decode(String.self)) }
            }

            var description: String {
                switch self {
                case .name(let name): name
                case .index(let index): String(index)
                }
            }
        }

        var message: String?
        var error: String?
        var detail: [Issue]?
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let failure = try? JSONDecoder().decode(Failure.self, from: response.body)
        let issues = failure?.detail?.map { issue in (issue.loc.map { $0.map(\.description).joined(separator: ".") + ": " } ?? "") + issue.msg }
        let message = failure?.message ?? failure?.error ?? issues?.joined(separator: "; ") ?? StatusClassifier.summary(of: response)
        let text = message.lowercased()
        let kind: ProviderError.Kind
        switch response.status {
        case 401, 403: kind = .invalidCredentials
        case 402: kind = .quotaExceeded(.provider)
        case 404: kind = .notFound
        case 429: kind = .rateLimited(retryAfter: nil)
        case 500...599: kind = .transient
        // The words count only in an answer of Fluidstack's own shape, never in a proxy's page.
        case _ where failure != nil && (text.contains("out of stock") || text.contains("no capacity")): kind = .noCapacity(.region(""))
        case _ where failure != nil && (text.contains("insufficient balance") || text.contains("insufficient funds")): kind = .quotaExceeded(.provider)
        case 409: kind = .conflict
        case _ where failure != nil && text.contains("already exists"): kind = .conflict
        default: kind = .invalidRequest
        }
        return ProviderError(kind, provider: .fluidstack, operation: request.operation, httpStatus: response.status, message: message)
    }
}
