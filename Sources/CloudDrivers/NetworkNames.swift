/// The deployment a network resource of the tool's is named for: `blueprint-remote-<deployment>`,
/// maybe followed by `-<region>` or `-v6` (deployment ids hold no `-`). How drivers whose
/// firewalls carry no tags tell `gc` which deployments they hold network for.
enum NetworkNames {
    static let prefix = "blueprint-remote-"

    static func deployment(in name: String) -> String? {
        guard name.hasPrefix(prefix) else { return nil }
        let id = name.dropFirst(prefix.count).prefix { $0 != "-" }
        return id.isEmpty ? nil : String(id)
    }
}
