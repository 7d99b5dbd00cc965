import ArgumentParser
import RemoteProviders

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version of blueprint-remote.")

    @OptionGroup var output: OutputOptions

    struct Version: Encodable {
        let version: String
        let providers: Int
    }

    func run() throws {
        if output.json {
            try Terminal.json("version", Version(version: BuildInfo.version, providers: ProviderDirectory.all.count))
        } else {
            Terminal.out("blueprint-remote \(BuildInfo.version)")
        }
    }
}
