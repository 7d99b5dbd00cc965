import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Vultr API v2 objects as the document declares them (Tests/Contracts/vultr.json), only the
/// fields the driver reads; every answer field is optional there.
enum VultrWire {
    struct Instance: Codable, Sendable {
        var id: String
        var region: String?
        var plan: String?
        var label: String?
        var main_ip: String?
        var internal_ip: String?
        var date_created: String?
        /// `active`, `pending`, `suspended`, `resizing`.
        var status: String?
        /// `running`, `stopped`.
        var power_status: String?
        var tags: [String]?
    }

    struct Plan: Decodable, Sendable {
        var id: String
        var vcpu_count: Int?
        /// MB.
        var ram: Int?
        /// GB.
        var disk: Int?
        var monthly_cost: Double?
        /// Sent by the API, not in the document; the monthly price over 730 hours when absent.
        var hourly_cost: Double?
        var type: String?
        var locations: [String]?
        var gpu_type: String?
        var gpu_vram_gb: Double?
    }

    struct OS: Decodable, Sendable {
        var id: Int
        var name: String
        var family: String?
        var arch: String?
    }

    struct SSHKey: Codable, Sendable {
        var id: String
        var name: String?
        var ssh_key: String?
    }

    struct FirewallGroup: Codable, Sendable {
        var id: String
        var description: String?
        var instance_count: Int?
    }

    /// `meta.links.next`: the cursor of the next page, empty on the last.
    struct Cursor: PageLinks, Sendable {
        struct Meta: Decodable, Sendable {
            struct Links: Decodable, Sendable {
                var next: String?
            }

            var links: Links?
        }

        var meta: Meta?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? {
            guard let cursor = meta?.links?.next, !cursor.isEmpty else { return nil }
            return query.filter { $0.name != "cursor" } + [URLQueryItem(name: "cursor", value: cursor)]
        }

        static func first(_ query: [URLQueryItem] = []) -> [URLQueryItem] {
            query + [URLQueryItem(name: "per_page", value: "500")]
        }
    }

    /// A pending instance or one without its address yet is starting; only active and powered on runs.
    static func status(_ instance: Instance) -> InstanceStatus {
        switch (instance.status, instance.power_status) {
        case ("active"?, "running"?): .running
        case ("active"?, "stopped"?), ("suspended"?, _): .stopped
        case ("pending"?, _), ("resizing"?, _): .pending
        default: .unknown
        }
    }

    static func instance(_ instance: Instance) -> RemoteProvidersCore.Instance {
        let address = instance.main_ip.flatMap { $0.isEmpty || $0 == "0.0.0.0" ? nil : $0 }
        var status = status(instance)
        // Active before its address is known is still starting, as far as anyone can connect.
        if status == .running && address == nil { status = .pending }
        return RemoteProvidersCore.Instance(
            id: instance.id, provider: .vultr, region: instance.region ?? "", instanceType: instance.plan ?? "", status: status,
            publicAddress: address, privateAddress: instance.internal_ip.flatMap { $0.isEmpty ? nil : $0 }, sshUser: "root",
            createdAt: instance.date_created.flatMap { try? Date($0, strategy: .iso8601) }, tags: TagStrings.decode(instance.tags ?? []))
    }
}

/// Vultr's error answers (`{"error": "…", "status": N}`) as typed errors. Limits and plans a region
/// cannot take come back as 400 with words only: told apart by them.
enum VultrErrors {
    struct Failure: Decodable {
        var error: String
    }

    static func map(_ response: HTTPResponse, _ request: ProviderRequest) -> ProviderError? {
        let message = (try? JSONDecoder().decode(Failure.self, from: response.body))?.error ?? StatusClassifier.summary(of: response)
        let words = message.lowercased()
        let kind: ProviderError.Kind
        switch response.status {
        case 401, 403: kind = .invalidCredentials
        case 404: kind = .notFound
        case 429: kind = .rateLimited(retryAfter: response.header("Retry-After").flatMap(Double.init))
        case 400 where words.contains("limit"): kind = .quotaExceeded(.provider)
        case 400 where words.contains("not available") || words.contains("unavailable") || words.contains("sold out"): kind = .noCapacity(.region(""))
        case 500...599: kind = .transient
        default: kind = .invalidRequest
        }
        return ProviderError(kind, provider: .vultr, operation: request.operation, httpStatus: response.status, message: message)
    }
}
