import Crypto
import Foundation
import RemoteProvidersCore

/// The tags of ../shared/PROVIDERS.md as EC2 `TagSpecification` parameters.
enum EC2Tags {
    /// Names the create request that made an instance, so a lost answer can be looked up.
    static let requestKey = "blueprint-remote-request"

    static func specification(
        _ tags: ResourceTags, name: String, resourceTypes: [String], extra: [(String, String)] = []
    ) -> [(String, String)] {
        let pairs = [("Name", name)] + tags.dictionary.sorted { $0.key < $1.key } + extra
        var parameters: [(String, String)] = []
        for (index, type) in resourceTypes.enumerated() {
            let prefix = "TagSpecification.\(index + 1)"
            parameters.append(("\(prefix).ResourceType", type))
            for (number, pair) in pairs.enumerated() {
                parameters += [("\(prefix).Tag.\(number + 1).Key", pair.0), ("\(prefix).Tag.\(number + 1).Value", pair.1)]
            }
        }
        return parameters
    }
}

enum EC2Names {
    /// 16 hex digits of the key's SHA-256: a key pair name that changes when the key does.
    static func fingerprint(_ publicKey: String) -> String {
        let blob = publicKey.split(separator: " ").dropFirst().first.map(String.init) ?? publicKey
        return Hex.encode(SHA256.hash(data: Data(blob.utf8)).prefix(8))
    }
}

/// An `instancesSet` item as an `Instance`.
enum EC2Instances {
    static func decode(_ item: XMLElement, region: String) -> Instance {
        var tags: [String: String] = [:]
        for tag in item.items("tagSet") {
            if let key = tag.string("key") { tags[key] = tag.string("value") ?? "" }
        }
        let launch = item.string("launchTime").flatMap { try? Date($0, strategy: .iso8601) }
        return Instance(
            id: item.string("instanceId") ?? "", provider: .aws, region: region, zone: item.at("placement", "availabilityZone")?.text,
            instanceType: item.string("instanceType") ?? "", status: status(item.at("instanceState", "name")?.text ?? ""),
            publicAddress: item.string("ipAddress"), privateAddress: item.string("privateIpAddress"), sshPort: 22,
            createdAt: launch, tags: tags)
    }

    static func status(_ name: String) -> InstanceStatus {
        switch name {
        case "pending": .pending
        case "running": .running
        case "stopping": .stopping
        case "stopped": .stopped
        case "shutting-down": .terminating
        case "terminated": .terminated
        default: .unknown
        }
    }
}

/// A `DescribeInstanceTypes` item as an `Offer`. On-demand prices come from the catalog.
enum EC2Offers {
    static func decode(_ item: XMLElement, region: String, spotPrice: (String) -> Double?, observedAt: Date) -> Offer? {
        guard let type = item.string("instanceType"), let vcpus = item.at("vCpuInfo", "defaultVCpus").flatMap({ Double($0.text) }),
            let memoryMiB = item.at("memoryInfo", "sizeInMiB").flatMap({ Double($0.text) })
        else { return nil }
        let architectures = item["processorInfo"]?.items("supportedArchitectures").map(\.text) ?? []
        let arch: CPUArchitecture = architectures.contains("arm64") && !architectures.contains("x86_64") ? .arm64 : .x86_64
        var gpu: Offer.GPU?
        if let first = item["gpuInfo"]?.items("gpus").first {
            gpu = Offer.GPU(
                model: first.string("name") ?? "unknown", count: Int(first.string("count") ?? "") ?? 1,
                memoryGB: (Double(first.at("memoryInfo", "sizeInMiB")?.text ?? "") ?? 0) / 1024)
        }
        return Offer(
            provider: .aws, region: region, instanceType: type, vcpus: vcpus, memoryGB: memoryMiB / 1024, diskGB: nil, gpu: gpu,
            arch: arch, onDemandPrice: nil, spotPrice: spotPrice(type), source: "aws DescribeInstanceTypes (live)", observedAt: observedAt)
    }
}
