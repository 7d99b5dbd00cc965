import Foundation
import ProviderTransport
import RemoteProvidersCore

/// What Google's and Azure's identity services have in common: a token answer (`expires_in` a
/// number, or from Azure's metadata service a string), their refusals read as credential errors,
/// and the one plain header a metadata service asks for.
enum IdentityTokens {
    static func token(from response: HTTPResponse, provider: ProviderID) throws -> TokenCache.Token {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        guard let token = object?["access_token"] as? String, !token.isEmpty else {
            throw ProviderError(.invalidCredentials, provider: provider, operation: "token", httpStatus: response.status, message: "the token answer holds no access_token")
        }
        let seconds = (object?["expires_in"] as? Double) ?? (object?["expires_in"] as? String).flatMap(Double.init) ?? 3600
        return TokenCache.Token(value: Secret(token), expires: Date().addingTimeInterval(seconds))
    }

    /// A token service's refusal is a credential error; its outages and 429s are what they are.
    static func refusal(_ provider: ProviderID) -> @Sendable (HTTPResponse, ProviderRequest) -> ProviderError? {
        { response, request in
            let kind: ProviderError.Kind = response.status >= 500 || response.status == 429 ? StatusClassifier.kind(of: response) : .invalidCredentials
            return ProviderError(kind, provider: provider, operation: request.operation, httpStatus: response.status, message: StatusClassifier.summary(of: response))
        }
    }
}

/// A fixed, non-secret header on every request (`Metadata-Flavor: Google`, `Metadata: true`).
struct PlainHeaderSigner: RequestSigner {
    let name: String
    let value: String

    func sign(_ request: inout OutgoingRequest) async throws {
        request.setHeader(name, value)
    }
}
