/// What a container cloud (the provider runs the image itself: Lium, RunPod, Vast.ai) cannot do
/// for a service, said once for `plan`, `up` and the launch itself.
public enum ContainerCloudFit {
    /// Why `provider` cannot run a service with these traits; `nil` when it can (or is no container cloud).
    public static func refusal(
        _ provider: ProviderID, image: String?, native: Bool, tunnel: Bool, privateRegistry: Bool, imageArchive: Bool
    ) -> String? {
        guard ProviderDirectory.metadata(for: provider)?.kinds.contains(.container) == true else { return nil }
        if image == nil || native { return "\(provider) runs container images; this service has no image (a native binary needs a VM provider)" }
        if tunnel { return "\(provider) publishes container ports on public addresses; expose: tunnel needs a VM provider" }
        if privateRegistry { return "private registry credentials are not passed to \(provider) by this tool yet: use a public image" }
        if imageArchive { return "\(provider) pulls images itself; an image archive cannot be uploaded to it" }
        return nil
    }
}

extension ServiceSpec {
    /// Why `provider`, a container cloud, cannot run this service; `nil` when it can.
    public func containerCloudRefusal(_ provider: ProviderID) -> String? {
        ContainerCloudFit.refusal(
            provider, image: image, native: runtime == .native, tunnel: exposure.mode == .tunnel, privateRegistry: registryAuth != nil,
            imageArchive: imageArchive != nil)
    }
}
