import ArgumentParser
import RemoteProviders

struct BlueprintRemote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blueprint-remote",
        abstract: "Find the cheapest machine that fits, deploy a service to it, prove it healthy, and never lose track of it.",
        discussion: """
            blueprint-remote works across ~20 clouds (AWS, GCP, Azure, DigitalOcean, Vultr, Hetzner, \
            GPU clouds such as Lambda, RunPod and Vast.ai), bring-your-own SSH hosts, this machine \
            (provider `local`) and Kubernetes clusters. A service is described by one YAML or JSON file \
            (see `examples/` and the README for every key).

            Start here:
              blueprint-remote offers --gpu-model H100   what can be bought, cheapest first
              blueprint-remote plan hello.yaml        what up would buy, and why
              blueprint-remote up hello.yaml --provider local   deploy to this machine
              blueprint-remote providers             which providers are configured
              blueprint-remote providers --check     prove their credentials work
              blueprint-remote validate hello.yaml   check a service file
              blueprint-remote status                what the state store records

            Every command takes --json: one JSON object on stdout; logs and
            progress go to stderr. Exit codes: 0 success, 1 failure, 2 usage error.

            Environment:
              BLUEPRINT_REMOTE_STATE          state store: a file (SQLite) or postgres:// URL
              BLUEPRINT_REMOTE_CONFIG         config file
                                              (~/.config/blueprint-remote/config.yaml)
              BLUEPRINT_REMOTE_ENDPOINT_<ID>  replace a provider's base URL
              BLUEPRINT_REMOTE_CA_BUNDLE      extra CA certificates (PEM) to trust
              BLUEPRINT_REMOTE_LOG            log level (default warning)
            """,
        version: BuildInfo.version,
        subcommands: [
            UpCommand.self, DownCommand.self, StatusCommand.self, ExtendCommand.self, LogsCommand.self, SSHCommand.self, PortForwardCommand.self, EventsCommand.self,
            GCCommand.self, InstanceCommand.self, OffersCommand.self, PlanCommand.self, CatalogCommand.self, ProvidersCommand.self, ValidateCommand.self,
            VersionCommand.self,
        ]
    )
}

/// Options every command shares.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object on stdout instead of text.")
    var json = false
}
