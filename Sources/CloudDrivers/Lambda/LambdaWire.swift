import Foundation
import RemoteProvidersCore

/// Lambda Cloud API v1 shapes (Lambda's published API document 1.8.3, as the generated clients
/// `lambda-cloud-api-client` and `lambda-ai-cloud-api-client` read it). Every success is
/// `{"data": …}`.
enum LambdaWire {
    struct Envelope<T: Decodable>: Decodable { var data: T }

    struct Region: Codable, Sendable {
        var name: String
        var description: String?
    }

    struct Specs: Codable, Sendable {
        var vcpus: Int
        var memory_gib: Int
        var storage_gib: Int
        var gpus: Int
    }

    struct InstanceType: Codable, Sendable {
        var name: String
        var description: String?
        var gpu_description: String?
        var price_cents_per_hour: Int?
        var specs: Specs?
    }

    struct Tag: Codable, Sendable, Equatable {
        var key: String
        var value: String
    }

    struct Instance: Codable, Sendable {
        var id: String
        var name: String?
        var ip: String?
        var private_ip: String?
        var status: String
        var region: Region?
        var instance_type: InstanceType?
        var tags: [Tag]?
    }

    /// One entry of `GET /instance-types` (`data` maps type names to these).
    struct TypeAvailability: Decodable {
        var instance_type: InstanceType
        var regions_with_capacity_available: [Region]
    }

    struct SSHKey: Codable, Sendable {
        var id: String
        var name: String
        var public_key: String
    }

    struct FirewallRule: Codable {
        var `protocol`: String
        var port_range: [Int]?
        var source_network: String
        var description: String
    }

    struct Ruleset: Decodable {
        var id: String
        var name: String
        var region: Region
        var instance_ids: [String]?
    }

    /// The documented status enum, whole: `booting`, `active`, `unhealthy`, `terminating`,
    /// `terminated`, `preempted`. An unhealthy instance is up but failing Lambda's own checks: it
    /// will not serve, so it is failed, not running. A preempted one is gone for good.
    static func status(_ text: String) -> InstanceStatus {
        switch text {
        case "booting": .pending
        case "active": .running
        case "unhealthy": .failed
        case "terminating": .terminating
        case "terminated", "preempted": .terminated
        default: .unknown
        }
    }

    static func instance(_ wire: Instance) -> RemoteProvidersCore.Instance {
        RemoteProvidersCore.Instance(
            id: wire.id, provider: .lambda, region: wire.region?.name ?? "", instanceType: wire.instance_type?.name ?? "",
            status: status(wire.status), publicAddress: wire.ip, privateAddress: wire.private_ip, sshPort: 22, sshUser: "ubuntu",
            tags: Dictionary((wire.tags ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }

    static func tags(_ tags: ResourceTags) -> [Tag] {
        tags.dictionary.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) }
    }
}
