import Foundation
import RemoteProvidersCore

/// The tags of ../shared/PROVIDERS.md as Hetzner labels. A label value is at most 63 characters of
/// letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, so it cannot hold
/// the expiry's colons: the expiry is written in ISO 8601's basic form (`20270115T080000Z`, which
/// still sorts as time) and read back as RFC 3339. Owner ids (UUIDs) and deployment ids fit as they are.
enum HetznerLabels {
    static func encode(_ tags: ResourceTags) throws -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in tags.dictionary {
            let label = key == ResourceTags.expiresKey ? basic(value) : value
            guard isValue(label) else {
                throw ValidationError(
                    field: key == ResourceTags.deploymentKey ? "name" : key, value: value,
                    rule: "must be a Hetzner label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
            }
            labels[key] = label
        }
        return labels
    }

    static func decode(_ labels: [String: String]) -> [String: String] {
        labels.reduce(into: [:]) { tags, label in
            tags[label.key] = label.key == ResourceTags.expiresKey ? rfc3339(label.value) : label.value
        }
    }

    /// The label selector for `key == value`, the value in label form.
    static func selector(_ key: String, _ value: String) -> String {
        "\(key)==\(key == ResourceTags.expiresKey ? basic(value) : value)"
    }

    static func isValue(_ value: String) -> Bool {
        guard value.count <= 63 else { return false }
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return true }
        let inner = value.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
        return inner && CharacterSet.alphanumerics.contains(first) && CharacterSet.alphanumerics.contains(last)
    }

    /// `2027-01-15T08:00:00Z` → `20270115T080000Z`.
    static func basic(_ rfc3339: String) -> String {
        rfc3339.filter { $0 != "-" && $0 != ":" }
    }

    /// `20270115T080000Z` → `2027-01-15T08:00:00Z`; anything else as it is.
    static func rfc3339(_ basic: String) -> String {
        let c = Array(basic)
        guard c.count == 16, c[8] == "T", c[15] == "Z", c.enumerated().allSatisfy({ $0.offset == 8 || $0.offset == 15 || $0.element.isNumber }) else {
            return basic
        }
        let s = String(c)
        func part(_ from: Int, _ count: Int) -> Substring { s.dropFirst(from).prefix(count) }
        return "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2))Z"
    }
}
