import RemoteProvidersCore

/// What a GPU VM cloud without a spot market asks of a create before anything is sent (Lambda,
/// Paperspace, Fluidstack, TensorDock): on-demand only, and the tool's key, since the machine is
/// reached over SSH with it. Where the API has no firewall (all but Lambda) the machine takes
/// connections from anywhere, so a request that narrows who may connect is refused, never
/// silently widened.
enum VMAdmission {
    /// The request's SSH key, once the request is one `provider` can serve as asked.
    static func admit(_ request: InstanceRequest, provider: ProviderID, firewall: Bool) throws -> String {
        guard !request.spot else {
            throw ProviderError.unsupported("create", provider: provider, reason: "\(provider) sells on-demand machines only; it has no spot market")
        }
        let narrowed = request.exposure.allowedCIDRs.filter { $0.prefixLength != 0 }
        guard firewall || narrowed.isEmpty else {
            throw ProviderError.unsupported(
                "create", provider: provider,
                reason: "\(provider) has no firewall in its API: its machines take connections from anywhere, so allowed_cidrs "
                    + "\(narrowed.map(\.description).joined(separator: ", ")) cannot be enforced there; drop allowed_cidrs or choose a provider with firewalls")
        }
        guard let key = request.sshPublicKey else {
            throw ValidationError(field: "ssh_public_key", value: "", rule: "is required: \(provider) machines are reached over SSH with it")
        }
        return key
    }
}
