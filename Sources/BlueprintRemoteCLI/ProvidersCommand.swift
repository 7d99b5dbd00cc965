import ArgumentParser
import Foundation
import Logging
import RemoteProviders

struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "List every provider, the credentials it reads, and whether they are set.",
        discussion: """
            Values are never printed, only whether each variable is set (and under which alias). \
            A provider is `configured` when every variable of one of its credential schemes is set, \
            `ambient` when it may work from where the tool runs (a metadata server, ~/.aws files).

            --check proves each configured provider's credentials with its cheapest read-only call. \
            Providers without a driver in this build say so; the command fails (exit 1) only when a \
            check that could run failed.

            Examples:
              blueprint-remote providers
              blueprint-remote providers aws digitalocean --json
              DIGITALOCEAN_TOKEN=… blueprint-remote providers --check
            """)

    @Argument(help: "Only these provider ids (default: all).")
    var ids: [String] = []

    @Flag(name: .long, help: "Prove each configured provider's credentials with a read-only call.")
    var check = false

    @Option(name: .long, help: "Seconds each credential check may take.")
    var timeout: Int = 20

    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard (1...600).contains(timeout) else { throw UsageError("--timeout must be between 1 and 600 seconds", field: "timeout") }
        let environment = Environment.process
        let selected = try selection()
        var reports = selected.map { ProviderReport(metadata: $0, environment: environment) }
        if check {
            reports = try await CredentialCheck.run(reports, environment: environment, timeout: .seconds(timeout))
        }
        if output.json {
            try Terminal.json("providers", reports)
        } else {
            Terminal.out(ProviderTable.render(reports))
        }
        if reports.contains(where: { $0.check?.status == .failed }) { throw ExitCode.failure }
    }

    private func selection() throws -> [ProviderMetadata] {
        guard !ids.isEmpty else { return ProviderDirectory.all }
        return try ids.map { text in
            guard let id = ProviderID(rawValue: text), let metadata = ProviderDirectory.metadata(for: id) else {
                throw UsageError(
                    "unknown provider '\(text)'; known: \(ProviderDirectory.ids.map(\.rawValue).joined(separator: ", "))",
                    field: "ids")
            }
            return metadata
        }
    }
}

/// One row of `providers`, shaped for `--json`.
struct ProviderReport: Encodable {
    struct Variable: Encodable {
        let name: String
        let aliases: [String]
        let role: String
        let secret: Bool
        let set: Bool
        /// The name the value was found under, when it was an alias.
        let setAs: String?

        enum CodingKeys: String, CodingKey {
            case name, aliases, role, secret, set
            case setAs = "set_as"
        }
    }

    struct Credentials: Encodable {
        let state: String
        let scheme: String?
        let source: String?
        let variables: [Variable]
    }

    struct Check: Encodable {
        enum Status: String, Encodable {
            case ok, failed, skipped, unsupported
        }

        let status: Status
        let detail: String
        let code: ErrorCode?
    }

    let id: ProviderID
    let provider: ProviderID
    let name: String
    let kinds: [String]
    let baseURL: String?
    let endpointVariable: String
    let endpointOverride: String?
    let credentials: Credentials
    let driver: Bool
    let contract: String
    var check: Check?

    enum CodingKeys: String, CodingKey {
        case id, provider, name, kinds, credentials, driver, contract, check
        case baseURL = "base_url"
        case endpointVariable = "endpoint_variable"
        case endpointOverride = "endpoint_override"
    }

    let metadata: ProviderMetadata
    let status: CredentialStatus

