import Foundation
import RemoteProvidersCore

/// Paperspace API v1 shapes (`https://api.paperspace.com/v1`), as its OpenAPI document
/// (Tests/Contracts/paperspace.json) has them.
enum PaperspaceWire {
    /// A page of a list: `?after=<nextPage>` while `hasMore`.
    struct Page<Item: Decodable>: Decodable {
        var hasMore: Bool
        var nextPage: String?
        var items: [Item]
    }

    /// Where a list's next page is: `?after=<nextPage>` while `hasMore` (`nextPage` is left out, or
    /// null, on the last).
    struct Pages: PageLinks {
        var hasMore: Bool
        var nextPage: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? {
            guard hasMore, let cursor = nextPage, !cursor.isEmpty else { return nil }
            return query.filter { $0.name != "after" } + [URLQueryItem(name: "after", value: cursor)]
        }

        static func first(_ filter: [URLQueryItem] = []) -> [URLQueryItem] { filter + [URLQueryItem(name: "limit", value: "120")] }
    }

    struct Machine: Codable {
        var id: String
        var name: String
        var state: String
        var machineType: String
        var region: String
        var publicIp: String?
        var privateIp: String?
        var dtDeleted: String?
    }

    /// What create and delete answer: the machine event started, and the machine.
    struct Mutation: Codable {
        struct Event: Codable {
            var id: String
            var state: String
            var error: String?
        }

        var event: Event?
        var data: Machine
    }

    struct Template: Decodable {
        struct Availability: Decodable {
            var machineTypeLabel: String
            var isAvailable: Bool
        }

        var id: String
        var name: String
        var agentType: String
        var operatingSystemLabel: String
        var availableMachineTypes: [Availability]
    }

    struct StartupScript: Codable {
        var id: String
        var name: String
    }

    /// The documented state enum, whole. `serviceready` comes before `ready` (Paperspace's agent
    /// is up, the machine not yet): not running until `ready`. A machine has no failed state (an
    /// event fails instead); a deleted one is gone (404) or carries `dtDeleted`.
    static func status(_ machine: Machine) -> InstanceStatus {
        if machine.dtDeleted != nil { return .terminated }
        switch machine.state {
        case "ready": return .running
        case "provisioning", "starting", "restarting", "serviceready", "upgrading": return .pending
        case "stopping": return .stopping
        case "off": return .stopped
        default: return .unknown
        }
    }

    /// `ny2`, as written in requests; the long form some answers carry (`East Coast (NY2)`) reads as the same.
    static func region(_ text: String) -> String {
        guard let open = text.lastIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else { return text }
        return text[text.index(after: open)..<close].lowercased()
    }

    static func instance(_ machine: Machine) -> Instance {
        Instance(
            id: machine.id, provider: .paperspace, region: region(machine.region), instanceType: machine.machineType, status: status(machine),
            publicAddress: machine.publicIp, privateAddress: machine.privateIp, sshPort: 22, sshUser: "paperspace", tags: PodNames.tags(machine.name))
    }
}
