/// Where a service runs inside a provider.
public enum DeploymentTarget: String, Sendable, Codable, CaseIterable {
    case vm
    case kubernetes
}

/// How a service runs on a VM or host.
public enum WorkloadRuntime: String, Sendable, Codable, CaseIterable {
    case docker
    case podman
    case containerd
    /// A binary on the host, run under systemd or a supervisor; needs `command`, takes no image.
    case native
}

public enum PullPolicy: String, Sendable, Codable, CaseIterable {
    case missing
    case always
    case never
}

/// How the service's ports are reachable.
public enum ExposureMode: String, Sendable, Codable, CaseIterable {
    /// Ports open to `allowed_cidrs`.
    case `public`
    /// Only SSH is open; the service is reached through a tunnel over it.
    case tunnel
}

public struct Exposure: Sendable, Equatable, Codable {
    public var mode: ExposureMode
    /// Who may connect (the service ports when public, SSH always).
    public var allowedCIDRs: [CIDR]

    public init(mode: ExposureMode = .public, allowedCIDRs: [CIDR] = [.anywhereIPv4]) {
        self.mode = mode
        self.allowedCIDRs = allowedCIDRs
    }

    enum CodingKeys: String, CodingKey {
        case mode = "expose"
        case allowedCIDRs = "allowed_cidrs"
    }
}

/// How health is proven, and with what patience (GPU model servers take minutes to start).
public struct HealthCheck: Sendable, Equatable, Codable {
    public enum Probe: Sendable, Equatable {
        case http(path: String, port: Int)
        case tcp(port: Int)
        /// Run inside the workload; exit status 0 is healthy.
        case command([String])
    }

    public var probe: Probe
    public var interval: TimeSpan
    public var timeout: TimeSpan
    /// Failures during this time after start do not count.
    public var startPeriod: TimeSpan
    /// Consecutive failures after the start period that mean unhealthy.
    public var retries: Int

    public static let defaultInterval = TimeSpan(seconds: 10)
    public static let defaultTimeout = TimeSpan(seconds: 5)
    public static let defaultStartPeriod = TimeSpan(seconds: 30)
    public static let defaultRetries = 3

    public init(
        probe: Probe, interval: TimeSpan = defaultInterval, timeout: TimeSpan = defaultTimeout,
        startPeriod: TimeSpan = defaultStartPeriod, retries: Int = defaultRetries
    ) {
        self.probe = probe
        self.interval = interval
        self.timeout = timeout
        self.startPeriod = startPeriod
        self.retries = retries
    }

    enum CodingKeys: String, CodingKey {
        case http, port, tcp, command, interval, timeout, retries
        case startPeriod = "start_period"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let path = try container.decodeIfPresent(String.self, forKey: .http) {
            probe = .http(path: path, port: try container.decode(Int.self, forKey: .port))
        } else if let port = try container.decodeIfPresent(Int.self, forKey: .tcp) {
            probe = .tcp(port: port)
        } else {
            probe = .command(try container.decode([String].self, forKey: .command))
        }
        interval = try container.decode(TimeSpan.self, forKey: .interval)
        timeout = try container.decode(TimeSpan.self, forKey: .timeout)
        startPeriod = try container.decode(TimeSpan.self, forKey: .startPeriod)
        retries = try container.decode(Int.self, forKey: .retries)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch probe {
        case .http(let path, let port):
            try container.encode(path, forKey: .http)
            try container.encode(port, forKey: .port)
        case .tcp(let port):
            try container.encode(port, forKey: .tcp)
        case .command(let argv):
            try container.encode(argv, forKey: .command)
        }
        try container.encode(interval, forKey: .interval)
        try container.encode(timeout, forKey: .timeout)
        try container.encode(startPeriod, forKey: .startPeriod)
        try container.encode(retries, forKey: .retries)
    }
}

/// A secret env value or password: given inline, or read when needed from a variable or a file,
/// so the secret itself need not sit in the service file.
public enum SecretSource: Sendable, Equatable, Encodable {
    case value(Secret)
    case environment(String)
    case file(String)

    enum CodingKeys: String, CodingKey {
        case env, file
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let secret):
            var container = encoder.singleValueContainer()
            try container.encode(secret)
        case .environment(let name):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .env)
        case .file(let path):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .file)
        }
    }
}

/// Credentials for a private image registry.
public struct RegistryAuth: Sendable, Equatable, Encodable {
    public var server: String
    public var username: String
    public var password: SecretSource

    public init(server: String, username: String, password: SecretSource) {
        self.server = server
        self.username = username
        self.password = password
    }
}

/// `ttl:` in a service file: a duration, `none`, or absent (the configured default).
public enum TTLSetting: Sendable, Equatable, Encodable, CustomStringConvertible {
    case duration(TimeSpan)
    case none

    public var description: String {
        switch self {
        case .duration(let span): span.description
        case .none: "none"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A service to deploy, as written in a service file (YAML or JSON, snake_case keys).
public struct ServiceSpec: Sendable, Equatable, Encodable {
    public var name: String
    /// OCI reference; `nil` only for the native runtime.
    public var image: String?
    public var command: [String]?
    public var ports: [PortMapping]
    /// Plain environment; values are delivered byte-exact.
    public var env: [String: String]
    /// Environment whose values are never logged, printed or stored in plain text.
    public var secrets: [String: SecretSource]
    public var resources: ResourceSpec
    public var health: HealthCheck?
    /// `nil` means the configured default TTL.
    public var ttl: TTLSetting?
    public var target: DeploymentTarget
    /// `nil` means podman where the host has it, else docker.
    public var runtime: WorkloadRuntime?
    public var replicas: Int
    /// USD over the whole TTL, all replicas.
    public var maxTotalCost: Double?
    public var registryAuth: RegistryAuth?
    public var pullPolicy: PullPolicy
    /// A local image tarball uploaded over SSH instead of pulled.
    public var imageArchive: String?
    public var exposure: Exposure

    public static let defaultTTL = TimeSpan.hours(8)

    public init(
        name: String, image: String?, command: [String]? = nil, ports: [PortMapping] = [], env: [String: String] = [:],
        secrets: [String: SecretSource] = [:], resources: ResourceSpec = ResourceSpec(), health: HealthCheck? = nil,
        ttl: TTLSetting? = nil, target: DeploymentTarget = .vm, runtime: WorkloadRuntime? = nil, replicas: Int = 1,
        maxTotalCost: Double? = nil, registryAuth: RegistryAuth? = nil, pullPolicy: PullPolicy = .missing,
        imageArchive: String? = nil, exposure: Exposure = Exposure()
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.ports = ports
        self.env = env
        self.secrets = secrets
        self.resources = resources
        self.health = health
        self.ttl = ttl
        self.target = target
        self.runtime = runtime
        self.replicas = replicas
        self.maxTotalCost = maxTotalCost
        self.registryAuth = registryAuth
        self.pullPolicy = pullPolicy
        self.imageArchive = imageArchive
        self.exposure = exposure
    }

    /// The TTL a deployment gets: the spec's, else `defaultTTL`. `ttl: none` needs `allowNoTTL`
    /// (`--no-ttl`), so a forgotten machine is never an accident.
    public func effectiveTTL(default defaultTTL: TimeSpan, allowNoTTL: Bool) throws -> TimeSpan? {
        switch ttl {
        case .duration(let span)?: return span
        case nil: return defaultTTL
        case .none?:
            guard allowNoTTL else {
                throw ValidationError(field: "ttl", value: "none", rule: "a deployment without a TTL needs --no-ttl")
            }
            return nil
        }
    }
}
