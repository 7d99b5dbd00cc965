import Foundation
import RemoteProvidersCore

/// Hetzner Cloud API v1 objects as the document declares them (Tests/Contracts/hetzner.json), only
/// the fields the driver reads.
enum HetznerWire {
    struct Server: Codable, Sendable {
        struct PublicNet: Codable, Sendable {
            struct Address: Codable, Sendable { var ip: String }
            var ipv4: Address?
            var ipv6: Address?
        }

        struct Named: Codable, Sendable { var name: String }

        var id: Int
        var name: String
        /// The document's enum: `initializing`, `starting`, `running`, `stopping`, `off`, `deleting`,
        /// `migrating`, `rebuilding`, `unknown`.
        var status: String
        var created: String?
        var public_net: PublicNet?
        var server_type: Named?
        var location: Named?
        var labels: [String: String]?
    }

    struct ServerType: Decodable, Sendable {
        struct Location: Decodable, Sendable {
            struct Deprecation: Decodable, Sendable { var unavailable_after: String? }
            var name: String
            var deprecation: Deprecation?
            /// Sent by the API (and read by Hetzner's own client), not in the document: whether the
            /// type can be ordered there now. Absent is taken as yes.
            var available: Bool?
        }

        struct Price: Decodable, Sendable {
            struct Amount: Decodable, Sendable { var net: String }
            var location: String
            var price_hourly: Amount
        }

        var name: String
        var cores: Int
        /// GB.
        var memory: Double
        /// GB.
        var disk: Double
        /// `x86` or `arm`.
        var architecture: String
        var cpu_type: String?
        var locations: [Location]?
        var prices: [Price]
    }

    struct Image: Decodable, Sendable {
        var name: String?
        var os_flavor: String
        var os_version: String?
        var deprecated: String?
        var status: String
    }

    struct SSHKey: Codable, Sendable {
        var id: Int
        var name: String
        var fingerprint: String
    }

    struct Firewall: Codable, Sendable {
        struct Resource: Codable, Sendable { var type: String }
        var id: Int
        var name: String
        var applied_to: [Resource]?
    }

    /// `meta.pagination.next_page`, `null` on the last page.
    struct Pages: PageLinks, Sendable {
        struct Meta: Decodable, Sendable {
            struct Pagination: Decodable, Sendable { var next_page: Int? }
            var pagination: Pagination?
        }

        var meta: Meta?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? {
            guard let next = meta?.pagination?.next_page else { return nil }
            return query.filter { $0.name != "page" } + [URLQueryItem(name: "page", value: String(next))]
        }

        /// The API's largest page is 50.
        static func first(_ query: [URLQueryItem] = []) -> [URLQueryItem] {
            query + [URLQueryItem(name: "per_page", value: "50")]
        }
    }

    static func status(_ status: String) -> InstanceStatus {
        switch status {
        case "running": .running
        case "initializing", "starting", "migrating", "rebuilding": .pending
        case "stopping": .stopping
        case "off": .stopped
        case "deleting": .terminating
        default: .unknown
        }
    }

    static func instance(_ server: Server) -> Instance {
        let address = server.public_net?.ipv4?.ip
        var status = status(server.status)
        // Running before its address is known is still starting, as far as anyone can connect.
        if status == .running && address == nil { status = .pending }
        return Instance(
            id: String(server.id), provider: .hetzner, region: server.location?.name ?? "", instanceType: server.server_type?.name ?? "",
            status: status, publicAddress: address, privateAddress: nil, sshUser: "root",
            createdAt: server.created.flatMap { try? Date($0, strategy: .iso8601) }, tags: HetznerLabels.decode(server.labels ?? [:]))
    }
}
