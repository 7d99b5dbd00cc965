import ArgumentParser
import RemoteProviders

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a service file and print it as the tool understands it.",
        discussion: """
            Every problem is reported at once, each naming its field, the value and the rule. \
            Nothing is fixed silently. Defaults and caps come from the config file.

            Examples:
              blueprint-remote validate examples/hello.yaml
              blueprint-remote validate service.json --json
            """)

    @Argument(help: "A service file, YAML or JSON.")
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let config = try ToolConfig.load(environment: .process)
        let loaded = try ServiceSpec.load(contentsOf: file, config: config)
        for warning in loaded.warnings { Terminal.err("warning: \(warning)") }
        if output.json {
            try Terminal.json("service", loaded.spec)
        } else {
            let spec = loaded.spec
            Terminal.out("\(file): valid service \"\(spec.name)\"")
            Terminal.out("  image:     \(spec.image ?? "(native: \(spec.command?.joined(separator: " ") ?? ""))")")
            let resources = spec.resources
            Terminal.out(
                "  resources: \(plain(resources.cpus)) vCPU, \(plain(resources.memoryGB)) GB memory, \(plain(resources.diskGB)) GB disk"
                    + (resources.gpu.map { ", \($0.count) GPU (\($0.models.isEmpty ? "any model" : $0.models.joined(separator: " or ")))" } ?? ""))
            Terminal.out("  replicas:  \(spec.replicas), exposure \(spec.exposure.mode.rawValue) to \(spec.exposure.allowedCIDRs.map(\.description).joined(separator: ", "))")
            Terminal.out("  ports:     \(spec.ports.map(\.description).joined(separator: ", "))")
            Terminal.out("  ttl:       \(spec.ttl?.description ?? "\(config.defaultTTL) (default)")")
        }
    }
}

/// `1` rather than `1.0`, `0.5` as is.
private func plain(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
