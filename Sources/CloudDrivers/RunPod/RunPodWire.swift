import Foundation
import RemoteProvidersCore

/// RunPod REST API v2 objects as its document declares them (Tests/Contracts/runpod.json), only
/// the fields the driver reads.
enum RunPodWire {
    struct Pod: Codable, Sendable {
        struct GPU: Codable, Sendable {
            var id: String
            var count: Int?
        }

        struct Runtime: Codable, Sendable {
            struct Port: Codable, Sendable {
                var `private`: Int?
                var `public`: Int?
                var type: String?
                var ip: String?
            }

            var ports: [Port]?
        }

        var id: String
        var name: String
        /// `PROVISIONING`, `STARTING`, `RUNNING`, `EXITED`, `ERROR`, `TERMINATED`.
        var status: String
        var gpu: GPU?
        var cloud: String?
        var dataCenterId: String?
        /// Null unless the pod is running.
        var runtime: Runtime?
        var createdAt: String?
    }

    struct GPUType: Decodable, Sendable {
        struct Prices: Decodable, Sendable {
            var secure: Double?
            var community: Double?
        }

        struct Counts: Decodable, Sendable {
            var secure: Int?
            var community: Int?
        }

        var id: String
        var name: String?
        /// GB.
        var memory: Double?
        var secure: Bool?
        var community: Bool?
        var price: Prices?
        var maxCount: Counts?
        /// `NONE`, `LOW`, `MEDIUM`, `HIGH`, with `include=AVAILABILITY`.
        var availability: String?
    }

    /// The document's whole `PodStatus` enum; anything new is `unknown`, never running.
    static func status(_ raw: String) -> InstanceStatus {
        switch raw {
        case "RUNNING": .running
        case "PROVISIONING", "STARTING": .pending
        case "EXITED": .stopped
        case "TERMINATED": .terminated
        case "ERROR": .failed
        default: .unknown
        }
    }

    static func instance(_ pod: Pod) -> Instance {
        let ports = pod.runtime?.ports ?? []
        let published = ports.compactMap { port -> PortMapping? in
            guard let inside = port.private, let outside = port.public, port.ip != nil, (1...65_535).contains(inside), (1...65_535).contains(outside)
            else { return nil }
            return PortMapping(hostPort: outside, containerPort: inside)
        }.sorted { $0.containerPort < $1.containerPort }
        let address = ports.first { $0.private == 22 && $0.ip != nil }?.ip ?? ports.first { $0.ip != nil }?.ip
        var status = status(pod.status)
        // Running before a public port is known is still starting, as far as anyone can connect.
        if status == .running && address == nil { status = .pending }
        return Instance(
            id: pod.id, provider: .runpod, region: pod.cloud?.lowercased() ?? "", zone: pod.dataCenterId,
            instanceType: RunPodTypes.name(gpu: pod.gpu?.id ?? "", count: pod.gpu?.count ?? 1), status: status, publicAddress: address,
            sshPort: published.first { $0.containerPort == 22 }?.hostPort ?? 22, sshUser: "root", publishedPorts: published,
            createdAt: pod.createdAt.flatMap { try? Date($0, strategy: .iso8601) }, tags: PodNames.tags(pod.name))
    }
}

/// Instance types as the catalog names them: the GPU type id RunPod takes (`NVIDIA H100 80GB HBM3`)
/// for one GPU, `<N>x <id>` for N; the region is the cloud, `secure` or `community`.
enum RunPodTypes {
    static func name(gpu: String, count: Int) -> String { count == 1 ? gpu : "\(count)x \(gpu)" }

    static func parse(_ type: String) -> (gpu: String, count: Int) {
        let words = type.split(separator: " ", maxSplits: 1)
        if words.count == 2, words[0].hasSuffix("x"), let count = Int(words[0].dropLast()), count > 0 { return (String(words[1]), count) }
        return (type, 1)
    }
}
