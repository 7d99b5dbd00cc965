import Foundation
import RemoteProvidersCore

/// Compute Engine API v1 shapes (the Compute Engine discovery document, as `google-cloud-compute`
/// reads it). 64-bit integers travel as strings.
enum GCEWire {
    struct AccessConfig: Codable {
        var type: String?
        var name: String?
        var natIP: String?
    }

    struct NetworkInterface: Codable {
        var network: String?
        var networkIP: String?
        var accessConfigs: [AccessConfig]?
    }

    struct Instance: Decodable {
        var id: String?
        var name: String
        var zone: String?
        var machineType: String?
        var status: String?
        var networkInterfaces: [NetworkInterface]?
        var labels: [String: String]?
        var creationTimestamp: String?
    }

    struct InstanceList: Decodable {
        var items: [Instance]?
        var nextPageToken: String?
    }

    /// `aggregated/instances`: per scope (`zones/us-central1-a`) the instances, or a warning.
    struct AggregatedList: Decodable, PageLinks {
        struct Scope: Decodable { var instances: [Instance]? }
        var items: [String: Scope]?
        var nextPageToken: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? { GCEDriver.Pages(nextPageToken: nextPageToken).next(after: query) }
    }

    struct Operation: Codable {
        struct Failure: Codable {
            struct Item: Codable {
                var code: String
                var message: String?
            }
            var errors: [Item]?
        }

        var name: String
        var zone: String?
        var status: String
        var targetLink: String?
        var error: Failure?
        var httpErrorStatusCode: Int?
        var httpErrorMessage: String?
    }

    struct Zone: Decodable {
        var name: String
        var region: String?
        var status: String?
    }

    struct ZoneList: Decodable {
        var items: [Zone]?
        var nextPageToken: String?
    }

    /// The last segment of a resource URL (`…/zones/us-central1-a` → `us-central1-a`).
    static func last(_ url: String?) -> String {
        url.map { String($0.split(separator: "/").last ?? "") } ?? ""
    }

    /// The documented status enum, with the newer Flex Start ones: a stopped machine (`TERMINATED`
    /// at Compute Engine means stopped, not gone) still exists and still costs its disk.
    static func status(_ text: String?) -> InstanceStatus {
        switch text {
        case "PROVISIONING", "STAGING", "PENDING", "REPAIRING": .pending
        case "RUNNING": .running
        case "STOPPING", "SUSPENDING", "PENDING_STOP": .stopping
        case "STOPPED", "SUSPENDED", "TERMINATED": .stopped
        case "DEPROVISIONING": .terminating
        default: .unknown
        }
    }

    static func instance(_ wire: Instance) -> RemoteProvidersCore.Instance {
        let zone = last(wire.zone)
        let nic = wire.networkInterfaces?.first
        return RemoteProvidersCore.Instance(
            id: "\(zone)/\(wire.name)", provider: .gcp, region: region(ofZone: zone), zone: zone, instanceType: last(wire.machineType),
            status: status(wire.status), publicAddress: nic?.accessConfigs?.compactMap(\.natIP).first, privateAddress: nic?.networkIP, sshPort: 22,
            sshUser: GCEDriver.sshUser, createdAt: wire.creationTimestamp.flatMap { try? Date($0, strategy: .iso8601) },
            tags: GCELabels.decode(wire.labels ?? [:]))
    }

    /// `us-central1-a` → `us-central1`.
    static func region(ofZone zone: String) -> String {
        guard let dash = zone.lastIndex(of: "-") else { return zone }
        return String(zone[..<dash])
    }
}

/// The tags of ../shared/PROVIDERS.md as Compute Engine labels: values are lowercase letters,
/// digits, `_` and `-` (at most 63), so the expiry is written in ISO 8601's basic form in lower
/// case (`20270115t080000z`) and read back as RFC 3339.
enum GCELabels {
    static func encode(_ tags: ResourceTags) throws -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in tags.dictionary {
            let label = labelValue(key, value)
            guard label.count <= 63, label.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw ValidationError(
                    field: key == ResourceTags.deploymentKey ? "name" : key, value: value,
                    rule: "must be a Compute Engine label value: at most 63 lowercase letters, digits, '-' or '_'")
            }
            labels[key] = label
        }
        return labels
    }

    static func labelValue(_ key: String, _ value: String) -> String {
        key == ResourceTags.expiresKey ? HetznerLabels.basic(value).lowercased() : value
    }

    static func decode(_ labels: [String: String]) -> [String: String] {
        labels.reduce(into: [:]) { tags, label in
            tags[label.key] = label.key == ResourceTags.expiresKey ? HetznerLabels.rfc3339(label.value.uppercased()) : label.value
        }
    }
}

extension GCEWire {
    struct MachineType: Decodable {
        struct Accelerator: Decodable {
            var guestAcceleratorType: String
            var guestAcceleratorCount: Int
        }
        var name: String
        var guestCpus: Int
        var memoryMb: Int
        var isSharedCpu: Bool?
        var architecture: String?
        var accelerators: [Accelerator]?
    }

    /// `aggregated/machineTypes`: per zone scope, its machine types.
    struct MachineTypes: Decodable, PageLinks {
        struct Scope: Decodable { var machineTypes: [MachineType]? }
        var items: [String: Scope]?
        var nextPageToken: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? { GCEDriver.Pages(nextPageToken: nextPageToken).next(after: query) }
    }
}
