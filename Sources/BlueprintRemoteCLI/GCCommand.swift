import ArgumentParser
import Foundation
import RemoteProviders

struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Finish what crashed or interrupted commands left, end what outlived its TTL, and reconcile the clouds with the store.",
        discussion: """
            Sweep: a deployment whose controller stopped renewing its lease in the middle of up \
            (killed, crashed, the machine gone) has what it made terminated and is marked failed; \
            one past its expiry is drained and terminated; a failed or draining one that still \
            holds instances has them terminated. Each is done holding the deployment's lease, so \
            nothing else works on it meanwhile.

            Reconcile: every configured cloud (and every region the store has instances in) is \
            listed by this store's owner tag, all at once. An instance with this owner id that the \
            store does not know, or whose deployment ended, is terminated; a recorded instance the \
            provider no longer has is marked lost. Only this store's owner id is ever touched.

            Safe to run from cron or a systemd timer, and from several machines at once.

            Examples:
              blueprint-remote gc --dry-run
              blueprint-remote gc --stale-after 0s --json
            """)

    @Flag(name: .long, help: "Report what would be done; change nothing.") var dryRun = false
    @Option(name: .long, help: "A lease not renewed for this long counts as expired (default 1m; 0s takes over at once).")
    var staleAfter: String = "1m"
    @Option(name: .long, help: "Also list this region of every configured cloud (repeatable; default: each cloud's default region).")
    var region: [String] = []
    @OptionGroup var hostOptions: HostOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard let stale = TimeSpan(parsing: staleAfter) else {
            throw ValidationError(field: "stale-after", value: staleAfter, rule: "must be \(TimeSpan.grammar)")
        }
        let environment = Environment.process
        let registry = DriverRegistry.standard
        let clouds = registry.providers.filter { !$0.isPool && CatalogAccess.notDeployable($0, environment: environment, hostsFile: false, registry: registry) == nil }
        let regions = region.flatMap { $0.split(separator: ",").map(String.init) }
        let places = clouds.flatMap { provider in
            regions.isEmpty ? [GarbageCollector.Place(provider, nil)] : regions.map { GarbageCollector.Place(provider, $0) }
        }
        var options = GarbageCollector.Options()
        options.staleAfter = stale.duration
        options.dryRun = dryRun
        let (json, hostOptions, settings) = (output.json, hostOptions, options)
        let report = try await StoreOpener.withStore(environment) { store in
            try await CloudSession.with(environment) { session in
                let collector = GarbageCollector(
                    store: store, drivers: session.source,
                    pools: { provider in
                        let hosts = try await hostOptions.pool(provider, store: store, environment: environment)
                        return PoolDeployment(hosts: hosts, store: store, deployer: ServiceDeployer(), environment: environment)
                    },
                    places: places, options: settings, progress: { line in if !json { Terminal.err(line) } })
                return try await collector.run()
            }
        }
        if json {
            try Terminal.json("gc", report)
        } else {
            Self.print(report)
        }
        if !report.failures.isEmpty {
            throw GCIncomplete(message: "\(report.failures.count) thing\(report.failures.count == 1 ? "" : "s") could not be finished; they stay recorded: run gc again", printed: json)
        }
    }

    static func print(_ report: GCReport) {
        guard !report.actions.isEmpty else {
            Terminal.out(report.dryRun ? "nothing to do" : "nothing to do: every recorded deployment and instance is accounted for")
            return
        }
        var rows = [["ACTION", "DEPLOYMENT", "WHERE", "INSTANCES", "DETAIL"]]
        for action in report.actions {
            let name = action.deploymentID.map { id in action.name.map { "\($0) (\(id))" } ?? id } ?? "-"
            let place = action.provider.map { provider in action.region.map { "\(provider) \($0)" } ?? provider.rawValue } ?? "-"
            let instances = action.instances.isEmpty ? "-" : action.instances.joined(separator: ",")
            rows.append([(report.dryRun ? "would " : "") + action.kind.rawValue, name, place, instances, action.detail])
        }
        Terminal.out(Terminal.table(rows))
    }
}

/// `gc` finished, but not everything it found.
struct GCIncomplete: PrintedFailure {
    let message: String
    /// The report already went to stdout as JSON: only the exit status is owed.
    let printed: Bool
    var code: ErrorCode { .timeout }
}
