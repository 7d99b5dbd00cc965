import Foundation
import RemoteProvidersCore

/// Vast.ai objects as its document declares them (Tests/Contracts/vastai.json) and its own
/// `vastai` client reads them; only the fields the driver reads.
enum VastWire {
    struct Offer: Decodable, Sendable {
        var id: Int
        var gpu_name: String?
        var num_gpus: Int?
        /// MB per GPU.
        var gpu_ram: Double?
        var cpu_cores_effective: Double?
        /// MB.
        var cpu_ram: Double?
        /// GB.
        var disk_space: Double?
        /// USD per hour, storage at `allocated_storage` included.
        var dph_total: Double?
        /// The lowest bid for an interruptible rental, USD per hour.
        var min_bid: Double?
        /// `Texas, US`.
        var geolocation: String?

        var region: String { VastWire.region(geolocation) }
    }

    /// The country code of a `geolocation` (`Texas, US`), lower-cased; `any` when there is none.
    static func region(_ geolocation: String?) -> String {
        guard let code = geolocation?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), code.count == 2 else { return "any" }
        return code.lowercased()
    }

    struct Instance: Decodable, Sendable {
        /// Docker's form: `{"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": "40022"}]}`.
        struct Binding: Decodable, Sendable {
            var HostIp: String?
            var HostPort: String?
        }

        var id: Int
        /// `null` while provisioning, then `created`, `loading`, `running`, `stopped`, `frozen`,
        /// `exited`, `rebooting`, `unknown`, `offline`.
        var actual_status: String?
        var intended_status: String?
        var label: String?
        var start_date: Double?
        var public_ipaddr: String?
        var ports: [String: [Binding]]?
        var ssh_host: String?
        var ssh_port: Int?
        var gpu_name: String?
        var num_gpus: Int?
        var geolocation: String?
    }

    /// The states `vastai` knows; an unknown one is never running.
    static func status(_ instance: Instance) -> InstanceStatus {
        if instance.intended_status == "stopped" && instance.actual_status != "running" { return .stopped }
        switch instance.actual_status {
        case nil, "created", "loading", "rebooting": return .pending
        case "running": return .running
        case "stopped", "frozen": return .stopped
        case "exited", "offline": return .failed
        default: return .unknown
        }
    }

    static func instance(_ instance: Instance) -> RemoteProvidersCore.Instance {
        let published = (instance.ports ?? [:]).compactMap { key, bindings -> PortMapping? in
            let parts = key.split(separator: "/")
            guard let inside = parts.first.flatMap({ Int($0) }), let outside = bindings.first?.HostPort.flatMap(Int.init),
                (1...65_535).contains(inside), (1...65_535).contains(outside)
            else { return nil }
            return PortMapping(hostPort: outside, containerPort: inside, transport: parts.count > 1 && parts[1] == "udp" ? .udp : .tcp)
        }.sorted { $0.containerPort < $1.containerPort }
        // SSH direct to the machine where 22 is published, else through Vast's proxy.
        let direct = published.first { $0.containerPort == 22 }
        let address = direct == nil ? instance.ssh_host : instance.public_ipaddr
        var status = status(instance)
        if status == .running && (address ?? "").isEmpty { status = .pending }
        return RemoteProvidersCore.Instance(
            id: String(instance.id), provider: .vastai, region: region(instance.geolocation),
            instanceType: "\(instance.num_gpus ?? 1)x-\(instance.gpu_name ?? "GPU")", status: status,
            publicAddress: (address ?? "").isEmpty ? nil : address, sshPort: direct?.hostPort ?? instance.ssh_port ?? 22, sshUser: "root",
            publishedPorts: published, createdAt: instance.start_date.map { Date(timeIntervalSince1970: $0) }, tags: PodNames.tags(instance.label ?? ""))
    }
}
