import ArgumentParser
import Foundation
import RemoteProviders

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show deployments as the state store records them (no provider is asked).",
        discussion: """
            Without an argument, lists every deployment that is not terminated (--all for all). \
            With an id or a name, shows that deployment with its instances and lease. With \
            --refresh, the clouds are asked about the live instances first (one batched describe \
            per provider and region) and what changed is recorded and printed to stderr: an \
            instance gone (lost), terminated outside the tool, or at a new address. \
            The store is BLUEPRINT_REMOTE_STATE: a file path (SQLite, the default \
            ~/.local/state/blueprint-remote/state.sqlite) or a postgres:// URL.

            Examples:
              blueprint-remote status
              blueprint-remote status hello --json
              blueprint-remote status --refresh
              BLUEPRINT_REMOTE_STATE=postgres://me@db/blueprint blueprint-remote status --all
            """)

    @Argument(help: "A deployment id or name.")
    var deployment: String?

    @Flag(name: .long, help: "Include terminated deployments.")
    var all = false

    @Flag(name: .long, help: "Ask the clouds about the live instances first, and record what changed.")
    var refresh = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let json = output.json
        let wanted = deployment
        let (all, refresh) = (all, refresh)
        try await StoreOpener.withStore(.process) { store in
            if refresh {
                var scope: String?
                if let wanted { scope = try await DeploymentLookup.find(wanted, in: store).id }
                let records = try await store.instances(deploymentID: scope)
                let changes = try await CloudSession.with(.process) { session in
                    try await InstanceRefresh(store: store, drivers: session.source).refresh(records)
                }
                for change in changes {
                    Terminal.err("\(change.deploymentID ?? "(no deployment)"): \(change.provider) \(change.instance) \(change.state.map { "is \($0.rawValue): " } ?? "")\(change.detail)")
                }
            }
            if let wanted {
                let found = try await DeploymentLookup.find(wanted, in: store)
                let detail = DeploymentDetail(
                    deployment: found, instances: try await store.instances(deploymentID: found.id),
                    lease: try await store.lease(found.id))
                if json { try Terminal.json("deployment", detail) } else { Terminal.out(detail.text) }
            } else {
                let states = all ? [] : Set(DeploymentState.allCases.filter(\.isLive))
                let list = try await store.deploymentSummaries(in: states)
                let now = Date()
                if json { try Terminal.json("deployments", list.map { SummaryRow($0, now: now) }) } else { Terminal.out(DeploymentSummary.table(list)) }
            }
        }
    }
}

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print a deployment's timeline: every attempt, error, fallback and state change.",
        discussion: """
            Examples:
              blueprint-remote events hello
              blueprint-remote events d1a2b3c4d5e6f --json
            """)

    @Argument(help: "A deployment id or name.")
    var deployment: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let json = output.json
        let wanted = deployment
        try await StoreOpener.withStore(.process) { store in
            let found = try await DeploymentLookup.find(wanted, in: store)
            let events = try await store.events(deploymentID: found.id)
            if json {
                try Terminal.json("events", events)
            } else {
                for event in events {
                    Terminal.out("\(Timestamp.format(event.at))  \(event.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(event.message)")
                }
            }
        }
    }
}

enum DeploymentLookup {
    /// By id first, then by name (the newest of that name).
    static func find(_ text: String, in store: any DeploymentStore) async throws -> Deployment {
        if let byID = try await store.deployment(id: text) { return byID }
        if let byName = try await store.deployment(named: text) { return byName }
        throw StoreError.notFound("deployment \(text)")
    }
}

/// A `status` row for `--json`, dates already formatted: encoding ten thousand of them through
/// the encoder's date hook costs more than the query.
struct SummaryRow: Encodable {
    let id: String
    let name: String
    let state: String
    let target: String
    let createdAt: String
    let updatedAt: String
    let expiresAt: String?
    let pricePerHour: Double?
    let costSoFar: Double?

    init(_ summary: DeploymentSummary, now: Date = Date()) {
        id = summary.id
        name = summary.name
        state = summary.state.rawValue
        target = summary.target.rawValue
        createdAt = Timestamp.format(summary.createdAt)
        updatedAt = Timestamp.format(summary.updatedAt)
        expiresAt = summary.expiresAt.map(Timestamp.format)
        pricePerHour = summary.pricePerHour
        costSoFar = AccruedCost.estimate(summary.pricePerHour, state: summary.state, since: summary.createdAt, until: summary.updatedAt, now: now)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, state, target
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case expiresAt = "expires_at"
        case pricePerHour = "price_per_hour"
        case costSoFar = "cost_so_far"
    }
}

