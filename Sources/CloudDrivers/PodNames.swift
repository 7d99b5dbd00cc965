import Crypto
import Foundation
import RemoteProvidersCore

/// For container clouds whose pods carry no tags, only a name (Lium, RunPod): the owner and
/// deployment are written into it (`bpr.<owner>.<deployment>.<request hash>`) and read back from
/// it, so `list` by owner or deployment finds exactly ours. The request hash makes the name unique
/// per create request, so a create whose answer was lost is found by name.
enum PodNames {
    static let prefix = "bpr"

    static func podName(_ request: InstanceRequest) throws -> String {
        for (field, value) in [("owner", request.tags.owner), ("name", request.tags.deployment)] where value.isEmpty || value.contains(".") {
            throw ValidationError(field: field, value: value, rule: "must be non-empty and hold no '.' to be written into a pod name (the only place a container cloud keeps it)")
        }
        return [prefix, request.tags.owner, request.tags.deployment, hash(request.requestID)].joined(separator: ".")
    }

    /// The owner and deployment a pod name of ours carries; none for anyone else's.
    static func tags(_ name: String) -> [String: String] {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == prefix else { return [:] }
        return [ResourceTags.ownerKey: String(parts[1]), ResourceTags.deploymentKey: String(parts[2])]
    }

    /// An idempotency key (Lium's rent takes one): a UUID made from the request id, the same on every retry of it.
    static func idempotencyKey(_ requestID: String) -> String {
        var bytes = Array(SHA256.hash(data: Data("blueprint-remote/pod/\(requestID)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5 (name-based)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }

    /// The one-time template of a create request, so a retry of it finds the first one.
    static func templateName(_ requestID: String) -> String { "bp-\(hash(requestID))" }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
    }
}