    init(metadata: ProviderMetadata, environment: Environment, registry: DriverRegistry = .standard) {
        self.metadata = metadata
        self.status = CredentialStatus(metadata: metadata, environment: environment)
        id = metadata.id
        provider = metadata.id
        name = metadata.displayName
        kinds = metadata.kinds.names
        baseURL = metadata.baseURL
        endpointVariable = metadata.endpointVariable
        endpointOverride = environment[metadata.endpointVariable]
        driver = registry.hasDriver(for: metadata.id)
        contract = metadata.contractSource
        let variables = status.variables.map { variable in
            Variable(
                name: variable.name, aliases: variable.aliases, role: variable.role, secret: variable.isSecret,
                set: variable.setAs != nil, setAs: variable.setAs == variable.name ? nil : variable.setAs)
        }
        switch status.state {
        case .configured(let scheme):
            credentials = Credentials(state: "configured", scheme: scheme, source: nil, variables: variables)
        case .ambient(let scheme, let source):
            credentials = Credentials(state: "ambient", scheme: scheme, source: source, variables: variables)
        case .notNeeded:
            credentials = Credentials(state: "not_needed", scheme: nil, source: nil, variables: variables)
        case .missing:
            credentials = Credentials(state: "missing", scheme: nil, source: nil, variables: variables)
        }
    }
}

/// `providers --check`: every configured provider's cheapest read-only call, concurrently, each
/// with its own deadline.
enum CredentialCheck {
    static func run(_ reports: [ProviderReport], environment: Environment, timeout: Duration) async throws -> [ProviderReport] {
        let transport = try HTTPTransport(configuration: TransportConfiguration(environment: environment))
        let logger = Logger(label: "blueprint-remote.providers")
        let results = await withTaskGroup(of: (Int, ProviderReport.Check).self) { group in
            for (index, report) in reports.enumerated() {
                group.addTask {
                    (index, await check(report, environment: environment, transport: transport, logger: logger, timeout: timeout))
                }
            }
            var checks: [Int: ProviderReport.Check] = [:]
            for await (index, check) in group { checks[index] = check }
            return checks
        }
        try await transport.shutdown()
        return reports.enumerated().map { index, report in
            var report = report
            report.check = results[index]
            return report
        }
    }

    private static func check(
        _ report: ProviderReport, environment: Environment, transport: HTTPTransport, logger: Logger, timeout: Duration
    ) async -> ProviderReport.Check {
        let registry = DriverRegistry.standard
        switch report.status.state {
        case .missing:
            return .init(status: .skipped, detail: "credentials not set", code: nil)
        case .notNeeded where !registry.hasDriver(for: report.id):
            return .init(status: .skipped, detail: "needs no credentials", code: nil)
        default:
            break
        }
        guard registry.hasDriver(for: report.id) else {
            return .init(status: .unsupported, detail: "no driver for \(report.id) in this build yet; credentials not checked", code: .unsupported)
        }
        do {
            let driver = try registry.driver(
                for: report.id, context: DriverContext(environment: environment, transport: transport, logger: logger))
            let detail = try await withDeadline(timeout) { try await driver.checkCredentials() }
            return .init(status: .ok, detail: detail, code: nil)
        } catch let error as any CodedError {
            return .init(status: .failed, detail: error.message, code: error.code)
        } catch {
            return .init(status: .failed, detail: Redactor.standard.redact("\(error)"), code: .internal)
        }
    }
}

/// The text form of `providers`.
enum ProviderTable {
    static func render(_ reports: [ProviderReport]) -> String {
        var rows = [["PROVIDER", "KIND", "CREDENTIALS", "DRIVER"] + (reports.contains { $0.check != nil } ? ["CHECK"] : [])]
        for report in reports {
            var row = [report.id.rawValue, report.kinds.joined(separator: ","), credentials(report), report.driver ? "yes" : "not yet"]
            if let check = report.check { row.append("\(check.status.rawValue): \(check.detail)") }
            rows.append(row)
        }
        return Terminal.table(rows)
    }

    private static func credentials(_ report: ProviderReport) -> String {
        switch report.status.state {
        case .configured(let scheme): return "configured (\(scheme))"
        case .ambient(_, let source): return "maybe, from \(source)"
        case .notNeeded: return "none needed"
        case .missing:
            let first = report.metadata.credentialSchemes.first?.required.map(\.name) ?? []
            return "missing: set \(first.joined(separator: " + "))"
        }
    }
}
