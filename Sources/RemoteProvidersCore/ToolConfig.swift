import Foundation

/// Defaults and caps from `~/.config/blueprint-remote/config.yaml` (or `BLUEPRINT_REMOTE_CONFIG`).
///
/// A service file's own values win over defaults; caps are limits a service file may not exceed.
public struct ToolConfig: Sendable, Equatable, Encodable {
    public var defaultTTL: TimeSpan
    public var providers: [ProviderID]
    public var excludedProviders: [ProviderID]
    public var regions: [String]
    public var excludedRegions: [String]
    public var maxPricePerHour: Double?
    public var maxTotalCost: Double?
    public var allowedCIDRs: [CIDR]?
    /// How long live offers from `catalog refresh` count before the snapshot is used again.
    public var catalogMaxAge: TimeSpan?
    /// How long `up` waits for a created VM to answer SSH (default 5 minutes).
    public var sshWait: TimeSpan?

    public init(
        defaultTTL: TimeSpan = ServiceSpec.defaultTTL, providers: [ProviderID] = [], excludedProviders: [ProviderID] = [],
        regions: [String] = [], excludedRegions: [String] = [], maxPricePerHour: Double? = nil,
        maxTotalCost: Double? = nil, allowedCIDRs: [CIDR]? = nil, catalogMaxAge: TimeSpan? = nil, sshWait: TimeSpan? = nil
    ) {
        self.defaultTTL = defaultTTL
        self.providers = providers
        self.excludedProviders = excludedProviders
        self.regions = regions
        self.excludedRegions = excludedRegions
        self.maxPricePerHour = maxPricePerHour
        self.maxTotalCost = maxTotalCost
        self.allowedCIDRs = allowedCIDRs
        self.catalogMaxAge = catalogMaxAge
        self.sshWait = sshWait
    }

    enum CodingKeys: String, CodingKey {
        case defaultTTL = "default_ttl"
        case providers
        case excludedProviders = "exclude_providers"
        case regions
        case excludedRegions = "exclude_regions"
        case maxPricePerHour = "max_price_per_hour"
        case maxTotalCost = "max_total_cost"
        case allowedCIDRs = "allowed_cidrs"
        case catalogMaxAge = "catalog_max_age"
        case sshWait = "ssh_wait"
    }

    /// The file `load(environment:)` reads: `BLUEPRINT_REMOTE_CONFIG`, else the XDG location.
    public static func path(environment: Environment) -> String {
        if let path = environment["BLUEPRINT_REMOTE_CONFIG"] { return path }
        let configHome = environment["XDG_CONFIG_HOME"] ?? "\(environment["HOME"] ?? NSHomeDirectory())/.config"
        return "\(configHome)/blueprint-remote/config.yaml"
    }

    /// The config in force: the file when it exists, else the built-in defaults. A file named by
    /// `BLUEPRINT_REMOTE_CONFIG` must exist.
    public static func load(environment: Environment) throws -> ToolConfig {
        let path = path(environment: environment)
        guard let data = FileManager.default.contents(atPath: path) else {
            if environment["BLUEPRINT_REMOTE_CONFIG"] != nil {
                throw ValidationError(field: "BLUEPRINT_REMOTE_CONFIG", value: path, rule: "names a file that cannot be read")
            }
            return ToolConfig()
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String = "config") throws -> ToolConfig {
        let root = try SpecNode.parse(text, source: source)
        if root == .null { return ToolConfig() }
        let report = ValidationReport()
        guard var reader = SpecReader(root, path: "", report: report) else {
            try report.check()
            return ToolConfig()
        }
        var config = ToolConfig()
        if let ttl = reader.duration("default_ttl") {
            if ttl.seconds > 0, ttl <= ResourceLimits.maxTTL {
                config.defaultTTL = ttl
            } else {
                reader.fail("default_ttl", ttl.description, "must be more than 0s and at most \(ResourceLimits.maxTTL)")
            }
        }
        var placement = ResourceSpec()
        ResourceReading.readPlacement(&reader, into: &placement, config: ToolConfig())
        config.providers = placement.providers
        config.excludedProviders = placement.excludedProviders
        config.regions = placement.regions
        config.excludedRegions = placement.excludedRegions
        config.maxPricePerHour = placement.maxPricePerHour
        if let cost = reader.number("max_total_cost") {
            if cost > 0 { config.maxTotalCost = cost } else { reader.fail("max_total_cost", "\(cost)", "must be more than 0") }
        }
        if let age = reader.duration("catalog_max_age") {
            if age.seconds > 0, age <= ResourceLimits.maxTTL {
                config.catalogMaxAge = age
            } else {
                reader.fail("catalog_max_age", age.description, "must be more than 0s and at most \(ResourceLimits.maxTTL)")
            }
        }
        if let wait = reader.duration("ssh_wait") {
            if let reason = Self.sshWaitRule(wait) { reader.fail("ssh_wait", wait.description, reason) } else { config.sshWait = wait }
        }
        if let texts = reader.stringList("allowed_cidrs") {
            config.allowedCIDRs = CIDRReading.parse(texts, field: "allowed_cidrs", reader: &reader)
        }
        reader.finish()
        try report.check()
        return config
    }

    /// Why `wait` is no SSH wait (`nil` when it is one): at least 10s (a VM needs that to boot),
    /// at most 1h.
    public static func sshWaitRule(_ wait: TimeSpan) -> String? {
        (10...3600).contains(wait.seconds) ? nil : "must be at least 10s and at most 1h"
    }
}
