import CryptoExtras
import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Google credentials where Google's own tools look for them, in this order: `GCP_ACCESS_TOKEN`
/// (a ready token, used as it is); a service account key file (`GOOGLE_APPLICATION_CREDENTIALS`),
/// whose RS256-signed JWT is exchanged at the token endpoint (`token_uri`, or
/// `BLUEPRINT_REMOTE_ENDPOINT_GCP_OAUTH`); else the metadata server of the VM this runs on
/// (`GCE_METADATA_HOST` or `BLUEPRINT_REMOTE_ENDPOINT_GCP_METADATA`, or a machine whose firmware
/// says Google, as google-auth checks it). The project is `GOOGLE_CLOUD_PROJECT` (alias
/// `GCP_PROJECT_ID`), else the key file's `project_id`, else the metadata server's.
struct GoogleCredentials: Sendable {
    static let scope = "https://www.googleapis.com/auth/cloud-platform"

    struct KeyFile: Decodable {
        var type: String
        var project_id: String?
        var private_key_id: String?
        var private_key: String
        var client_email: String
        var token_uri: String?
    }

    let tokens: TokenCache
    /// Known at once, or asked of the metadata server on first use.
    let project: @Sendable () async throws -> String

    static func resolve(_ environment: Environment, transport: HTTPTransport) throws -> GoogleCredentials {
        guard let metadata = ProviderDirectory.metadata(for: .gcp) else { throw ProviderError(.unsupported, message: "gcp unknown") }
        let named = environment["GOOGLE_CLOUD_PROJECT"] ?? environment["GCP_PROJECT_ID"]
        if let token = environment["GCP_ACCESS_TOKEN"] {
            guard let named else { throw missingProject("GCP_ACCESS_TOKEN") }
            return GoogleCredentials(tokens: TokenCache(fixed: Secret(token)), project: { named })
        }
        if let path = environment["GOOGLE_APPLICATION_CREDENTIALS"] {
            let key = try readKey(path)
            guard let project = named ?? key.project_id else { throw missingProject("the key file") }
            let endpoint: URL
            if environment[metadata.endpointVariable(for: "OAUTH")] != nil || key.token_uri == nil {
                endpoint = try EndpointResolver.resolve(metadata, name: "OAUTH", environment: environment)
            } else if let uri = key.token_uri, let url = URL(string: uri), url.scheme == "https" {
                endpoint = url
            } else {
                throw ValidationError(field: "token_uri", value: key.token_uri, rule: "must be an https URL in the service account key file")
            }
            let signer = try JWTSigner(key: key, audience: endpoint.absoluteString)
            let client = transport.client(for: .gcp, baseURL: endpoint, signer: UnsignedRequests(), errorMapper: IdentityTokens.refusal(.gcp))
            return GoogleCredentials(tokens: TokenCache(fetch: { try await exchange(signer.assertion(), client: client) }), project: { project })
        }
        let metadataVariable = metadata.endpointVariable(for: "METADATA")
        let host = environment["GCE_METADATA_HOST"].map { "http://\($0)/computeMetadata/v1" }
        guard environment[metadataVariable] != nil || host != nil || onGoogleCloud(environment) else {
            throw ProviderError(
                .invalidCredentials, provider: .gcp, operation: "credentials",
                message: "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS (a service account key file) or GCP_ACCESS_TOKEN, "
                    + "with GOOGLE_CLOUD_PROJECT; or run on a Compute Engine VM with a service account")
        }
        let base: URL
        if environment[metadataVariable] == nil, let host, let url = URL(string: host) {
            base = url
        } else {
            base = try EndpointResolver.resolve(metadata, name: "METADATA", environment: environment)
        }
        let server = transport.client(for: .gcp, baseURL: base, signer: PlainHeaderSigner(name: "Metadata-Flavor", value: "Google"), errorMapper: IdentityTokens.refusal(.gcp))
        let tokens = TokenCache(fetch: {
            let response = try await server.send(ProviderRequest.get("/instance/service-accounts/default/token", operation: "metadata.token"))
            return try IdentityTokens.token(from: response, provider: .gcp)
        })
        return GoogleCredentials(tokens: tokens, project: {
            if let named { return named }
            let response = try await server.send(ProviderRequest.get("/project/project-id", operation: "metadata.project"))
            return response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        })
    }

    static func missingProject(_ source: String) -> ProviderError {
        ProviderError(
            .invalidCredentials, provider: .gcp, operation: "credentials", message: "GOOGLE_CLOUD_PROJECT (or GCP_PROJECT_ID) is not set, and \(source) names no project")
    }

    static func readKey(_ path: String) throws -> KeyFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError(field: "GOOGLE_APPLICATION_CREDENTIALS", value: path, rule: "must name a readable service account key file")
        }
        guard let key = try? JSONDecoder().decode(KeyFile.self, from: data), key.type == "service_account" else {
            throw ValidationError(
                field: "GOOGLE_APPLICATION_CREDENTIALS", value: path,
                rule: "must be a service account key (JSON with type service_account, client_email and private_key)")
        }
        return key
    }

    /// google-auth's check: the firmware names Google (`NO_GCE_CHECK`, as google-auth reads it, or
    /// `BLUEPRINT_REMOTE_NO_AMBIENT_CLOUD` turns it off: tests on a cloud's own runners).
    static func onGoogleCloud(_ environment: Environment) -> Bool {
        guard !environment.flag("NO_GCE_CHECK"), !environment.flag("BLUEPRINT_REMOTE_NO_AMBIENT_CLOUD") else { return false }
        return (try? String(contentsOfFile: "/sys/class/dmi/id/product_name", encoding: .utf8))?.contains("Google") == true
    }

    /// The JWT-bearer grant: the signed assertion for an access token.
    static func exchange(_ assertion: String, client: ProviderClient) async throws -> TokenCache.Token {
        let body = QueryEncoding.form([("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)])
        let request = ProviderRequest(
            method: "POST", path: "", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body, operation: "oauth.token", safety: .idempotent)
        return try IdentityTokens.token(from: try await client.send(request), provider: .gcp)
    }
}

/// The service account's assertion: an RS256 JWT (`iss` the account, `scope`, `aud` the token endpoint, an hour long).
struct JWTSigner: Sendable {
    let email: String
    let keyID: String?
    let audience: String
    let key: _RSA.Signing.PrivateKey

    init(key file: GoogleCredentials.KeyFile, audience: String) throws {
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: file.private_key)
        } catch {
            throw ValidationError(field: "private_key", value: nil, rule: "must be the service account's RSA private key in PEM")
        }
        email = file.client_email
        keyID = file.private_key_id
        self.audience = audience
    }

    func assertion(now: Date = Date()) throws -> String {
        var header: [String: String] = ["alg": "RS256", "typ": "JWT"]
        if let keyID { header["kid"] = keyID }
        let issued = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = ["iss": email, "scope": GoogleCredentials.scope, "aud": audience, "iat": issued, "exp": issued + 3600]
        let input = Self.base64URL(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) + "."
            + Self.base64URL(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + Self.base64URL(signature.rawRepresentation)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
