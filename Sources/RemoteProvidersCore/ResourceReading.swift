/// The rules for `resources:` and the placement keys (`providers`, `regions`, price caps).
enum ResourceReading {
    static func read(_ parent: inout SpecReader) -> ResourceSpec {
        var spec = ResourceSpec()
        guard var reader = parent.nested("resources") else { return spec }
        spec.cpus = size(&reader, "cpus", default: spec.cpus, max: ResourceLimits.maxCPUs, unit: "vCPUs")
        spec.memoryGB = size(&reader, "memory_gb", default: spec.memoryGB, max: ResourceLimits.maxMemoryGB, unit: "GB")
        spec.diskGB = size(&reader, "disk_gb", default: spec.diskGB, max: ResourceLimits.maxDiskGB, unit: "GB")
        let gpus = reader.integer("gpus") ?? 0
        if !(0...ResourceLimits.maxGPUs).contains(gpus) {
            reader.fail("gpus", "\(gpus)", "must be between 0 and \(ResourceLimits.maxGPUs) per replica")
        }
        let models = reader.stringList("gpu_models") ?? []
        for (index, model) in models.enumerated() {
            if !Grammar.isGPUModel(model) {
                reader.fail("gpu_models[\(index)]", model, "must be a GPU model name such as H100, A100-80GB or RTX4090")
            } else if GPUModel.matching(model) == nil {
                reader.fail("gpu_models[\(index)]", model, "is not a GPU model or family this tool knows: \(GPUModel.knownNames)")
            }
        }
        let gpuMemory = reader.number("gpu_memory_gb")
        if let gpuMemory, !(gpuMemory > 0 && gpuMemory <= ResourceLimits.maxGPUMemoryGB) {
            reader.fail("gpu_memory_gb", "\(gpuMemory)", "must be more than 0 and at most \(Int(ResourceLimits.maxGPUMemoryGB)) GB per GPU")
        }
        if gpus == 0, !models.isEmpty { reader.fail("gpu_models", nil, "needs gpus of 1 or more") }
        if gpus == 0, gpuMemory != nil { reader.fail("gpu_memory_gb", nil, "needs gpus of 1 or more") }
        if gpus > 0 { spec.gpu = GPURequirement(count: gpus, models: models, minimumMemoryGB: gpuMemory) }
        spec.spot = reader.choice("spot", as: SpotPolicy.self) ?? .never
        spec.tee = reader.bool("tee") ?? false
        spec.arch = reader.choice("arch", as: CPUArchitecture.self) ?? .x86_64
        reader.finish()
        return spec
    }

    private static func size(_ reader: inout SpecReader, _ key: String, default value: Double, max: Double, unit: String) -> Double {
        guard let number = reader.number(key) else { return value }
        guard number > 0, number <= max else {
            reader.fail(key, "\(number)", "must be more than 0 and at most \(Int(max)) \(unit)")
            return value
        }
        return number
    }

    /// Top-level placement keys, with the config file's defaults and caps.
    static func readPlacement(_ reader: inout SpecReader, into spec: inout ResourceSpec, config: ToolConfig) {
        spec.providers = providers(&reader, "providers") ?? config.providers
        spec.excludedProviders = providers(&reader, "exclude_providers") ?? config.excludedProviders
        for id in spec.providers where spec.excludedProviders.contains(id) {
            reader.fail("exclude_providers", id.rawValue, "also appears in providers")
        }
        spec.regions = regions(&reader, "regions") ?? config.regions
        spec.excludedRegions = regions(&reader, "exclude_regions") ?? config.excludedRegions
        let price = reader.number("max_price_per_hour")
        if let price, !(price > 0 && price <= ResourceLimits.maxPricePerHour) {
            reader.fail("max_price_per_hour", "\(price)", "must be more than 0 and at most \(Int(ResourceLimits.maxPricePerHour)) USD")
        }
        if let price, let cap = config.maxPricePerHour, price > cap {
            reader.fail("max_price_per_hour", "\(price)", "exceeds the configured cap of \(cap) (config max_price_per_hour)")
        }
        spec.maxPricePerHour = price ?? config.maxPricePerHour
    }

    private static func providers(_ reader: inout SpecReader, _ key: String) -> [ProviderID]? {
        guard let texts = reader.stringList(key) else { return nil }
        return texts.enumerated().compactMap { index, text in
            guard let id = ProviderID(rawValue: text), ProviderDirectory.metadata(for: id) != nil else {
                let known = ProviderDirectory.ids.map(\.rawValue).joined(separator: ", ")
                reader.fail("\(key)[\(index)]", text, "is not a provider id; known: \(known)")
                return nil
            }
            return id
        }
    }

    private static func regions(_ reader: inout SpecReader, _ key: String) -> [String]? {
        guard let texts = reader.stringList(key) else { return nil }
        for (index, text) in texts.enumerated() where !Grammar.isRegion(text) {
            reader.fail("\(key)[\(index)]", text, "must be a region or zone id such as us-east-1 or fsn1")
        }
        return texts.filter(Grammar.isRegion)
    }
}

/// The rules for `health:`.
enum HealthReading {
    static func read(_ parent: inout SpecReader, ports: [PortMapping]) -> HealthCheck? {
        guard var reader = parent.nested("health") else { return nil }
        let kinds = ["http", "tcp", "command"].filter(reader.has)
        var probe: HealthCheck.Probe?
        if kinds.count != 1 {
            reader.failField(reader.path, nil, "must have exactly one of http, tcp or command")
        }
        let path = reader.string("http")
        let httpPort = reader.integer("port")
        let tcpPort = reader.integer("tcp")
        let command = reader.stringList("command")
        if let path {
            if !path.hasPrefix("/") || path.contains(where: { $0.isWhitespace || $0.isNewline }) {
                reader.fail("http", path, "must be a URL path starting with / and without spaces")
            }
            if let httpPort { probe = .http(path: path, port: httpPort) } else { reader.fail("port", nil, "is required with http") }
        } else if httpPort != nil {
            reader.fail("port", nil, "goes with http; for a TCP check write tcp: PORT")
        }
        if let tcpPort { probe = .tcp(port: tcpPort) }
        if let command {
            if command.isEmpty { reader.fail("command", nil, "must not be empty") }
            probe = .command(command)
        }
        for (key, port) in [("port", httpPort), ("tcp", tcpPort)] {
            guard let port else { continue }
            if !(1...65_535).contains(port) {
                reader.fail(key, "\(port)", "must be a port between 1 and 65535")
            } else if !ports.contains(where: { $0.containerPort == port }) {
                reader.fail(key, "\(port)", "must be one of the container ports in ports, or the probe cannot reach it")
            }
        }
        var check = HealthCheck(probe: probe ?? .tcp(port: 0))
        check.interval = positive(&reader, "interval") ?? check.interval
        check.timeout = positive(&reader, "timeout") ?? check.timeout
        check.startPeriod = reader.duration("start_period") ?? check.startPeriod
        let retries = reader.integer("retries") ?? check.retries
        if !(1...100).contains(retries) { reader.fail("retries", "\(retries)", "must be between 1 and 100") }
        check.retries = retries
        reader.finish()
        return probe == nil ? nil : check
    }

    private static func positive(_ reader: inout SpecReader, _ key: String) -> TimeSpan? {
        guard let span = reader.duration(key) else { return nil }
        guard span.seconds > 0 else {
            reader.fail(key, span.description, "must be more than 0s")
            return nil
        }
        return span
    }
}
