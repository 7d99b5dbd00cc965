import Foundation
import RemoteProvidersCore

/// Fluidstack platform API shapes (`https://platform.fluidstack.io`), as its OpenAPI document
/// (fluidstackio/fern-config) and its SDK generated from it (`fluidstack` 0.0.8) have them.
enum FluidstackWire {
    struct GPUModel: Decodable {
        var name: String
        var memory_size_gb: Int?
    }

    struct Configuration: Decodable {
        var gpu_model: GPUModel?
        var gpu_count: Int?
        var cpu_count: Int?
        var memory_size_gb: Double?
        var region: String?
    }

    struct Instance: Decodable {
        var id: String
        var status: String?
        var username: String?
        /// A string (`"22"`).
        var ssh_port: String?
        var ip_address: String?
        var name: String?
        var configuration: Configuration?
    }

    /// One entry of `/list_available_configurations`: what is in stock now, at a per-GPU price
    /// written as a string.
    struct Offer: Decodable {
        var gpu_type: String
        var gpu_counts: [Int]
        var price_per_gpu_hr: String
        var regions: [String]
    }

    struct SSHKey: Codable {
        var name: String
        var public_key: String?
    }

    /// The status enum of the document and SDK (`running, starting, pending, failed, terminated,
    /// stopped, stopping`), with the newer `provisioning` and the older `unhealthy` and `shutting_down`.
    static func status(_ text: String?) -> InstanceStatus {
        switch text {
        case "running": .running
        case "pending", "starting", "provisioning": .pending
        case "stopping": .stopping
        case "stopped": .stopped
        case "shutting_down": .terminating
        case "terminated": .terminated
        case "failed", "unhealthy": .failed
        default: .unknown
        }
    }

    /// `H100_PCIE_80GB::1`: Fluidstack's GPU type and the count, as the bundled catalog (after
    /// SkyPilot's) names them.
    static func typeName(_ gpuType: String, count: Int) -> String { "\(gpuType)::\(count)" }

    static func shape(_ type: String) -> (count: Int, gpuType: String)? {
        guard let cut = type.range(of: "::", options: .backwards), let count = Int(type[cut.upperBound...]), count > 0, !type[..<cut.lowerBound].isEmpty
        else { return nil }
        return (count, String(type[..<cut.lowerBound]))
    }

    static func instance(_ wire: Instance) -> RemoteProvidersCore.Instance {
        let type = wire.configuration.flatMap { configuration in
            configuration.gpu_model.map { typeName($0.name, count: configuration.gpu_count ?? 1) }
        }
        return RemoteProvidersCore.Instance(
            id: wire.id, provider: .fluidstack, region: wire.configuration?.region ?? "", instanceType: type ?? "", status: status(wire.status),
            publicAddress: wire.ip_address.flatMap { $0.isEmpty ? nil : $0 }, sshPort: wire.ssh_port.flatMap { Int($0) } ?? 22,
            sshUser: wire.username ?? "ubuntu", tags: PodNames.tags(wire.name ?? ""))
    }
}
