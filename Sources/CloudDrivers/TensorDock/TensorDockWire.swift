import Foundation
import RemoteProvidersCore

/// TensorDock API v2 shapes, as its documentation pages show them (dashboard.tensordock.com/api/docs:
/// getting-started, instance-creation, instance-management, fetch-hostnodes). The pages give
/// examples, no schema: where two pages disagree (the instance list), every documented shape is read.
enum TensorDockWire {
    struct Pricing: Decodable {
        var per_vcpu_hr: Double?
        var per_gb_ram_hr: Double?
        var per_gb_storage_hr: Double?
    }

    struct Limits: Decodable {
        var max_vcpus: Int?
        var max_ram_gb: Int?
        var max_storage_gb: Int?
    }

    struct NetworkFeatures: Decodable {
        var dedicated_ip_available: Bool?
        var port_forwarding_available: Bool?
    }

    struct LocationGPU: Decodable {
        var v0Name: String
        var displayName: String?
        var max_count: Int
        var price_per_hr: Double
        var resources: Limits?
        var pricing: Pricing?
        var network_features: NetworkFeatures?
    }

    struct Location: Decodable {
        var id: String
        var city: String?
        var stateprovince: String?
        var country: String?
        var tier: Int?
        var gpus: [LocationGPU]
    }

    struct Locations: Decodable {
        struct Body: Decodable { var locations: [Location] }
        var data: Body
    }

    struct PortForward: Codable, Equatable {
        var internal_port: Int
        var external_port: Int
    }

    /// `GET /instances/{id}`: the instance itself, not wrapped.
    struct Instance: Decodable {
        var id: String
        var name: String?
        var status: String?
        var ipAddress: String?
        var portForwards: [PortForward]?
        var rateHourly: Double?
    }

    /// One entry of `GET /instances`: flat, or JSON:API style with the fields under `attributes`.
    struct ListedInstance: Decodable {
        struct Attributes: Decodable {
            var name: String?
            var status: String?
        }

        var id: String
        var name: String?
        var status: String?
        var attributes: Attributes?

        var itsName: String? { name ?? attributes?.name }
        var itsStatus: String? { status ?? attributes?.status }
    }

    /// The list in any of its documented shapes: `{"data": [...]}`, `{"data": {"instances": [...]}}`,
    /// `{"data": {"attributes": {"instances": [...]}}}`.
    struct InstanceList: Decodable {
        var instances: [ListedInstance]

        enum Keys: String, CodingKey { case data, instances, attributes }

        init(from decoder: any Decoder) throws {
            let root = try decoder.container(keyedBy: Keys.self)
            if let flat = try? root.decode([ListedInstance].self, forKey: .data) {
                instances = flat
                return
            }
            let data = try root.nestedContainer(keyedBy: Keys.self, forKey: .data)
            if let direct = try data.decodeIfPresent([ListedInstance].self, forKey: .instances) {
                instances = direct
            } else {
                instances = try data.nestedContainer(keyedBy: Keys.self, forKey: .attributes).decode([ListedInstance].self, forKey: .instances)
            }
        }
    }

    /// Status words as the pages and their users spell them (`running`, `Stopped`,
    /// `StoppedDisassociated`, `stopped_disassociated`…): compared lower-case without separators.
    static func status(_ text: String?) -> InstanceStatus {
        let word = (text ?? "").lowercased().filter { $0.isLetter }
        switch word {
        case "running": return .running
        case "creating", "queued", "pending", "provisioning", "starting", "restarting": return .pending
        case "stopping": return .stopping
        case "stopped", "stoppeddisassociated": return .stopped
        case "deleting", "terminating": return .terminating
        case "deleted", "terminated": return .terminated
        case "error", "failed": return .failed
        default: return .unknown
        }
    }
}
