import RemoteProvidersCore

/// For clouds whose API has no firewall (Paperspace, Fluidstack, TensorDock): their machines take
/// connections from anywhere, so a request that narrows who may connect is refused before
/// anything is made, never silently widened.
enum NoFirewall {
    static func admit(_ request: InstanceRequest, provider: ProviderID) throws {
        let narrowed = request.exposure.allowedCIDRs.filter { $0.prefixLength != 0 }
        guard narrowed.isEmpty else {
            throw ProviderError.unsupported(
                "create", provider: provider,
                reason: "\(provider) has no firewall in its API: its machines take connections from anywhere, so allowed_cidrs "
                    + "\(narrowed.map(\.description).joined(separator: ", ")) cannot be enforced there; drop allowed_cidrs or choose a provider with firewalls")
        }
    }
}
