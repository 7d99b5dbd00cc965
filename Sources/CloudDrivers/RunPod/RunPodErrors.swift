import Foundation
import ProviderTransport
import RemoteProvidersCore

/// RunPod's problem answers (`{"title", "status", "detail", "errors"}`, RFC 9457) as typed errors.
/// The document names no code for sold-out GPUs or an empty balance; RunPod says them in `detail`
/// ("There are no longer any instances available with the requested specifications", "insufficient
/// balance"), so those are told apart by their words.
enum RunPodErrors {
    struct Problem: Decodable {
        var title: String?
        var detail: String?
        var errors: [String]?
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let problem = try? JSONDecoder().decode(Problem.self, from: response.body)
        let detail = problem?.detail ?? problem?.title ?? StatusClassifier.summary(of: response)
        let message = ([detail] + (problem?.errors ?? [])).joined(separator: "; ")
        let words = detail.lowercased()
        let kind: ProviderError.Kind
        if words.contains("no longer any instances available") || words.contains("no instances available") || words.contains("not enough capacity") {
            kind = .noCapacity(.region(""))
        } else if words.contains("insufficient balance") || words.contains("insufficient funds") || words.contains("limit") && response.status == 403 {
            kind = .quotaExceeded(.provider)
        } else {
            kind = StatusClassifier.kind(of: response)
        }
        return ProviderError(kind, provider: .runpod, operation: request.operation, httpStatus: response.status, message: message)
    }
}
