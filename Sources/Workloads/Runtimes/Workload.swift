import Foundation
import RemoteProvidersCore

/// What one replica runs on one host: the service file's workload, with its secrets resolved and
/// its names fixed.
public struct Workload: Sendable {
    public var deploymentID: String
    public var service: String
    /// Which replica of the deployment (0-based): part of the name, so replicas never clash.
    public var replica: Int
    public var image: String?
    public var command: [String]
    public var environment: [String: String]
    /// Delivered like `environment`, through a 0600 file, never on a command line.
    public var secrets: [String: Secret]
    public var ports: [PortMapping]
    public var cpus: Double
    public var memoryGB: Double
    public var pidsLimit: Int
    public var gpus: Int
    /// `tunnel`: ports listen on the host's loopback only, reached through SSH.
    public var exposure: ExposureMode
    public var pullPolicy: PullPolicy
    public var registryAuth: ResolvedRegistryAuth?
    /// A local `docker save` archive to load on the host instead of pulling.
    public var imageArchive: String?

    public init(
        deploymentID: String, service: String, replica: Int = 0, image: String?, command: [String] = [],
        environment: [String: String] = [:], secrets: [String: Secret] = [:], ports: [PortMapping] = [], cpus: Double = 1,
        memoryGB: Double = 1, pidsLimit: Int = 4096, gpus: Int = 0, exposure: ExposureMode = .public,
        pullPolicy: PullPolicy = .missing, registryAuth: ResolvedRegistryAuth? = nil, imageArchive: String? = nil
    ) {
        self.deploymentID = deploymentID
        self.service = service
        self.replica = replica
        self.image = image
        self.command = command
        self.environment = environment
        self.secrets = secrets
        self.ports = ports
        self.cpus = cpus
        self.memoryGB = memoryGB
        self.pidsLimit = pidsLimit
        self.gpus = gpus
        self.exposure = exposure
        self.pullPolicy = pullPolicy
        self.registryAuth = registryAuth
        self.imageArchive = imageArchive
    }

    /// The container (or unit) name: `bp-<deployment>-<replica>`.
    public var name: String { "bp-\(deploymentID)-\(replica)" }

    /// Where the workload's files live on the host, relative to the login user's home.
    public var stateDirectory: String { ".blueprint-remote/\(name)" }
    public var environmentFile: String { "\(stateDirectory)/\(Self.environmentFileName)" }
    static let environmentFileName = "env"

    /// The labels every container carries, so the tool finds its own.
    public var labels: [(String, String)] {
        [
            (Workload.deploymentLabel, deploymentID), ("blueprint-remote.service", service),
            ("blueprint-remote.replica", String(replica)),
        ]
    }

    public static let deploymentLabel = "blueprint-remote.deployment"

    /// Every variable, sorted by name; secrets win over plain values of the same name.
    var variables: [(name: String, value: String)] {
        environment.merging(secrets.mapValues(\.revealed)) { $1 }.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }
}

/// Registry credentials with the password read (from the file, variable or value the spec names).
public struct ResolvedRegistryAuth: Sendable {
    public var server: String
    public var username: String
    public var password: Secret

    public init(server: String, username: String, password: Secret) {
        self.server = server
        self.username = username
        self.password = password
    }
}

/// How a workload is doing, as its runtime reports it.
public struct WorkloadStatus: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case running
        /// Made, or restarting, but not running now.
        case starting
        case exited
        /// The runtime does not know it.
        case missing
    }

    public var state: State
    public var exitCode: Int?
    public var detail: String?

    public init(state: State, exitCode: Int? = nil, detail: String? = nil) {
        self.state = state
        self.exitCode = exitCode
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case state, detail
        case exitCode = "exit_code"
    }
}

extension Workload {
    /// Enough of a workload to find, read or remove it: its name and files follow from these.
    public static func handle(deploymentID: String, replica: Int) -> Workload {
        Workload(deploymentID: deploymentID, service: "", replica: replica, image: nil)
    }
}

extension Workload {
    /// The container a container cloud runs for this workload: image, command, every variable
    /// (secrets included: the provider holds them as it holds the image's), and the container ports
    /// to publish, SSH's 22 first. What such a cloud cannot do is refused, with the reason.
    public func containerLaunch(on provider: ProviderID) throws -> ContainerLaunch {
        if let reason = ContainerCloudFit.refusal(
            provider, image: image, native: false, tunnel: exposure == .tunnel, privateRegistry: registryAuth != nil, imageArchive: imageArchive != nil)
        {
            throw ProviderError.unsupported("up", provider: provider, reason: reason)
        }
        guard let image else { throw ProviderError.unsupported("up", provider: provider, reason: "\(provider) runs container images; this service has no image") }
        let ports = [22] + ports.map(\.containerPort).filter { $0 != 22 }
        return ContainerLaunch(
            image: image, environment: Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), command: command, ports: ports)
    }
}
