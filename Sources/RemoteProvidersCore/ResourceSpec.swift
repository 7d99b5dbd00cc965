/// Whether spot (preemptible) capacity may be used.
public enum SpotPolicy: String, Sendable, Codable, CaseIterable {
    /// On-demand only.
    case never
    /// Whichever fits cheapest.
    case auto
    /// Spot only; fail rather than pay on-demand prices.
    case only
}

public enum CPUArchitecture: String, Sendable, Codable, CaseIterable {
    case x86_64
    case arm64
}

/// GPUs a deployment needs. `models` empty means any model; a family (`H100`) matches its variants.
public struct GPURequirement: Sendable, Equatable, Codable {
    public var count: Int
    public var models: [String]
    /// Minimum memory per GPU, in GB.
    public var minimumMemoryGB: Double?

    public init(count: Int, models: [String] = [], minimumMemoryGB: Double? = nil) {
        self.count = count
        self.models = models
        self.minimumMemoryGB = minimumMemoryGB
    }

    enum CodingKeys: String, CodingKey {
        case count
        case models
        case minimumMemoryGB = "min_memory_gb"
    }
}

/// What a deployment needs from a machine, and where and at what price it may run.
public struct ResourceSpec: Sendable, Equatable, Codable {
    public var cpus: Double
    public var memoryGB: Double
    public var diskGB: Double
    public var gpu: GPURequirement?
    public var spot: SpotPolicy
    /// Requires a trusted execution environment (confidential VM or enclave).
    public var tee: Bool
    public var arch: CPUArchitecture
    /// Allow-lists: empty means any.
    public var providers: [ProviderID]
    public var regions: [String]
    public var excludedProviders: [ProviderID]
    public var excludedRegions: [String]
    /// USD per hour, per replica.
    public var maxPricePerHour: Double?

    public init(
        cpus: Double = 1, memoryGB: Double = 1, diskGB: Double = 10, gpu: GPURequirement? = nil,
        spot: SpotPolicy = .never, tee: Bool = false, arch: CPUArchitecture = .x86_64,
        providers: [ProviderID] = [], regions: [String] = [], excludedProviders: [ProviderID] = [],
        excludedRegions: [String] = [], maxPricePerHour: Double? = nil
    ) {
        self.cpus = cpus
        self.memoryGB = memoryGB
        self.diskGB = diskGB
        self.gpu = gpu
        self.spot = spot
        self.tee = tee
        self.arch = arch
        self.providers = providers
        self.regions = regions
        self.excludedProviders = excludedProviders
        self.excludedRegions = excludedRegions
        self.maxPricePerHour = maxPricePerHour
    }

    enum CodingKeys: String, CodingKey {
        case cpus
        case memoryGB = "memory_gb"
        case diskGB = "disk_gb"
        case gpu
        case spot
        case tee
        case arch
        case providers
        case regions
        case excludedProviders = "exclude_providers"
        case excludedRegions = "exclude_regions"
        case maxPricePerHour = "max_price_per_hour"
    }
}

/// Bounds past any machine a cloud rents today; a value beyond them is a typo, not a wish.
public enum ResourceLimits {
    /// The largest single machines offered have under 2,000 vCPUs.
    public static let maxCPUs = 2_048.0
    /// 32 TiB: the largest memory-optimised instances.
    public static let maxMemoryGB = 32_768.0
    /// 64 TiB of attached disk.
    public static let maxDiskGB = 65_536.0
    /// Single nodes carry at most 8–16 GPUs.
    public static let maxGPUs = 16
    /// Per GPU; the largest accelerators have a few hundred GB.
    public static let maxGPUMemoryGB = 1_024.0
    public static let maxReplicas = 1_000
    /// No single machine costs this much per hour; a larger cap is a typo.
    public static let maxPricePerHour = 10_000.0
    /// A year: a longer TTL is not a TTL.
    public static let maxTTL = TimeSpan(seconds: 365 * 86_400)
}
