import Foundation
import RemoteProvidersCore

/// A deployment as the store keeps it.
public struct Deployment: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    /// The service file as `ServiceSpec` encodes it: secret values are masked, never stored.
    public var spec: String
    public var target: DeploymentTarget
    public var state: DeploymentState
    public var createdAt: Date
    public var updatedAt: Date
    /// `nil` only for deployments made with `--no-ttl`.
    public var expiresAt: Date?
    /// USD per hour for all replicas, fixed when the offer was chosen.
    public var pricePerHour: Double?

    enum CodingKeys: String, CodingKey {
        case id, name, spec, target, state
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case expiresAt = "expires_at"
        case pricePerHour = "price_per_hour"
    }
}

/// A deployment without its spec: what lists (`status`, the TTL sweeper) need, cheap to read by
/// the thousand.
public struct DeploymentSummary: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var target: DeploymentTarget
    public var state: DeploymentState
    public var createdAt: Date
    public var updatedAt: Date
    public var expiresAt: Date?
    public var pricePerHour: Double?

    enum CodingKeys: String, CodingKey {
        case id, name, target, state
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case expiresAt = "expires_at"
        case pricePerHour = "price_per_hour"
    }
}

/// What `createDeployment` needs; the store sets id, state `planned` and times.
public struct NewDeployment: Sendable {
    public var name: String
    public var spec: ServiceSpec
    public var expiresAt: Date?
    public var pricePerHour: Double?

    public init(name: String, spec: ServiceSpec, expiresAt: Date?, pricePerHour: Double? = nil) {
        self.name = name
        self.spec = spec
        self.expiresAt = expiresAt
        self.pricePerHour = pricePerHour
    }
}

/// What the store knows of an instance it is responsible for.
public enum InstanceRecordState: String, Sendable, Codable, CaseIterable {
    /// Created and not yet known to be gone.
    case active
    /// Termination was asked for; not yet verified.
    case terminating
    case terminated
    /// The provider no longer knows it, though nobody terminated it.
    case lost
}

public struct InstanceRecord: Sendable, Codable, Equatable {
    /// The store's own id.
    public var id: String
    /// `nil` for instances made with the raw `instance create`.
    public var deploymentID: String?
    public var provider: ProviderID
    public var region: String
    /// The provider's id for it (`i-0abc…`).
    public var providerInstanceID: String
    public var address: String?
    public var sshPort: Int
    public var sshUser: String?
    /// The pinned host key (`ssh-ed25519 AAAA…`), recorded on first contact.
    public var hostKey: String?
    /// The runtime its workload runs on, once chosen.
    public var runtime: WorkloadRuntime?
    /// Which replica of its deployment it carries (0-based).
    public var replica: Int?
    /// Where a container cloud publishes the container's ports: `hostPort` is the public one on
    /// `address`, `containerPort` the service's (SSH's 22 among them). Empty for VMs.
    public var publishedPorts: [PortMapping]
    public var state: InstanceRecordState
    public var createdAt: Date
    public var expiresAt: Date?

    public init(
        id: String = StoreIDs.make(prefix: "i"), deploymentID: String?, provider: ProviderID, region: String,
        providerInstanceID: String, address: String? = nil, sshPort: Int = 22, sshUser: String? = nil,
        hostKey: String? = nil, runtime: WorkloadRuntime? = nil, replica: Int? = nil, publishedPorts: [PortMapping] = [],
        state: InstanceRecordState = .active, createdAt: Date = Date(), expiresAt: Date?
    ) {
        self.runtime = runtime
        self.publishedPorts = publishedPorts
        self.replica = replica
        self.id = id
        self.deploymentID = deploymentID
        self.provider = provider
        self.region = region
        self.providerInstanceID = providerInstanceID
        self.address = address
        self.sshPort = sshPort
        self.sshUser = sshUser
        self.hostKey = hostKey
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, provider, region, address, state
        case deploymentID = "deployment_id"
        case providerInstanceID = "provider_instance_id"
        case sshPort = "ssh_port"
        case sshUser = "ssh_user"
        case hostKey = "host_key"
        case runtime, replica
        case publishedPorts = "published_ports"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }
}

/// Changes to an instance after it was recorded; `nil` fields stay as they are.
public struct InstanceUpdate: Sendable {
    public var address: String?
    public var sshPort: Int?
    public var sshUser: String?
    public var hostKey: String?
    public var runtime: WorkloadRuntime?
    public var publishedPorts: [PortMapping]?
    public var state: InstanceRecordState?

