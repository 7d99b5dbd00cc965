import Foundation
import ProviderTransport
import RemoteProvidersCore

/// A bearer token from an identity service (Google's token endpoint or metadata server, Azure's
/// login or managed identity), reused until a minute before it expires; callers that ask while it
/// is being fetched share that one fetch.
actor TokenCache {
    struct Token: Sendable {
        var value: Secret
        var expires: Date
    }

    private let fetch: @Sendable () async throws -> Token
    private var current: Token?
    private var fetching: Task<Token, any Error>?
    /// A token with less left than this is renewed first.
    static let margin: TimeInterval = 60

    init(fetch: @escaping @Sendable () async throws -> Token) {
        self.fetch = fetch
    }

    /// A token given as it is (`GCP_ACCESS_TOKEN`, `AZURE_ACCESS_TOKEN`): never renewed.
    init(fixed token: Secret) {
        self.init(fetch: { Token(value: token, expires: .distantFuture) })
    }

    func token() async throws -> Secret {
        if let current, current.expires.timeIntervalSinceNow > Self.margin { return current.value }
        if let fetching { return try await fetching.value.value }
        let task = Task { try await fetch() }
        fetching = task
        do {
            let token = try await task.value
            current = token
            fetching = nil
            return token.value
        } catch {
            fetching = nil
            throw error
        }
    }
}

/// `Authorization: Bearer <token>`, the token from a `TokenCache`.
struct CachedBearerSigner: RequestSigner {
    let tokens: TokenCache

    func sign(_ request: inout OutgoingRequest) async throws {
        request.setHeader("Authorization", "Bearer \(try await tokens.token().revealed)")
    }
}
