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
    /// A fixed token is never fetched again, so a refusal cannot be mended.
    private let renewable: Bool
    private var current: Token?
    private var renewedAfterRefusal: Date?
    private var fetching: Task<Token, any Error>?
    /// A token with less left than this is renewed first.
    static let margin: TimeInterval = 60

    init(fetch: @escaping @Sendable () async throws -> Token) {
        self.fetch = fetch
        renewable = true
    }

    /// A token given as it is (`GCP_ACCESS_TOKEN`, `AZURE_ACCESS_TOKEN`): never renewed.
    init(fixed token: Secret) {
        fetch = { Token(value: token, expires: .distantFuture) }
        renewable = false
    }

    /// The API refused `value` before its expiry (revoked, say): forgotten, so the next caller
    /// fetches anew. `true` when asking again may help — a fresh token, or one already renewed.
    /// A credential the API keeps refusing (the wrong tenant) is renewed once a minute at most,
    /// not on every call.
    func refused(_ value: String) -> Bool {
        guard renewable else { return false }
        guard current?.value.revealed == value else { return true }
        if let renewed = renewedAfterRefusal, renewed.timeIntervalSinceNow > -Self.margin { return false }
        current = nil
        renewedAfterRefusal = Date()
        return true
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

    func refused(_ request: OutgoingRequest) async -> Bool {
        guard let header = request.header("Authorization"), header.hasPrefix("Bearer ") else { return false }
        return await tokens.refused(String(header.dropFirst("Bearer ".count)))
    }
}
