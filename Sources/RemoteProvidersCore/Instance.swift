import Foundation

/// A provider's lifecycle states, folded into one vocabulary. `stopped` is not `terminated`: a
/// stopped VM still exists and may still bill for its disk.
public enum InstanceStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case running
    case stopping
    case stopped
    case terminating
    case terminated
    case failed
    case unknown

    /// Gone for good: nothing left to pay for or clean up.
    public var isFinal: Bool { self == .terminated }
}

/// One machine (or container, on container clouds) a provider runs for us.
public struct Instance: Sendable, Codable, Equatable {
    /// The provider's own id (`i-0abc…`, a droplet number, a pod id).
    public var id: String
    public var provider: ProviderID
    public var region: String
    public var zone: String?
    public var instanceType: String
    public var status: InstanceStatus
    public var publicAddress: String?
    public var privateAddress: String?
    public var sshPort: Int
    public var sshUser: String?
    /// On container clouds, where the container's ports are reached: `hostPort` on `publicAddress`
    /// for each `containerPort` (SSH's 22 among them, which also sets `sshPort`). Empty for VMs.
    public var publishedPorts: [PortMapping]
    public var createdAt: Date?
    /// The tags of ../shared/PROVIDERS.md as the provider returned them, decoded to plain keys.
    public var tags: [String: String]

    public init(
        id: String, provider: ProviderID, region: String, zone: String? = nil, instanceType: String,
        status: InstanceStatus, publicAddress: String? = nil, privateAddress: String? = nil, sshPort: Int = 22,
        sshUser: String? = nil, publishedPorts: [PortMapping] = [], createdAt: Date? = nil, tags: [String: String] = [:]
    ) {
        self.publishedPorts = publishedPorts
        self.id = id
        self.provider = provider
        self.region = region
        self.zone = zone
        self.instanceType = instanceType
        self.status = status
        self.publicAddress = publicAddress
        self.privateAddress = privateAddress
        self.sshPort = sshPort
        self.sshUser = sshUser
        self.createdAt = createdAt
        self.tags = tags
    }
}

/// The tags every created resource carries (../shared/PROVIDERS.md); drivers encode them in their
/// provider's form and decode them back.
public struct ResourceTags: Sendable, Equatable, Codable {
    public static let deploymentKey = "blueprint-remote-deployment"
    public static let ownerKey = "blueprint-remote-owner"
    public static let expiresKey = "blueprint-remote-expires"

    public var deployment: String
    public var owner: String
    public var expires: Date?

    public init(deployment: String, owner: String, expires: Date?) {
        self.deployment = deployment
        self.owner = owner
        self.expires = expires
    }

    public var dictionary: [String: String] {
        var tags = [Self.deploymentKey: deployment, Self.ownerKey: owner]
        if let expires { tags[Self.expiresKey] = Self.format(expires) }
        return tags
    }

    /// RFC 3339 in UTC, whole seconds.
    public static func format(_ date: Date) -> String {
        Timestamp.format(date)
    }
}
