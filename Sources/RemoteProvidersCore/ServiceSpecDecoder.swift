import Foundation

/// A service spec read from a file, with the warnings reading it raised.
public struct LoadedServiceSpec: Sendable {
    public let spec: ServiceSpec
    public let warnings: [String]
}

extension ServiceSpec {
    /// Reads and validates a service file. Every problem is reported at once, each naming its field;
    /// nothing is silently fixed. `config` supplies defaults and caps.
    public static func load(
        _ text: String, format: SpecNode.Format? = nil, source: String = "service", config: ToolConfig = ToolConfig()
    ) throws -> LoadedServiceSpec {
        let root = try SpecNode.parse(text, format: format, source: source)
        let report = ValidationReport()
        guard var reader = SpecReader(root, path: "", report: report) else {
            try report.check()
            throw ValidationError(field: "document", value: nil, rule: "must be a mapping")
        }
        let spec = ServiceSpecReading.read(&reader, config: config)
        reader.finish()
        try report.check()
        guard let spec else { throw ValidationError(field: "document", value: nil, rule: "is incomplete") }
        return LoadedServiceSpec(spec: spec, warnings: report.warnings)
    }

    /// Reads a service file from disk (`.json` files as JSON, anything else as YAML).
    public static func load(contentsOf path: String, config: ToolConfig = ToolConfig()) throws -> LoadedServiceSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError(field: "file", value: path, rule: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError(field: "file", value: path, rule: "must be UTF-8 text")
        }
        return try load(text, format: path.hasSuffix(".json") ? .json : nil, source: path, config: config)
    }
}

/// The rules of the service file, one function per section.
enum ServiceSpecReading {
    static func read(_ reader: inout SpecReader, config: ToolConfig) -> ServiceSpec? {
        let name = reader.string("name")
        if let name, !Grammar.isDNSLabel(name) {
            reader.fail("name", name, "must be a DNS label: lower-case letters, digits and inner hyphens, at most 63")
        } else if name == nil {
            reader.fail("name", nil, "is required")
        }
        let target = reader.choice("target", as: DeploymentTarget.self) ?? .vm
        let runtime = reader.choice("runtime", as: WorkloadRuntime.self)
        if runtime != nil, target == .kubernetes {
            reader.fail("runtime", runtime?.rawValue, "applies only to target vm; Kubernetes runs the image itself")
        }
        let image = readImage(&reader, runtime: runtime)
        let command = readCommand(&reader, runtime: runtime)
        let ports = readPorts(&reader)
        let env = readEnvironment(&reader)
        let secrets = readSecrets(&reader, env: env)
        var resources = ResourceReading.read(&reader)
        ResourceReading.readPlacement(&reader, into: &resources, config: config)
        let health = HealthReading.read(&reader, ports: ports)
        let ttl = readTTL(&reader)
        let replicas = reader.integer("replicas") ?? 1
        if !(1...ResourceLimits.maxReplicas).contains(replicas) {
            reader.fail("replicas", "\(replicas)", "must be between 1 and \(ResourceLimits.maxReplicas)")
        }
        let maxTotalCost = readMaxTotalCost(&reader, config: config)
        let registryAuth = readRegistryAuth(&reader, runtime: runtime)
        let pullPolicy = reader.choice("pull_policy", as: PullPolicy.self) ?? .missing
        let imageArchive = readImageArchive(&reader, runtime: runtime, pullPolicy: pullPolicy)
        let exposure = readExposure(&reader, ports: ports, config: config)

        guard let name else { return nil }
        return ServiceSpec(
            name: name, image: image, command: command, ports: ports, env: env, secrets: secrets,
            resources: resources, health: health, ttl: ttl, target: target, runtime: runtime, replicas: replicas,
            maxTotalCost: maxTotalCost, registryAuth: registryAuth, pullPolicy: pullPolicy, imageArchive: imageArchive,
            exposure: exposure)
    }

    private static func readImage(_ reader: inout SpecReader, runtime: WorkloadRuntime?) -> String? {
        let image = reader.string("image")
        if runtime == .native {
            if image != nil { reader.fail("image", image, "is not used by runtime native, which runs `command` on the host") }
            return nil
        }
        guard let image else {
            reader.fail("image", nil, "is required (an OCI image reference) unless runtime is native")
            return nil
        }
        if !Grammar.isImageReference(image) {
            reader.fail(
                "image", image,
                "must be an OCI image reference: [registry[:port]/]path[:tag][@digest], lower-case path, no spaces or shell characters")
        }
        return image
    }