    public init(
        address: String? = nil, sshPort: Int? = nil, sshUser: String? = nil, hostKey: String? = nil,
        runtime: WorkloadRuntime? = nil, publishedPorts: [PortMapping]? = nil, state: InstanceRecordState? = nil
    ) {
        self.runtime = runtime
        self.publishedPorts = publishedPorts
        self.address = address
        self.sshPort = sshPort
        self.sshUser = sshUser
        self.hostKey = hostKey
        self.state = state
    }
}

/// One entry of a deployment's append-only timeline.
public struct DeploymentEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case created, state, attempt, instance, error, fallback, lease, note
    }

    /// Increases with every event the store appends, across all deployments.
    public var sequence: Int64
    public var deploymentID: String
    public var at: Date
    public var kind: Kind
    /// Redacted before it is stored.
    public var message: String

    enum CodingKeys: String, CodingKey {
        case sequence, at, kind, message
        case deploymentID = "deployment_id"
    }
}

/// The right to act on a deployment until `expiresAt`, renewed by heartbeat.
public struct Lease: Sendable, Codable, Equatable {
    public var deploymentID: String
    /// Who holds it: a controller and process (`host:pid`).
    public var holder: String
    /// Names this one acquisition; renew and release must present it.
    public var token: String
    public var expiresAt: Date
    /// When it was taken or last renewed: a lease not renewed for a while is stale to `gc`.
    public var renewedAt: Date

    enum CodingKeys: String, CodingKey {
        case holder, token
        case deploymentID = "deployment_id"
        case expiresAt = "expires_at"
        case renewedAt = "renewed_at"
    }

    public init(deploymentID: String, holder: String, token: String, expiresAt: Date, renewedAt: Date) {
        self.deploymentID = deploymentID
        self.holder = holder
        self.token = token
        self.expiresAt = expiresAt
        self.renewedAt = renewedAt
    }

    /// Why another controller may take it over at `now` (expired, or not renewed for
    /// `staleAfter`), or `nil` while it is live.
    public func lapse(at now: Date, staleAfter: Duration?) -> String? {
        if expiresAt <= now { return "whose lease expired at \(Timestamp.format(expiresAt))" }
        if let staleAfter, renewedAt.addingTimeInterval(staleAfter.timeInterval) <= now {
            return "whose lease was last renewed at \(Timestamp.format(renewedAt))"
        }
        return nil
    }
}

/// A controller's SSH public key as registered in the store.
public struct RegisteredKey: Sendable, Codable, Equatable {
    public var fingerprint: String
    public var controller: String
    public var publicKey: String
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case fingerprint, controller
        case publicKey = "public_key"
        case createdAt = "created_at"
    }
}

/// A bring-your-own host (of the `ssh` or `local` pool) held by a deployment, so two deployments
/// never get one host.
public struct HostClaim: Sendable, Codable, Equatable {
    /// The pool's name for the host (`ssh:h1`, `local`).
    public var host: String
    public var deploymentID: String
    public var claimedAt: Date

    enum CodingKeys: String, CodingKey {
        case host
        case deploymentID = "deployment_id"
        case claimedAt = "claimed_at"
    }
}

/// A host key trusted on first use (or given), by `host:port`: later connections must see it.
public struct PinnedHostKey: Sendable, Codable, Equatable {
    public var host: String
    /// The OpenSSH public key line, `type base64`.
    public var publicKey: String
    public var fingerprint: String
    /// The deployment whose connection pinned it, when one did.
    public var deploymentID: String?
    public var pinnedAt: Date

    public init(host: String, publicKey: String, fingerprint: String, deploymentID: String?, pinnedAt: Date) {
        self.host = host
        self.publicKey = publicKey
        self.fingerprint = fingerprint
        self.deploymentID = deploymentID
        self.pinnedAt = pinnedAt
    }

    enum CodingKeys: String, CodingKey {
        case host, fingerprint
        case publicKey = "public_key"
        case deploymentID = "deployment_id"
        case pinnedAt = "pinned_at"
    }
}

/// Short random ids: a letter, then 12 lower-case hex digits. Valid in every provider's tags and
/// labels, and DNS-safe.
public enum StoreIDs {
    public static func make(prefix: String) -> String {
        let bytes = (0..<6).map { _ in UInt8.random(in: 0...255) }
        return prefix + Hex.encode(bytes)
    }
}
