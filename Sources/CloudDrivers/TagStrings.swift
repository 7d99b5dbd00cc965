import RemoteProvidersCore

/// Tags as plain strings `key:value`, for providers whose tags are strings, not pairs (DigitalOcean,
/// Vultr). Read back by splitting at the first colon: the expiry's own colons stay in the value.
enum TagStrings {
    static func encode(_ tags: ResourceTags) -> [String] {
        tags.dictionary.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
    }

    static func decode(_ tags: [String]) -> [String: String] {
        tags.reduce(into: [:]) { map, tag in
            guard let colon = tag.firstIndex(of: ":") else { return }
            map[String(tag[..<colon])] = String(tag[tag.index(after: colon)...])
        }
    }
}
