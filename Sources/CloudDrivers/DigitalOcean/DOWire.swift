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

    /// `links.pages.next`: a full URL on the provider's host, of which the page number is what matters.
    struct Pages: PageLinks, Sendable {
        struct Links: Decodable, Sendable {
            struct PageLinks: Decodable, Sendable {
                var next: String?
            }

            var pages: PageLinks?
        }

        var links: Links?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? {
            let current = query.first { $0.name == "page" }?.value.flatMap(Int.init) ?? 1
            guard let next = links?.pages?.next, let number = URLComponents(string: next)?.queryItems?.first(where: { $0.name == "page" })?.value.flatMap(Int.init),
                number > current
            else { return nil }
            return query.filter { $0.name != "page" } + [URLQueryItem(name: "page", value: String(number))]
        }

        /// The first page of a list, as large as pages come.
        static func first(_ query: [URLQueryItem] = []) -> [URLQueryItem] {
            query + [URLQueryItem(name: "per_page", value: "200"), URLQueryItem(name: "page", value: "1")]
        }
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

    static func instance(_ droplet: Droplet) -> Instance {
        Instance(
            id: String(droplet.id), provider: .digitalocean, region: droplet.region.slug, instanceType: droplet.size_slug,
            status: status(droplet.status), publicAddress: droplet.networks.v4.first { $0.type == "public" }?.ip_address,
            privateAddress: droplet.networks.v4.first { $0.type == "private" }?.ip_address, sshUser: "root",
            createdAt: droplet.created_at.flatMap { try? Date($0, strategy: .iso8601) }, tags: TagStrings.decode(droplet.tags ?? []))
    }
}
