import Foundation
import RemoteProvidersCore

/// Lium's objects as its own client `lium-io` (0.32.0) reads them (`lium/sdk/client.py`,
/// `_dict_to_executor_info` and `ps`); every field is optional there.
enum LiumWire {
    struct Executor: Decodable, Sendable {
        struct Location: Decodable, Sendable {
            var country: String?
            var country_code: String?
        }

        struct Specs: Decodable, Sendable {
            struct GPU: Decodable, Sendable {
                struct Detail: Decodable, Sendable {
                    var name: String?
                    /// MiB.
                    var capacity: Double?
                }

                var count: Int?
                var details: [Detail]?
            }

            struct Count: Decodable, Sendable { var count: Int? }
            /// KiB.
            struct Total: Decodable, Sendable { var total: Double? }

            var gpu: GPU?
            var cpu: Count?
            var ram: Total?
            var hard_disk: Total?
        }

        var id: String
        var machine_name: String?
        var gpu_count: Int?
        /// USD per GPU-hour.
        var price_per_gpu: Double?
        var location: Location?
        var specs: Specs?
        /// `spot` (interruptible) or `secure`.
        var tier: String?
        var available_gpu_count: Int?

        var gpus: Int { gpu_count ?? specs?.gpu?.count ?? specs?.gpu?.details?.count ?? 1 }
        var gpuName: String { specs?.gpu?.details?.first?.name ?? machine_name ?? "" }
        var region: String { location?.country_code?.lowercased() ?? "any" }
    }

    struct Pod: Decodable, Sendable {
        struct ExecutorRef: Decodable, Sendable { var id: String? }

        var id: String
        var pod_name: String?
        var status: String?
        /// `ssh <user>@<host> -p <port>`, once the pod can be reached.
        var ssh_connect_cmd: String?
        /// Container port (as a string) → public port.
        var ports_mapping: [String: Int]?
        var created_at: String?
        var removal_scheduled_at: String?
        var executor: ExecutorRef?
    }

    struct Template: Codable, Sendable {
        var id: String
        var name: String?
    }

    /// The documented states `lium-io` knows (its `wait_ready`); an unknown one is never running.
    static func status(_ raw: String?) -> InstanceStatus {
        switch raw?.uppercased() {
        case "RUNNING": .running
        case "PENDING", "CREATING", "DEPLOYING", "STARTING", "REBOOT_PENDING", "REBOOTING": .pending
        case "STOPPED": .stopped
        case "DELETING": .terminating
        case "TERMINATED", "DELETED", "REMOVED", "CANCELLED": .terminated
        case "FAILED", "ERROR", "CREATION_FAILED", "BROKEN", "REBOOT_FAILED": .failed
        default: .unknown
        }
    }

    /// `ssh root@203.0.113.9 -p 40022` → user, host, port; anything else → `nil`.
    static func sshTarget(_ command: String?) -> (user: String, host: String, port: Int)? {
        guard let words = command?.split(separator: " ").map(String.init), words.first == "ssh", words.count == 2 || words.count == 4,
            let at = words[1].firstIndex(of: "@")
        else { return nil }
        let user = String(words[1][..<at])
        let host = String(words[1][words[1].index(after: at)...])
        var port = 22
        if words.count == 4 {
            guard words[2] == "-p", let parsed = Int(words[3]), (1...65_535).contains(parsed) else { return nil }
            port = parsed
        }
        guard !user.isEmpty, !host.isEmpty else { return nil }
        return (user, host, port)
    }

    static func instance(_ pod: Pod) -> Instance {
        let target = sshTarget(pod.ssh_connect_cmd)
        var status = status(pod.status)
        // Running before it can be reached is still starting, as far as anyone can connect.
        if status == .running && target == nil { status = .pending }
        let published = (pod.ports_mapping ?? [:]).compactMap { container, host -> PortMapping? in
            guard let port = Int(container), (1...65_535).contains(port), (1...65_535).contains(host) else { return nil }
            return PortMapping(hostPort: host, containerPort: port)
        }.sorted { $0.containerPort < $1.containerPort }
        var tags = PodNames.tags(pod.pod_name ?? "")
        if let removal = pod.removal_scheduled_at.flatMap({ try? Date($0, strategy: .iso8601) }) {
            tags[ResourceTags.expiresKey] = ResourceTags.format(removal)
        }
        return Instance(
            id: pod.id, provider: .lium, region: "any", instanceType: pod.executor?.id ?? "", status: status, publicAddress: target?.host,
            sshPort: target?.port ?? 22, sshUser: target?.user ?? "root", publishedPorts: published,
            createdAt: pod.created_at.flatMap { try? Date($0, strategy: .iso8601) }, tags: tags)
    }
}
