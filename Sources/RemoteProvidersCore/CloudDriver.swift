import Foundation

/// Something a provider sells: one instance type in one place, at a price.
public struct Offer: Sendable, Equatable, Codable {
    public struct GPU: Sendable, Equatable, Codable {
        public var model: String
        public var count: Int
        public var memoryGB: Double

        public init(model: String, count: Int, memoryGB: Double) {
            self.model = model
            self.count = count
            self.memoryGB = memoryGB
        }

        enum CodingKeys: String, CodingKey {
            case model, count
            case memoryGB = "memory_gb"
        }
    }

    public var provider: ProviderID
    public var region: String
    public var zone: String?
    public var instanceType: String
    /// `nil` where the buyer sizes it at rent time or it varies by host (marketplace rows of
    /// the snapshot): such an offer fits any amount, and the live listing gives the real one.
    public var vcpus: Double?
    public var memoryGB: Double?
    /// `nil` where the disk is network storage sized at create time.
    public var diskGB: Double?
    public var gpu: GPU?
    public var arch: CPUArchitecture
    /// USD per hour; `nil` where that market does not exist.
    public var onDemandPrice: Double?
    public var spotPrice: Double?
    public var tee: Bool
    /// Where the row came from (a price list and its date, a live listing).
    public var source: String
    public var observedAt: Date

    public init(
        provider: ProviderID, region: String, zone: String? = nil, instanceType: String, vcpus: Double?,
        memoryGB: Double?, diskGB: Double? = nil, gpu: GPU? = nil, arch: CPUArchitecture = .x86_64,
        onDemandPrice: Double?, spotPrice: Double? = nil, tee: Bool = false, source: String, observedAt: Date
    ) {
        self.provider = provider
        self.region = region
        self.zone = zone
        self.instanceType = instanceType
        self.vcpus = vcpus
        self.memoryGB = memoryGB
        self.diskGB = diskGB
        self.gpu = gpu
        self.arch = arch
        self.onDemandPrice = onDemandPrice
        self.spotPrice = spotPrice
        self.tee = tee
        self.source = source
        self.observedAt = observedAt
    }

    enum CodingKeys: String, CodingKey {
        case provider, region, zone, vcpus, gpu, arch, tee, source
        case instanceType = "instance_type"
        case memoryGB = "memory_gb"
        case diskGB = "disk_gb"
        case onDemandPrice = "on_demand_price"
        case spotPrice = "spot_price"
        case observedAt = "observed_at"
    }
}

/// What `CloudDriver.create` is asked to make.
public struct InstanceRequest: Sendable, Equatable {
    /// Unique per attempt and stable across retries of it: drivers derive their idempotency token from it.
    public var requestID: String
    public var name: String
    public var region: String
    public var zone: String?
    public var instanceType: String
    public var image: String?
    public var diskGB: Double
    public var spot: Bool
    public var tags: ResourceTags
    public var sshPublicKey: String?
    public var userData: String?
    public var exposure: Exposure
    public var ports: [PortMapping]
    /// For `ContainerHosting` drivers: the container the provider runs. `nil` for VMs.
    public var container: ContainerLaunch?

    public init(
        requestID: String, name: String, region: String, zone: String? = nil, instanceType: String, image: String? = nil,
        diskGB: Double, spot: Bool = false, tags: ResourceTags, sshPublicKey: String? = nil, userData: String? = nil,
        exposure: Exposure = Exposure(), ports: [PortMapping] = [], container: ContainerLaunch? = nil
    ) {
        self.container = container
        self.requestID = requestID
        self.name = name
        self.region = region
        self.zone = zone
        self.instanceType = instanceType
        self.image = image
        self.diskGB = diskGB
        self.spot = spot
        self.tags = tags
        self.sshPublicKey = sshPublicKey
        self.userData = userData
        self.exposure = exposure
        self.ports = ports
    }
}

/// The contract every cloud driver keeps. A driver knows its provider's wire format and nothing
/// about deployment; waiting, deploying, cleanup and failover are written once, elsewhere.
public protocol CloudDriver: Sendable {
    var provider: ProviderID { get }

    /// Proves the credentials with the provider's cheapest read-only call; returns what it learned
    /// (an account or project name) for `providers --check`.
    func checkCredentials() async throws -> String

    /// Returns once the provider accepted the request (id known, address maybe not). Idempotent: a
    /// retry with the same `requestID` finds the first instance instead of making a second.
    func create(_ request: InstanceRequest) async throws -> Instance

    /// Batched where the API allows. Ids the provider no longer knows are left out.
    func describe(_ ids: [String]) async throws -> [Instance]

    /// Every instance in the account carrying `key: value` (for reconcile).
    func list(tag key: String, value: String) async throws -> [Instance]

    /// Batched where the API allows. Idempotent: ids already gone, or never known, are success.
    func terminate(_ ids: [String]) async throws
}

/// One kind of API call a plan expects to make, and how many times.
public struct ExpectedCall: Sendable, Equatable, Encodable {
    public let call: String
    public let count: Int
    /// When the count is not exact (polls) or the call is made only sometimes.
    public let note: String?

    public init(_ call: String, count: Int, note: String? = nil) {
        self.call = call
        self.count = count
        self.note = note
    }
}

/// What a container cloud is asked to run: the service's image as the provider starts it.
public struct ContainerLaunch: Sendable, Equatable {
    public var image: String
    /// Passed to the provider exactly as given, byte for byte.
    public var environment: [String: String]
    /// The container's command (argv); empty: the image's own.
    public var command: [String]
    /// The container ports to publish (the service's, and 22 for SSH).
    public var ports: [Int]

    public init(image: String, environment: [String: String] = [:], command: [String] = [], ports: [Int] = []) {
        self.image = image
        self.environment = environment
        self.command = command
        self.ports = ports
    }
}

/// A driver whose instances are containers the provider runs from an image (Lium, RunPod, Vast.ai):
/// `create` needs `InstanceRequest.container`, and the service is not deployed over SSH afterwards;
/// its ports are reached where `Instance.publishedPorts` says. SSH, where offered, is for `ssh`
/// and command health checks.
public protocol ContainerHosting: CloudDriver {}

/// A driver that lists what can be bought, live.
public protocol OfferListing: CloudDriver {
    func offers(for spec: ResourceSpec) async throws -> [Offer]
}
