import Foundation
import RemoteProvidersCore

/// Where a provider's API is: its real base URL, or the `BLUEPRINT_REMOTE_ENDPOINT_<SUFFIX>`
/// override that replaces it whole (version path included).
public enum EndpointResolver {
    /// Opting in to plain `http://` for a host that is neither loopback nor a private address.
    public static let allowInsecureHTTPVariable = "BLUEPRINT_REMOTE_ALLOW_INSECURE_HTTP"

    /// The base URL to use. `name` picks a second endpoint (`OAUTH`, `LOGIN`, `METADATA`); `region`
    /// fills a `{region}` placeholder (AWS's regional hosts).
    public static func resolve(
        _ metadata: ProviderMetadata, name: String? = nil, region: String? = nil, environment: Environment
    ) throws -> URL {
        let variable = name.map(metadata.endpointVariable(for:)) ?? metadata.endpointVariable
        if let override = environment[variable] {
            return try validatedOverride(override, variable: variable, environment: environment)
        }
        let builtIn = name.flatMap { metadata.secondaryEndpoints[$0.uppercased()] } ?? (name == nil ? metadata.baseURL : nil)
        guard var text = builtIn else {
            throw ProviderError.unsupported(
                "endpoint", provider: metadata.id,
                reason: "\(metadata.displayName) publishes no \(name ?? "HTTP") API endpoint; set \(variable) to use one")
        }
        if text.contains("{region}") {
            guard let region, Grammar.isRegion(region) else {
                throw ValidationError(field: "region", value: region, rule: "is required for \(metadata.displayName) and must be a region id such as us-east-1")
            }
            text = text.replacingOccurrences(of: "{region}", with: region)
        }
        guard let url = URL(string: text) else {
            throw ValidationError(field: "baseURL", value: text, rule: "is not a URL")
        }
        return url
    }

    static func validatedOverride(_ text: String, variable: String, environment: Environment) throws -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, let url = components.url
        else {
            throw ValidationError(field: variable, value: text, rule: "must be an absolute http(s) URL such as https://api.example.com/v2")
        }
        guard components.user == nil, components.password == nil else {
            throw ValidationError(field: variable, value: nil, rule: "must not carry credentials in the URL")
        }
        guard components.query == nil, components.fragment == nil else {
            throw ValidationError(field: variable, value: text, rule: "must be a base URL without query or fragment")
        }
        switch scheme {
        case "https":
            return url
        case "http":
            let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if bare == "localhost" || IPAddress.isLoopbackOrPrivate(bare) || environment.flag(allowInsecureHTTPVariable) {
                return url
            }
            throw ValidationError(
                field: variable, value: text,
                rule: "plain http is allowed only for loopback or private addresses; use https or set \(allowInsecureHTTPVariable)=1")
        default:
            throw ValidationError(field: variable, value: text, rule: "must use https (or http for loopback and private addresses)")
        }
    }
}