    private static func readCommand(_ reader: inout SpecReader, runtime: WorkloadRuntime?) -> [String]? {
        let command = reader.stringList("command")
        if let command {
            if command.isEmpty { reader.fail("command", nil, "must not be empty when given") }
            for (index, argument) in command.enumerated() where argument.contains("\0") {
                reader.fail("command[\(index)]", argument, "cannot contain NUL")
            }
        } else if runtime == .native, !reader.has("command") {
            reader.fail("command", nil, "is required for runtime native (the binary and its arguments)")
        }
        return command
    }

    private static func readPorts(_ reader: inout SpecReader) -> [PortMapping] {
        guard let node = reader.take("ports") else { return [] }
        guard case .list(let items) = node else {
            reader.fail("ports", node.displayText, "must be a list such as [\"8080\", \"80:8080\"]")
            return []
        }
        var ports: [PortMapping] = []
        for (index, item) in items.enumerated() {
            let text: String?
            switch item {
            case .scalar(let value, _): text = value
            case .number(let value) where value.rounded() == value && abs(value) < 1e6: text = String(Int(value))
            default: text = nil
            }
            guard let text, let port = PortMapping(parsing: text) else {
                reader.fail("ports[\(index)]", item.displayText, "must be \(PortMapping.grammar)")
                continue
            }
            if ports.contains(where: { $0.hostPort == port.hostPort && $0.transport == port.transport }) {
                reader.fail("ports[\(index)]", text, "publishes host port \(port.hostPort)/\(port.transport.rawValue) twice")
            }
            ports.append(port)
        }
        return ports
    }

    private static func readEnvironment(_ reader: inout SpecReader) -> [String: String] {
        guard let entries = reader.entries("env") else { return [:] }
        var env: [String: String] = [:]
        for entry in entries {
            if !Grammar.isEnvironmentName(entry.key) {
                reader.fail("env", entry.key, "names must match [A-Za-z_][A-Za-z0-9_]* (POSIX)")
                continue
            }
            switch entry.value {
            case .scalar(let text, _):
                if text.contains("\0") {
                    reader.fail("env.\(entry.key)", nil, "cannot contain NUL: environment values are C strings")
                }
                env[entry.key] = text
            case .null:
                reader.fail("env.\(entry.key)", nil, "is null; quote it (\"\") if you mean an empty or literal value")
            default:
                reader.fail("env.\(entry.key)", entry.value.displayText, "must be a string, not \(entry.value.typeName)")
            }
        }
        return env
    }

    private static func readSecrets(_ reader: inout SpecReader, env: [String: String]) -> [String: SecretSource] {
        guard let entries = reader.entries("secrets") else { return [:] }
        var secrets: [String: SecretSource] = [:]
        for entry in entries {
            guard Grammar.isEnvironmentName(entry.key) else {
                reader.fail("secrets", entry.key, "names must match [A-Za-z_][A-Za-z0-9_]* (POSIX)")
                continue
            }
            if env[entry.key] != nil {
                reader.fail("secrets.\(entry.key)", nil, "is also set in env; a variable is either plain or secret")
            }
            if let source = readSecretSource(entry.value, field: reader.field("secrets.\(entry.key)"), reader: &reader) {
                secrets[entry.key] = source
            }
        }
        return secrets
    }

    /// A secret: a string, `{env: VARIABLE}` or `{file: PATH}`. Values are never echoed in errors.
    static func readSecretSource(_ node: SpecNode, field: String, reader: inout SpecReader) -> SecretSource? {
        switch node {
        case .scalar(let text, _):
            if text.contains("\0") { reader.warn("\(field) contains NUL") }
            return .value(Secret(text))
        case .map(let entries):
            guard entries.count == 1, let entry = entries.first,
                case .scalar(let reference, _) = entry.value, !reference.isEmpty
            else {
                reader.failField(field, nil, "must be a string, {env: VARIABLE} or {file: PATH}")
                return nil
            }
            switch entry.key {
            case "env":
                guard Grammar.isEnvironmentName(reference) else {
                    reader.failField("\(field).env", reference, "must be an environment variable name")
                    return nil
                }
                return .environment(reference)
            case "file": return .file(reference)
            default:
                reader.failField("\(field).\(entry.key)", nil, "unknown key; a secret is {env: VARIABLE} or {file: PATH}")
                return nil
            }
        default:
            reader.failField(field, nil, "must be a string, {env: VARIABLE} or {file: PATH}, not \(node.typeName)")
            return nil
        }
    }

