/// Instance ids that carry where the instance is (`<zone>/<name>` on Compute Engine,
/// `<resource group>/<name>` on Azure), since those APIs address an instance by both.
enum ScopedID {
    static func split(_ id: String) -> (scope: String, name: String)? {
        let parts = id.split(separator: "/")
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
