import Foundation
import RemoteProvidersCore

/// DigitalOcean API v2 objects as the document declares them (Tests/Contracts/digitalocean.json),
/// only the fields the driver reads.
enum DOWire {
    struct Droplet: Codable, Sendable {
        struct Networks: Codable, Sendable {
            struct V4: Codable, Sendable {
                var ip_address: String
                var type: String
            }

            var v4: [V4]
        }

        struct Region: Codable, Sendable {
            var slug: String
        }

        var id: Int
        var name: String
        /// `new`, `active`, `off`, `archive`.
        var status: String
        var size_slug: String
        var created_at: String?
        var networks: Networks
        var region: Region
        var tags: [String]?
    }

    struct Size: Decodable, Sendable {
        struct GPUInfo: Decodable, Sendable {
            struct Amount: Decodable, Sendable {
                var amount: Double
                var unit: String?
            }

            var count: Int
            var model: String?
            var vram: Amount?
        }

        var slug: String
        var vcpus: Int
        /// MB.
        var memory: Int
        /// GB.
        var disk: Int
        var price_hourly: Double
        var regions: [String]
        var available: Bool
        var gpu_info: GPUInfo?
    }

    struct Region: Decodable, Sendable {
        var slug: String
        var sizes: [String]
        var available: Bool
    }

    struct Image: Decodable, Sendable {
        var id: Int
        var slug: String?
        var distribution: String?
        var status: String?
    }

    struct SSHKey: Codable, Sendable {
        var id: Int
        var fingerprint: String
        var name: String
    }

    struct Firewall: Decodable, Sendable {
        var id: String
        var name: String
    }

    struct Pages: Decodable, Sendable {
        struct Links: Decodable, Sendable {
            struct PageLinks: Decodable, Sendable {
                var next: String?
            }

            var pages: PageLinks?
        }

        var links: Links?
    }

    /// A DigitalOcean error answer.
    struct Failure: Decodable, Sendable {
        var id: String
        var message: String
    }

    /// `new` is starting, `off` stopped, `archive` gone; anything else is not assumed to run.
    static func status(_ text: String) -> InstanceStatus {
        switch text {
        case "new": .pending
        case "active": .running
        case "off": .stopped
        case "archive": .terminated
        default: .unknown
        }
    }

    /// Tags are plain strings of `[A-Za-z0-9_:-]`: ours are `key:value` (split at the first colon;
    /// the expiry's own colons stay in the value).
    static func tags(_ tags: ResourceTags) -> [String] {
        tags.dictionary.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
    }

    static func tagMap(_ tags: [String]) -> [String: String] {
        tags.reduce(into: [:]) { map, tag in
            guard let colon = tag.firstIndex(of: ":") else { return }
            map[String(tag[..<colon])] = String(tag[tag.index(after: colon)...])
        }
    }

    static func instance(_ droplet: Droplet) -> Instance {
        Instance(
            id: String(droplet.id), provider: .digitalocean, region: droplet.region.slug, instanceType: droplet.size_slug,
            status: status(droplet.status), publicAddress: droplet.networks.v4.first { $0.type == "public" }?.ip_address,
            privateAddress: droplet.networks.v4.first { $0.type == "private" }?.ip_address, sshUser: "root",
            createdAt: droplet.created_at.flatMap { try? Date($0, strategy: .iso8601) }, tags: tagMap(droplet.tags ?? []))
    }
}