    private static func readTTL(_ reader: inout SpecReader) -> TTLSetting? {
        guard let text = reader.string("ttl") else { return nil }
        if text == "none" { return TTLSetting.none }
        guard let span = TimeSpan(parsing: text) else {
            reader.fail("ttl", text, "must be \(TimeSpan.grammar), or none (with --no-ttl)")
            return nil
        }
        guard span.seconds > 0, span <= ResourceLimits.maxTTL else {
            reader.fail("ttl", text, "must be more than 0s and at most \(ResourceLimits.maxTTL)")
            return nil
        }
        return .duration(span)
    }

    private static func readMaxTotalCost(_ reader: inout SpecReader, config: ToolConfig) -> Double? {
        let value = reader.number("max_total_cost")
        if let value, value <= 0 {
            reader.fail("max_total_cost", "\(value)", "must be more than 0 (USD over the whole TTL)")
        }
        if let value, let cap = config.maxTotalCost, value > cap {
            reader.fail("max_total_cost", "\(value)", "exceeds the configured cap of \(cap) (config max_total_cost)")
        }
        return value ?? config.maxTotalCost
    }

    private static func readRegistryAuth(_ reader: inout SpecReader, runtime: WorkloadRuntime?) -> RegistryAuth? {
        guard var auth = reader.nested("registry_auth") else { return nil }
        if runtime == .native { reader.fail("registry_auth", nil, "is not used by runtime native") }
        let server = auth.string("server")
        if let server, !Grammar.isRegistryHost(server) {
            auth.fail("server", server, "must be a registry host with an optional port, such as ghcr.io or localhost:5000")
        }
        let username = auth.string("username")
        if server == nil { auth.fail("server", nil, "is required") }
        if username == nil { auth.fail("username", nil, "is required") }
        var password: SecretSource?
        if let node = auth.take("password") {
            password = readSecretSource(node, field: auth.field("password"), reader: &auth)
        } else {
            auth.fail("password", nil, "is required: a string, {env: VARIABLE} or {file: PATH}")
        }
        auth.finish()
        guard let server, let username, let password else { return nil }
        return RegistryAuth(server: server, username: username, password: password)
    }

    private static func readImageArchive(
        _ reader: inout SpecReader, runtime: WorkloadRuntime?, pullPolicy: PullPolicy
    ) -> String? {
        guard let archive = reader.string("image_archive") else { return nil }
        if archive.isEmpty { reader.fail("image_archive", archive, "must be a path to an image tarball") }
        if runtime == .native { reader.fail("image_archive", archive, "is not used by runtime native") }
        if pullPolicy == .always {
            reader.fail("pull_policy", "always", "conflicts with image_archive, which loads the image instead of pulling it")
        }
        return archive
    }

    private static func readExposure(_ reader: inout SpecReader, ports: [PortMapping], config: ToolConfig) -> Exposure {
        let mode = reader.choice("expose", as: ExposureMode.self) ?? .public
        var cidrs: [CIDR] = []
        if let texts = reader.stringList("allowed_cidrs") {
            if texts.isEmpty { reader.fail("allowed_cidrs", nil, "must list at least one network, such as 203.0.113.0/24") }
            cidrs = CIDRReading.parse(texts, field: "allowed_cidrs", reader: &reader)
        } else if let configured = config.allowedCIDRs {
            cidrs = configured
        } else {
            cidrs = [.anywhereIPv4]
            let opened = mode == .tunnel ? "SSH" : (["SSH"] + ports.map(\.description)).joined(separator: ", ")
            reader.warn(
                "allowed_cidrs is not set: \(opened) will be open to 0.0.0.0/0 (the whole internet); "
                    + "set allowed_cidrs, or expose: tunnel to open SSH alone")
        }
        return Exposure(mode: mode, allowedCIDRs: cidrs)
    }
}

enum CIDRReading {
    static func parse(_ texts: [String], field: String, reader: inout SpecReader) -> [CIDR] {
        texts.enumerated().compactMap { index, text in
            switch CIDR.parse(text) {
            case .success(let cidr): return cidr
            case .failure(.malformed):
                reader.fail("\(field)[\(index)]", text, "must be an IPv4 or IPv6 network such as 203.0.113.0/24")
            case .failure(.hostBitsSet(let suggestion)):
                reader.fail("\(field)[\(index)]", text, "has host bits set past the prefix; did you mean \(suggestion)?")
            }
            return nil
        }
    }
}
