import ProviderTransport
import RemoteProvidersCore

extension DriverContext {
    /// The bearer token of a provider whose one credential is a token variable (with its aliases),
    /// or the typed error that names every variable it may be set in.
    func token(for provider: ProviderID) throws -> Secret {
        guard let variable = ProviderDirectory.metadata(for: provider)?.credentialSchemes.first?.required.first else {
            throw ProviderError(.unsupported, provider: provider, operation: "credentials", message: "\(provider) has no token credential")
        }
        guard let found = environment.lookup(variable) else {
            let others = variable.aliases.isEmpty ? "" : " (nor \(variable.aliases.joined(separator: ", ")))"
            throw ProviderError(.invalidCredentials, provider: provider, operation: "credentials", message: "\(variable.name) is not set\(others)")
        }
        return Secret(found.value)
    }
}

extension ProviderError {
    /// A no-capacity error read from an answer that does not say where (`.region("")`), scoped to the
    /// region the request went to, so failover blocks that region only; any other error unchanged.
    func scoped(toRegion region: String) -> ProviderError {
        guard kind == .noCapacity(.region("")) else { return self }
        return ProviderError(.noCapacity(.region(region)), provider: provider, operation: operation, httpStatus: httpStatus, message: message)
    }
}
