import Foundation
import RemoteProvidersCore

/// Azure Resource Manager shapes (Azure's REST API specifications, bundled in
/// Tests/Contracts/azure.json), as `azure-mgmt-compute` and `azure-mgmt-network` read them. Each
/// service has its own api-version: the disks' is not the VMs'.
enum AzureWire {
    static let computeVersion = "2024-11-01"
    static let diskVersion = "2024-03-02"
    static let skuVersion = "2021-07-01"
    static let networkVersion = "2024-05-01"
    static let resourcesVersion = "2022-09-01"

    struct Reference: Codable { var id: String }

    struct Status: Decodable {
        var code: String
    }

    struct VirtualMachine: Decodable {
        struct Properties: Decodable {
            struct Hardware: Decodable { var vmSize: String? }
            struct Storage: Decodable {
                struct OSDisk: Decodable {
                    var name: String?
                    var managedDisk: Reference?
                }
                var osDisk: OSDisk?
            }
            struct Network: Decodable {
                struct Interface: Decodable { var id: String }
                var networkInterfaces: [Interface]?
            }
            struct View: Decodable { var statuses: [Status]? }
            var hardwareProfile: Hardware?
            var storageProfile: Storage?
            var networkProfile: Network?
            var provisioningState: String?
            var instanceView: View?
            var timeCreated: String?
        }

        var id: String
        var name: String
        var location: String
        var tags: [String: String]?
        var zones: [String]?
        var properties: Properties?
    }

    /// A list page; the next one is `nextLink`'s query on the same path — only its query is
    /// taken, so no page is ever asked of another host.
    struct List<Item: Decodable>: Decodable, PageLinks {
        var value: [Item]
        var nextLink: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? { AzureWire.next(nextLink) }
    }

    static func next(_ link: String?) -> [URLQueryItem]? {
        guard let link, !link.isEmpty, let items = URLComponents(string: link)?.queryItems, !items.isEmpty else { return nil }
        return items
    }

    struct PublicIP: Decodable {
        struct Properties: Decodable { var ipAddress: String? }
        var properties: Properties?
    }

    struct NetworkInterface: Decodable {
        struct Properties: Decodable {
            struct Configuration: Decodable {
                struct Inner: Decodable { var privateIPAddress: String? }
                var properties: Inner?
            }
            var ipConfigurations: [Configuration]?
        }
        var properties: Properties?
    }

    /// An async operation's state (`Azure-AsyncOperation`): `InProgress`, `Succeeded`, `Failed`, `Canceled`.
    struct Operation: Decodable {
        var status: String
        var error: AzureErrors.Failure.Body?
    }

    /// The instance view's codes: `ProvisioningState/<state>[/<error>]` and `PowerState/<state>`.
    static func status(_ vm: VirtualMachine) -> InstanceStatus {
        let provisioning = vm.properties?.provisioningState ?? ""
        if provisioning == "Deleting" { return .terminating }
        if provisioning == "Failed" { return .failed }
        let codes = vm.properties?.instanceView?.statuses?.map(\.code) ?? []
        if codes.contains(where: { $0.hasPrefix("ProvisioningState/failed") }) { return .failed }
        switch codes.first(where: { $0.hasPrefix("PowerState/") }) {
        case "PowerState/running": return provisioning == "Succeeded" || provisioning.isEmpty ? .running : .pending
        case "PowerState/starting": return .pending
        case "PowerState/stopping", "PowerState/deallocating": return .stopping
        case "PowerState/stopped", "PowerState/deallocated": return .stopped
        case nil: return ["Creating", "Updating", "Succeeded", ""].contains(provisioning) ? .pending : .unknown
        default: return .unknown
        }
    }

    /// `/subscriptions/s/resourceGroups/<group>/providers/…/<name>` → `<group>/<name>`, in lower case:
    /// Azure's names are case-insensitive, and its lists often spell the group in capitals.
    static func id(_ resourceID: String) -> String {
        let parts = resourceID.split(separator: "/").map(String.init)
        guard let group = parts.firstIndex(where: { $0.lowercased() == "resourcegroups" }), parts.indices.contains(group + 1), let name = parts.last else {
            return resourceID.lowercased()
        }
        return "\(parts[group + 1])/\(name)".lowercased()
    }
}
