/// A service spec encodes to the service-file shape, so what `validate --json` prints (and the
/// store keeps) reads back with `ServiceSpec.load`. Secret values encode as the mask.
extension ServiceSpec {
    enum FileKeys: String, CodingKey {
        case name, image, command, ports, env, secrets, resources, health, ttl, target, runtime, replicas, providers, regions
        case excludeProviders = "exclude_providers"
        case excludeRegions = "exclude_regions"
        case maxPricePerHour = "max_price_per_hour"
        case maxTotalCost = "max_total_cost"
        case registryAuth = "registry_auth"
        case pullPolicy = "pull_policy"
        case imageArchive = "image_archive"
        case expose
        case allowedCIDRs = "allowed_cidrs"
    }

    enum ResourceKeys: String, CodingKey {
        case cpus, gpus, spot, tee, arch
        case memoryGB = "memory_gb"
        case diskGB = "disk_gb"
        case gpuModels = "gpu_models"
        case gpuMemoryGB = "gpu_memory_gb"
    }

    public func encode(to encoder: any Encoder) throws {
        var file = encoder.container(keyedBy: FileKeys.self)
        try file.encode(name, forKey: .name)
        try file.encodeIfPresent(image, forKey: .image)
        try file.encodeIfPresent(command, forKey: .command)
        try file.encode(ports, forKey: .ports)
        try file.encode(env, forKey: .env)
        try file.encode(secrets, forKey: .secrets)

        var hardware = file.nestedContainer(keyedBy: ResourceKeys.self, forKey: .resources)
        try hardware.encode(resources.cpus, forKey: .cpus)
        try hardware.encode(resources.memoryGB, forKey: .memoryGB)
        try hardware.encode(resources.diskGB, forKey: .diskGB)
        try hardware.encode(resources.gpu?.count ?? 0, forKey: .gpus)
        if let gpu = resources.gpu {
            if !gpu.models.isEmpty { try hardware.encode(gpu.models, forKey: .gpuModels) }
            try hardware.encodeIfPresent(gpu.minimumMemoryGB, forKey: .gpuMemoryGB)
        }
        try hardware.encode(resources.spot, forKey: .spot)
        try hardware.encode(resources.tee, forKey: .tee)
        try hardware.encode(resources.arch, forKey: .arch)

        try file.encodeIfPresent(health, forKey: .health)
        try file.encodeIfPresent(ttl, forKey: .ttl)
        try file.encode(target, forKey: .target)
        try file.encodeIfPresent(runtime, forKey: .runtime)
        try file.encode(replicas, forKey: .replicas)
        try file.encode(resources.providers, forKey: .providers)
        try file.encode(resources.excludedProviders, forKey: .excludeProviders)
        try file.encode(resources.regions, forKey: .regions)
        try file.encode(resources.excludedRegions, forKey: .excludeRegions)
        try file.encodeIfPresent(resources.maxPricePerHour, forKey: .maxPricePerHour)
        try file.encodeIfPresent(maxTotalCost, forKey: .maxTotalCost)
        try file.encodeIfPresent(registryAuth, forKey: .registryAuth)
        try file.encode(pullPolicy, forKey: .pullPolicy)
        try file.encodeIfPresent(imageArchive, forKey: .imageArchive)
        try file.encode(exposure.mode, forKey: .expose)
        try file.encode(exposure.allowedCIDRs, forKey: .allowedCIDRs)
    }
}
