/// One requirement of a `ResourceSpec`, as the optimizer checks it.
public enum Constraint: Int, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case provider, region, blocked, arch, cpus, memory, disk, gpuPresence, gpuModel, gpuCount, gpuMemory, tee, market, price

    /// The spec's field (or fields) the constraint comes from.
    public var field: String {
        switch self {
        case .provider: "providers / exclude_providers"
        case .region: "regions / exclude_regions"
        case .blocked: "blocked scopes (earlier capacity failures)"
        case .arch: "arch"
        case .cpus: "cpus"
        case .memory: "memory_gb"
        case .disk: "disk_gb"
        case .gpuPresence: "gpus"
        case .gpuModel: "gpu_models"
        case .gpuCount: "gpus"
        case .gpuMemory: "gpu_memory_gb"
        case .tee: "tee"
        case .market: "spot"
        case .price: "max_price_per_hour"
        }
    }

    public var description: String { field }

    var bit: UInt32 { 1 << UInt32(rawValue) }
}
