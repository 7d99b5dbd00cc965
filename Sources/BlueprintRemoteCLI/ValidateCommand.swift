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
            Terminal.out("  resources: \(spec.resources.cpus) vCPU, \(spec.resources.memoryGB) GB memory, \(spec.resources.diskGB) GB disk"
                + (spec.resources.gpu.map { ", \($0.count) GPU" } ?? ""))
            Terminal.out("  ports:     \(spec.ports.map(\.description).joined(separator: ", "))")
            Terminal.out("  ttl:       \(spec.ttl.map { if case .duration(let span) = $0 { span.description } else { "none" } } ?? "\(config.defaultTTL) (default)")")
        }
    }
}