/// What a deployment has cost so far: its price per hour at launch over the time it has held
/// machines (until now, or until it ended). An estimate: providers bill by their own clocks.
enum AccruedCost {
    static func estimate(_ pricePerHour: Double?, state: DeploymentState, since start: Date, until end: Date, now: Date = Date()) -> Double? {
        guard let pricePerHour else { return nil }
        let ended = state == .terminated || state == .failed
        return pricePerHour * max(0, (ended ? end : now).timeIntervalSince(start)) / 3600
    }
}

extension DeploymentSummary {
    static func table(_ rows: [DeploymentSummary]) -> String {
        guard !rows.isEmpty else { return "no deployments" }
        let now = Date()
        var lines = [["ID", "NAME", "STATE", "TARGET", "EXPIRES", "PRICE/H", "COST SO FAR"]]
        for row in rows {
            lines.append([
                row.id, row.name, row.state.rawValue, row.target.rawValue,
                row.expiresAt.map { RelativeTime.describe($0, from: now) } ?? "never",
                row.pricePerHour.map(Money.perHour) ?? "-",
                AccruedCost.estimate(row.pricePerHour, state: row.state, since: row.createdAt, until: row.updatedAt, now: now).map(Money.perHour) ?? "-",
            ])
        }
        return Terminal.table(lines)
    }
}

/// `status ID`: the deployment, its spec as an object, its instances and lease.
struct DeploymentDetail: Encodable {
    let deployment: Deployment
    let instances: [InstanceRecord]
    let lease: Lease?

    enum CodingKeys: String, CodingKey {
        case id, name, state, target, spec, instances, lease
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case expiresAt = "expires_at"
        case pricePerHour = "price_per_hour"
        case costSoFar = "cost_so_far"
    }

    var costSoFar: Double? {
        AccruedCost.estimate(deployment.pricePerHour, state: deployment.state, since: deployment.createdAt, until: deployment.updatedAt)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(deployment.id, forKey: .id)
        try container.encode(deployment.name, forKey: .name)
        try container.encode(deployment.state, forKey: .state)
        try container.encode(deployment.target, forKey: .target)
        try container.encode(deployment.createdAt, forKey: .createdAt)
        try container.encode(deployment.updatedAt, forKey: .updatedAt)
        try container.encode(deployment.expiresAt, forKey: .expiresAt)
        try container.encode(deployment.pricePerHour, forKey: .pricePerHour)
        try container.encode(costSoFar, forKey: .costSoFar)
        try container.encode(RawJSON(text: deployment.spec), forKey: .spec)
        try container.encode(instances, forKey: .instances)
        try container.encode(lease, forKey: .lease)
    }

    var text: String {
        var lines = [
            "\(deployment.name) (\(deployment.id)): \(deployment.state.rawValue)",
            "  target:   \(deployment.target.rawValue)",
            "  created:  \(Timestamp.format(deployment.createdAt))",
            "  expires:  \(deployment.expiresAt.map { "\(Timestamp.format($0)) (\(RelativeTime.describe($0, from: Date())))" } ?? "never")",
            "  price:    \(deployment.pricePerHour.map { Money.perHour($0) + "/h at launch" } ?? "-")"
                + (costSoFar.map { ", \(Money.perHour($0)) so far" } ?? ""),
        ]
        if let lease { lines.append("  lease:    held by \(lease.holder) until \(Timestamp.format(lease.expiresAt))") }
        lines.append("  instances:" + (instances.isEmpty ? " none" : ""))
        for instance in instances {
            let address = instance.address.map { " \($0):\(instance.sshPort)" } ?? ""
            lines.append("    \(instance.provider)/\(instance.region) \(instance.providerInstanceID) \(instance.state.rawValue)\(address)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Text that is already JSON, embedded as a value rather than as a string.
struct RawJSON: Encodable {
    let text: String

    func encode(to encoder: any Encoder) throws {
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        try object.encode(to: encoder)
    }
}

/// Any JSON value, for passing stored JSON through.
enum JSONValue: Codable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

enum RelativeTime {
    /// `in 1h30m`, `5m ago`.
    static func describe(_ date: Date, from now: Date) -> String {
        let seconds = Int64(date.timeIntervalSince(now).rounded())
        let span = TimeSpan(seconds: abs(seconds) / 60 * 60).description
        return seconds >= 0 ? "in \(span)" : "\(span) ago"
    }
}
