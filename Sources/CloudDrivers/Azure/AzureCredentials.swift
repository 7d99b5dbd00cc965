import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Azure credentials where Azure's own tools look for them: `AZURE_ACCESS_TOKEN` (a ready token,
/// used as it is); a service principal's client secret (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
/// `AZURE_CLIENT_SECRET`) exchanged at Entra ID's token endpoint (`AZURE_AUTHORITY_HOST`, or
/// `BLUEPRINT_REMOTE_ENDPOINT_AZURE_LOGIN`); else the managed identity of the VM this runs on,
/// from the instance metadata service (`BLUEPRINT_REMOTE_ENDPOINT_AZURE_METADATA`, or a machine
/// whose firmware carries Azure's asset tag). The subscription is `AZURE_SUBSCRIPTION_ID`.
struct AzureCredentials: Sendable {
    static let scope = "https://management.azure.com/.default"
    static let resource = "https://management.azure.com/"

    let tokens: TokenCache
    let subscription: String

    static func resolve(_ environment: Environment, transport: HTTPTransport) throws -> AzureCredentials {
        guard let metadata = ProviderDirectory.metadata(for: .azure) else { throw ProviderError(.unsupported, message: "azure unknown") }
        guard let subscription = environment["AZURE_SUBSCRIPTION_ID"], !subscription.isEmpty else {
            throw ProviderError(.invalidCredentials, provider: .azure, operation: "credentials", message: "AZURE_SUBSCRIPTION_ID is not set")
        }
        if let token = environment["AZURE_ACCESS_TOKEN"] {
            return AzureCredentials(tokens: TokenCache(fixed: Secret(token)), subscription: subscription)
        }
        if let tenant = environment["AZURE_TENANT_ID"], let client = environment["AZURE_CLIENT_ID"], let secret = environment["AZURE_CLIENT_SECRET"] {
            guard tenant.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else {
                throw ValidationError(field: "AZURE_TENANT_ID", value: tenant, rule: "must be a tenant id or domain")
            }
            let login: URL
            if environment[metadata.endpointVariable(for: "LOGIN")] == nil, let authority = environment["AZURE_AUTHORITY_HOST"] {
                guard let url = URL(string: authority.hasPrefix("https://") ? authority : "https://\(authority)"), url.scheme == "https" else {
                    throw ValidationError(field: "AZURE_AUTHORITY_HOST", value: authority, rule: "must be an https host")
                }
                login = url
            } else {
                login = try EndpointResolver.resolve(metadata, name: "LOGIN", environment: environment)
            }
            let endpoint = transport.client(for: .azure, baseURL: login, errorMapper: IdentityTokens.refusal(.azure))
            let secretValue = Secret(secret)
            let tokens = TokenCache(fetch: {
                let body = QueryEncoding.form([
                    ("grant_type", "client_credentials"), ("client_id", client), ("client_secret", secretValue.revealed), ("scope", scope),
                ])
                let request = ProviderRequest(
                    method: "POST", path: "/\(tenant)/oauth2/v2.0/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body,
                    operation: "login.token", safety: .idempotent)
                return try IdentityTokens.token(from: try await endpoint.send(request), provider: .azure)
            })
            return AzureCredentials(tokens: tokens, subscription: subscription)
        }
        let metadataVariable = metadata.endpointVariable(for: "METADATA")
        guard environment[metadataVariable] != nil || onAzure(environment) else {
            throw ProviderError(
                .invalidCredentials, provider: .azure, operation: "credentials",
                message: "no Azure credentials: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or AZURE_ACCESS_TOKEN; "
                    + "or run on an Azure VM with a managed identity")
        }
        let server = transport.client(
            for: .azure, baseURL: try EndpointResolver.resolve(metadata, name: "METADATA", environment: environment), signer: PlainHeaderSigner(name: "Metadata", value: "true"),
            errorMapper: IdentityTokens.refusal(.azure))
        let tokens = TokenCache(fetch: {
            let request = ProviderRequest.get(
                "/identity/oauth2/token", query: [URLQueryItem(name: "api-version", value: "2018-02-01"), URLQueryItem(name: "resource", value: resource)],
                operation: "metadata.token")
            return try IdentityTokens.token(from: try await server.send(request), provider: .azure)
        })
        return AzureCredentials(tokens: tokens, subscription: subscription)
    }

    /// Azure VMs carry this chassis asset tag (what Azure's own agents check, without a network
    /// call); `BLUEPRINT_REMOTE_NO_AMBIENT_CLOUD` turns the check off (tests on Azure-hosted runners).
    static func onAzure(_ environment: Environment) -> Bool {
        guard !environment.flag("BLUEPRINT_REMOTE_NO_AMBIENT_CLOUD") else { return false }
        return (try? String(contentsOfFile: "/sys/class/dmi/id/chassis_asset_tag", encoding: .utf8))?.contains("7783-7084-3265-9085") == true
    }
}
