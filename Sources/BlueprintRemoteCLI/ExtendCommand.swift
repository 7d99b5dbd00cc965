import ArgumentParser
import Foundation
import RemoteProviders

struct ExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Move a deployment's expiry: it now ends --ttl from now, in the store and on every replica's host.",
        discussion: """
            The store is changed first (it is what gc goes by), then the dead-man switch on each \
            replica's host, which would otherwise stop the workload (and power a bought VM off) \
            at the old expiry. A host that cannot be reached is reported: run extend again.

            Example:
              blueprint-remote extend hello --ttl 4h
            """)

    @Argument(help: "A deployment id or name.") var deployment: String
    @Option(name: .long, help: "How long from now it may live, for example 4h.") var ttl: String
    @OptionGroup var hostOptions: HostOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        let id: String
        let name: String
        let expiresAt: String
        let replicas: [ReplicaExpiry]

        enum CodingKeys: String, CodingKey {
            case id, name, replicas
            case expiresAt = "expires_at"
        }
    }

    func run() async throws {
        guard let span = TimeSpan(parsing: ttl), span.seconds > 0, span <= ResourceLimits.maxTTL else {
            throw ValidationError(field: "ttl", value: ttl, rule: "must be \(TimeSpan.grammar), more than 0s and at most 365d")
        }
        let environment = Environment.process
        let (wanted, hostOptions, json) = (deployment, hostOptions, output.json)
        let expiresAt = Date().addingTimeInterval(TimeInterval(span.seconds))
        let report = try await StoreOpener.withStore(environment) { store in
            let found = try await DeploymentLookup.find(wanted, in: store)
            let replicas = try await ExpiryExtension(store: store) { record in
                try await ReplicaAccess.access(record, store: store, hostOptions: hostOptions, environment: environment)
            }.extend(found, to: expiresAt)
            return Report(id: found.id, name: found.name, expiresAt: Timestamp.format(expiresAt), replicas: replicas)
        }
        if json {
            try Terminal.json("deployment", report)
        } else {
            Terminal.out("\(report.name) (\(report.id)) now expires at \(report.expiresAt)")
            for replica in report.replicas {
                Terminal.out("  replica \(replica.replica) on \(replica.instance): " + (replica.moved ? "switch moved" : "switch NOT moved: \(replica.error ?? "?")"))
            }
        }
        let failed = report.replicas.filter { !$0.moved }
        if !failed.isEmpty {
            throw ExtendIncomplete(
                message: "the expiry moved in the store, but not on \(failed.map(\.instance).joined(separator: ", ")): their hosts still stop it at the old time; run extend again",
                printed: json)
        }
    }
}

struct ExtendIncomplete: PrintedFailure {
    let message: String
    let printed: Bool
    var code: ErrorCode { .ssh }
}
