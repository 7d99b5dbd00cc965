import ArgumentParser
import Foundation
import RemoteProviders

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "The offer catalog: the bundled price snapshot and live offers merged over it.",
        subcommands: [CatalogRefreshCommand.self, CatalogStatusCommand.self],
        defaultSubcommand: CatalogStatusCommand.self)
}

struct CatalogRefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Pull live offers from every configured provider at once and merge them over the snapshot.",
        discussion: """
            Each provider has its own deadline; one that fails or runs out of time keeps the rows it \
            had, marked stale, and the failure is shown. Providers without a driver in this build, or \
            without credentials, are skipped and listed. The cache lives beside the state store; \
            live rows count for catalog_max_age (config file; default 1d).

            Examples:
              blueprint-remote catalog refresh
              blueprint-remote catalog refresh --provider aws --region us-east-1,eu-west-1 --timeout 20
            """)

    @Option(name: .long, help: "Only these providers (repeat or comma-separate).") var provider: [String] = []
    @Option(name: .long, help: "Regions to list, for providers that list per region (repeat or comma-separate; default: each driver's own).")
    var region: [String] = []
    @Option(name: .long, help: "Seconds each provider may take.") var timeout: Int = 30
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        struct Row: Encodable {
            let provider: ProviderID
            let status: String
            let offers: Int?
            let keptRows: Int?
            let error: String?

            enum CodingKeys: String, CodingKey {
                case provider, status, offers, error
                case keptRows = "kept_rows"
            }
        }

        let cache: String
        let providers: [Row]
    }

    func run() async throws {
        guard (1...600).contains(timeout) else { throw UsageError("--timeout must be between 1 and 600 seconds", field: "timeout") }
        let environment = Environment.process
        let wanted = try CatalogAccess.providers(provider)
        let regions = region.flatMap { $0.split(separator: ",").map(String.init) }
        let path = try CatalogAccess.cachePath(environment)
        let registry = DriverRegistry.standard
        var skipped: [Report.Row] = []
        var chosen: [ProviderID] = []
        for id in wanted.isEmpty ? registry.providers : wanted {
            if let reason = CatalogAccess.notDeployable(id, environment: environment, hostsFile: false, registry: registry) {
                if !wanted.isEmpty || registry.hasDriver(for: id) {
                    skipped.append(.init(provider: id, status: "skipped", offers: nil, keptRows: nil, error: reason))
                }
            } else {
                chosen.append(id)
            }
        }
        let cache = try CatalogCache.load(path: path)
        let (deadline, providers) = (Duration.seconds(timeout), chosen)
        let (updated, outcomes, unlisted) = try await CloudSession.with(environment) { session in
            var sources: [any OfferListing] = []
            var unlisted: [Report.Row] = []
            for id in providers {
                for region in regions.isEmpty ? [nil] : regions.map(Optional.some) {
                    guard let listing = try await session.driver(id, region) as? any OfferListing else {
                        unlisted.append(.init(provider: id, status: "skipped", offers: nil, keptRows: nil, error: "its driver lists no offers"))
                        break
                    }
                    sources.append(listing)
                }
            }
            let (updated, outcomes) = await CatalogRefresher(deadline: deadline).refresh(sources, cache: cache)
            return (updated, outcomes, unlisted)
        }
        skipped += unlisted
        try updated.save(path: path)
        let rows = Self.merge(outcomes) + skipped
        if output.json {
            try Terminal.json("catalog_refresh", Report(cache: path, providers: rows))
        } else {
            var table = [["PROVIDER", "STATUS", "OFFERS", "DETAIL"]]
            for row in rows {
                table.append([row.provider.rawValue, row.status, row.offers.map(String.init) ?? (row.keptRows.map { "\($0) kept" } ?? "-"), row.error ?? ""])
            }
            Terminal.out(Terminal.table(table))
            Terminal.err("cache: \(path)")
        }
        if rows.contains(where: { $0.status == "stale" }) { throw ExitCode.failure }
    }

    static func merge(_ outcomes: [RefreshOutcome]) -> [Report.Row] {
        outcomes.map { outcome in
            Report.Row(
                provider: outcome.provider, status: outcome.error == nil ? "ok" : "stale", offers: outcome.offers,
                keptRows: outcome.error == nil ? nil : outcome.keptRows, error: outcome.error)
        }
    }
}

struct CatalogStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per provider: snapshot rows, live rows and their age, and the last refresh's failure.")

    @OptionGroup var output: OutputOptions

    struct Row: Encodable {
        let provider: ProviderID
        let snapshotRows: Int
        let liveRows: Int
        let refreshedAt: Date?
        let stale: Bool
        let expired: Bool
        let lastError: String?
        let unpriced: String?

        enum CodingKeys: String, CodingKey {
            case provider, stale, expired, unpriced
            case snapshotRows = "snapshot_rows"
            case liveRows = "live_rows"
            case refreshedAt = "refreshed_at"
            case lastError = "last_error"
        }
    }

    struct Report: Encodable {
        let snapshot: String
        let cache: String
        let providers: [Row]
    }

    func run() throws {
        let environment = Environment.process
        let config = try ToolConfig.load(environment: environment)
        let catalog = try CatalogAccess.load(environment, config: config)
        let ids = ProviderDirectory.all.filter { !$0.kinds.contains(.byo) && $0.id != .kubernetes }.map(\.id)
        let rows = ids.map { id in
            let state = catalog.state(of: id)
            return Row(
                provider: id, snapshotRows: state.snapshotRows, liveRows: state.liveRows, refreshedAt: state.refreshedAt, stale: state.stale,
                expired: state.expired, lastError: state.lastError, unpriced: Snapshot.unpriced[id])
        }
        let path = try CatalogAccess.cachePath(environment)
        if output.json {
            try Terminal.json("catalog", Report(snapshot: Snapshot.version, cache: path, providers: rows))
            return
        }
        var table = [["PROVIDER", "SNAPSHOT", "LIVE", "REFRESHED", "NOTE"]]
        for row in rows {
            let refreshed = row.refreshedAt.map { "\(TimeSpan(seconds: Int64(max(0, Date().timeIntervalSince($0)))).coarse) ago" } ?? (row.expired ? "expired" : "never")
            let note = row.lastError.map { "stale: \($0)" } ?? row.unpriced ?? ""
            table.append([row.provider.rawValue, String(row.snapshotRows), String(row.liveRows), refreshed, note])
        }
        Terminal.out(Terminal.table(table))
        Terminal.err("snapshot \(Snapshot.version); cache \(path)")
    }
}
