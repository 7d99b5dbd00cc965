import Foundation
import RemoteProviders

/// The catalog as the commands see it: the snapshot with the cache beside the state store merged
/// over it, and which providers `up` may use.
enum CatalogAccess {
    /// `catalog-cache.json` beside a SQLite store; in the local state folder for a shared one.
    static func cachePath(_ environment: Environment) throws -> String {
        switch try StoreLocation.resolve(environment) {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            return "\(folder.isEmpty ? "." : folder)/\(CatalogCache.fileName)"
        case .postgres:
            return "\(StoreLocation.localStateDirectory(environment))/\(CatalogCache.fileName)"
        }
    }

    static func load(_ environment: Environment, config: ToolConfig) throws -> Catalog {
        let cache = try CatalogCache.load(path: try cachePath(environment))
        return Catalog.load(cache: cache, maxAge: config.catalogMaxAge ?? Catalog.defaultMaxAge)
    }

    /// Why `up` cannot use `provider` here; nil when it can: a driver in this build and
    /// credentials set (or found where the tool runs, as in ~/.aws files).
    static func notDeployable(_ provider: ProviderID, environment: Environment, hostsFile: Bool, registry: DriverRegistry = .standard) -> String? {
        if provider == .local { return nil }
        if provider == .ssh { return hostsFile ? nil : "no hosts file: pass --hosts FILE or set \(HostsFile.variable)" }
        guard let metadata = ProviderDirectory.metadata(for: provider) else { return "not a provider this build knows" }
        guard registry.hasDriver(for: provider) else { return "no driver in this build yet" }
        switch CredentialStatus(metadata: metadata, environment: environment).state {
        case .configured, .notNeeded: return nil
        case .ambient(_, let source):
            if DriverRegistry.ambientCredentialsFound[provider]?(environment) == true { return nil }
            let names = metadata.credentialSchemes.first?.required.map(\.name) ?? []
            return "credentials not set: \(names.joined(separator: " + ")) (nor found in \(source))"
        case .missing:
            let names = metadata.credentialSchemes.first?.required.map(\.name) ?? []
            return "credentials not set: \(names.joined(separator: " + "))"
        }
    }

    /// `--provider` values as ids, each checked.
    static func providers(_ texts: [String], field: String = "provider") throws -> [ProviderID] {
        try texts.flatMap { $0.split(separator: ",").map(String.init) }.map { text in
            guard let id = ProviderID(rawValue: text), ProviderDirectory.metadata(for: id) != nil else {
                throw UsageError("unknown provider '\(text)'; known: \(ProviderDirectory.ids.map(\.rawValue).joined(separator: ", "))", field: field)
            }
            return id
        }
    }

    /// How fresh a row is, for tables: `snapshot 2026-01-19`, `live 2h ago`, `stale 3d ago`.
    static func freshness(_ offer: Offer, catalog: Catalog, now: Date = Date()) -> String {
        guard !offer.source.hasPrefix("snapshot ") else { return "snapshot \(Timestamp.format(offer.observedAt).prefix(10))" }
        let age = TimeSpan(seconds: max(0, Int64(now.timeIntervalSince(offer.observedAt))))
        return "\(catalog.state(of: offer.provider).stale ? "stale" : "live") \(age.coarse) ago"
    }
}

/// One offer as `offers --json` and `plan --json` print it.
struct OfferRow: Encodable {
    let provider: ProviderID
    let region: String
    let zone: String?
    let instanceType: String
    let arch: CPUArchitecture
    let vcpus: Double?
    let memoryGB: Double?
    let diskGB: Double?
    let gpus: Int
    let gpuModel: String?
    let gpuMemoryGB: Double?
    /// The price in `market` (on-demand unless spot was asked for).
    let pricePerHour: Double
    let market: Market
    let onDemandPricePerHour: Double?
    let spotPricePerHour: Double?
    let tee: Bool
    let source: String
    let observedAt: Date
    let stale: Bool

    init(_ candidate: Candidate, catalog: Catalog) {
        let offer = candidate.offer
        provider = offer.provider
        region = offer.region
        zone = offer.zone
        instanceType = offer.instanceType
        arch = offer.arch
        vcpus = offer.vcpus
        memoryGB = offer.memoryGB
        diskGB = offer.diskGB
        gpus = offer.gpu?.count ?? 0
        gpuModel = offer.gpu?.model
        gpuMemoryGB = offer.gpu?.memoryGB
        pricePerHour = candidate.pricePerHour
        market = candidate.market
        onDemandPricePerHour = offer.onDemandPrice
        spotPricePerHour = offer.spotPrice
        tee = offer.tee
        source = offer.source
        observedAt = offer.observedAt
        stale = !offer.source.hasPrefix("snapshot ") && catalog.state(of: offer.provider).stale
    }

    enum CodingKeys: String, CodingKey {
        case provider, region, zone, arch, vcpus, gpus, market, tee, source, stale
        case instanceType = "instance_type"
        case memoryGB = "memory_gb"
        case diskGB = "disk_gb"
        case gpuModel = "gpu_model"
        case gpuMemoryGB = "gpu_memory_gb"
        case pricePerHour = "price_per_hour"
        case onDemandPricePerHour = "on_demand_price_per_hour"
        case spotPricePerHour = "spot_price_per_hour"
        case observedAt = "observed_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(provider, forKey: .provider)
        try container.encode(region, forKey: .region)
        try container.encode(zone, forKey: .zone)
        try container.encode(instanceType, forKey: .instanceType)
        try container.encode(arch, forKey: .arch)
        try container.encode(vcpus, forKey: .vcpus)
        try container.encode(memoryGB, forKey: .memoryGB)
        try container.encode(diskGB, forKey: .diskGB)
        try container.encode(gpus, forKey: .gpus)
        try container.encode(gpuModel, forKey: .gpuModel)
        try container.encode(gpuMemoryGB, forKey: .gpuMemoryGB)
        try container.encode(pricePerHour, forKey: .pricePerHour)
        try container.encode(market, forKey: .market)
        try container.encode(onDemandPricePerHour, forKey: .onDemandPricePerHour)
        try container.encode(spotPricePerHour, forKey: .spotPricePerHour)
        try container.encode(tee, forKey: .tee)
        try container.encode(source, forKey: .source)
        try container.encode(observedAt, forKey: .observedAt)
        try container.encode(stale, forKey: .stale)
    }
}
