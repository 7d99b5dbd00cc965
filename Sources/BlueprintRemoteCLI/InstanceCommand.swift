import ArgumentParser
import Foundation
import RemoteProviders

/// The raw provisioning layer: one machine, no deployment. Every instance made here is recorded
/// in the store with its expiry and carries the owner tag, so `gc` finds it.
struct InstanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instance",
        abstract: "Create, describe, list and terminate single instances on a provider.",
        subcommands: [Create.self, Describe.self, List.self, Terminate.self])

    /// Flags that place an instance.
    struct Placement: ParsableArguments {
        @Option(name: .long, help: "Provider id (see `blueprint-remote providers`).")
        var provider: String?

        @Option(name: .long, help: "Region, for example us-east-1 (AWS also reads AWS_REGION).")
        var region: String?

        func providerID(required: Bool) throws -> ProviderID? {
            guard let provider else {
                if required { throw UsageError("--provider is required", field: "provider") }
                return nil
            }
            guard let id = ProviderID(rawValue: provider), ProviderDirectory.metadata(for: id) != nil else {
                throw UsageError("unknown provider '\(provider)'", field: "provider")
            }
            return id
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create one instance and wait until it runs.",
            discussion: """
                The instance gets the tool's SSH key, a firewall that opens SSH alone (to the \
                configured allowed_cidrs), the owner tag of this store, and an expiry (--ttl, default \
                the config's default_ttl) after which `gc` terminates it.

                Example:
                  blueprint-remote instance create --provider aws --region us-east-1 --type t3.micro --ttl 2h
                """)

        @OptionGroup var placement: Placement
        @Option(name: .long, help: "The provider's instance type, for example t3.micro.") var type: String
        @Option(name: .long, help: "The provider's own image id (default: its newest Ubuntu).") var image: String?
        @Option(name: .long, help: "Availability zone.") var zone: String?
        @Option(name: .long, help: "Disk size in GB.") var disk: Int = 20
        @Flag(name: .long, help: "Ask for spot (preemptible) capacity.") var spot = false
        @Option(name: .long, help: "Time to live, for example 2h or 1h30m.") var ttl: String?
        @Flag(name: .customLong("no-ttl"), help: "Never expire (gc will not terminate it).") var noTTL = false
        @Option(name: .long, help: "Seconds to wait for the instance to run.") var timeout: Int = 300
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let provider = try placement.providerID(required: true) ?? .aws
            guard (1...65_536).contains(disk) else { throw UsageError("--disk must be between 1 and 65536 GB", field: "disk") }
            guard (1...3600).contains(timeout) else { throw UsageError("--timeout must be between 1 and 3600 seconds", field: "timeout") }
            if let zone, !Grammar.isRegion(zone) { throw ValidationError(field: "zone", value: zone, rule: "must be a zone id such as us-east-1a") }
            let environment = Environment.process
            let config = try ToolConfig.load(environment: environment)
            let lifetime = try InstanceLifetime.resolve(ttl: ttl, noTTL: noTTL, config: config)
            let request = (type: type, image: image, zone: zone, disk: disk, spot: spot, timeout: timeout, region: placement.region)
            let json = output.json
            try await StoreOpener.withStore(environment) { store in
                try await ProviderSession.with(provider, region: request.region, environment: environment) { driver in
                    let owner = try await store.ownerID()
                    let key = try await ControllerKey.load(
                        stateDirectory: StoreLocation.localStateDirectory(environment), store: store)
                    let rawID = StoreIDs.make(prefix: "r")
                    let expires = lifetime.map { Date().addingTimeInterval(TimeInterval($0.seconds)) }
                    let created = try await driver.create(InstanceRequest(
                        requestID: rawID, name: "blueprint-remote-\(rawID)", region: request.region ?? "", zone: request.zone,
                        instanceType: request.type, image: request.image, diskGB: Double(request.disk), spot: request.spot,
                        tags: ResourceTags(deployment: rawID, owner: owner, expires: expires), sshPublicKey: key.keyPair.authorizedKey,
                        exposure: Exposure(mode: .tunnel, allowedCIDRs: config.allowedCIDRs ?? [.anywhereIPv4])))
                    let record = try await store.recordInstance(InstanceRecord(
                        deploymentID: nil, provider: provider, region: created.region, providerInstanceID: created.id,
                        sshUser: created.sshUser, expiresAt: expires))
                    let running = try await InstanceWait.untilRunning(created, driver: driver, timeout: .seconds(request.timeout))
                    try await store.updateInstance(record.id, InstanceUpdate(address: running.publicAddress ?? running.privateAddress))
                    try InstanceOutput.print(running, expires: expires, json: json)
                }
            }
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an instance as its provider reports it now.")
        @Argument(help: "The provider's instance id.") var id: String
        @OptionGroup var placement: Placement
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (id, json) = (id, output.json)
            try await InstanceLookup.withInstance(id, placement: placement) { driver, located, _ in
                guard let instance = try await driver.describe([id]).first else { throw StoreError.notFound("instance \(id)") }
                try InstanceOutput.print(instance, expires: located.expires, json: json)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the instances this store's owner has on a provider, as the provider reports them.")
        @OptionGroup var placement: Placement
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let environment = Environment.process
            let provider = try placement.providerID(required: true) ?? .aws
            let (region, json) = (placement.region, output.json)
            try await StoreOpener.withStore(environment) { store in
                let owner = try await store.ownerID()
                try await ProviderSession.with(provider, region: region, environment: environment) { driver in
                    let instances = try await driver.list(tag: ResourceTags.ownerKey, value: owner)
                    if json {
                        try Terminal.json("instances", instances.map { InstanceView($0, expires: nil) })
                    } else {
                        Terminal.out(Terminal.table([["ID", "REGION", "TYPE", "STATUS", "ADDRESS"]] + instances.map {
                            [$0.id, $0.region, $0.instanceType, $0.status.rawValue, $0.publicAddress ?? $0.privateAddress ?? "-"]
                        }))
                    }
                }
            }
        }
    }

    struct Terminate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Terminate an instance (already gone is success) and mark it so in the store.")
        @Argument(help: "The provider's instance id.") var id: String
        @OptionGroup var placement: Placement
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (id, json) = (id, output.json)
            try await InstanceLookup.withInstance(id, placement: placement) { driver, located, store in
                try await driver.terminate([id])
                let records = try await store.instances(deploymentID: nil)
                if let record = records.first(where: { $0.provider == located.provider && $0.providerInstanceID == id }) {
                    try await store.updateInstance(record.id, InstanceUpdate(state: .terminated))
                }
                let gone = try await driver.describe([id]).first
                    ?? Instance(id: id, provider: located.provider, region: located.region ?? "", instanceType: "", status: .terminated)
                if json {
                    try Terminal.json("instance", InstanceView(gone, expires: nil))
                } else {
                    Terminal.out("\(id): \(gone.status.rawValue)")
                }
            }
        }
    }
}

/// A driver for one command, with its transport shut down after.
enum ProviderSession {
    /// One driver for `provider` in `region` (nil: its default) for the length of `body`.
    static func with<T: Sendable>(
        _ provider: ProviderID, region: String?, environment: Environment, _ body: @Sendable (any CloudDriver) async throws -> T
    ) async throws -> T {
        try await CloudSession.with(environment) { session in try await body(try await session.driver(provider, region)) }
    }
}

enum InstanceLifetime {
    /// The TTL to give an instance: `--ttl`, else the config's default; `nil` only with `--no-ttl`.
    static func resolve(ttl: String?, noTTL: Bool, config: ToolConfig) throws -> TimeSpan? {
        if noTTL {
            if ttl != nil { throw UsageError("--ttl and --no-ttl exclude each other", field: "ttl") }
            return nil
        }
        guard let ttl else { return config.defaultTTL }
        guard let span = TimeSpan(parsing: ttl), span.seconds > 0, span <= ResourceLimits.maxTTL else {
            throw ValidationError(field: "ttl", value: ttl, rule: "must be \(TimeSpan.grammar), more than 0s and at most 365d")
        }
        return span
    }
}

enum InstanceWait {
    /// Until the instance runs, within `timeout`.
    static func untilRunning(_ instance: Instance, driver: any CloudDriver, timeout: Duration) async throws -> Instance {
        do {
            var current = try await RunningWait.until([instance.id], driver: driver, within: timeout)[instance.id] ?? instance
            // A describe does not know what create decided, such as the image's login user.
            current.sshUser = current.sshUser ?? instance.sshUser
            return current
        } catch let error as ProviderError where error.kind == .timeout {
            throw ProviderError(
                .timeout, provider: instance.provider, operation: "wait",
                message: "\(error.message); it is recorded, and gc will clean it up at its expiry")
        }
    }
}

enum InstanceLookup {
    struct Located: Sendable {
        let provider: ProviderID
        let region: String?
        let expires: Date?
    }

    /// Opens the store and the instance's provider for `body`.
    static func withInstance(
        _ id: String, placement: InstanceCommand.Placement,
        _ body: @escaping @Sendable (any CloudDriver, Located, any DeploymentStore) async throws -> Void
    ) async throws {
        let environment = Environment.process
        try await StoreOpener.withStore(environment) { store in
            let located = try await locate(id, placement: placement, store: store)
            try await ProviderSession.with(located.provider, region: located.region, environment: environment) { driver in
                try await body(driver, located, store)
            }
        }
    }

    /// Provider and region of an instance: from the store when it knows it, else from the flags.
    static func locate(_ id: String, placement: InstanceCommand.Placement, store: any DeploymentStore) async throws -> Located {
        let flagged = try placement.providerID(required: false)
        let records = try await store.instances(deploymentID: nil)
        if let record = records.first(where: { $0.providerInstanceID == id && (flagged == nil || $0.provider == flagged) }) {
            return Located(provider: record.provider, region: placement.region ?? record.region, expires: record.expiresAt)
        }
        guard let flagged else {
            throw UsageError("the store does not know instance \(id): give --provider (and --region)", field: "provider")
        }
        return Located(provider: flagged, region: placement.region, expires: nil)
    }
}

/// `{"instance": {…}}` as the foundation's convention names the fields.
struct InstanceView: Encodable {
    let instance: Instance
    let expires: Date?

    init(_ instance: Instance, expires: Date?) {
        self.instance = instance
        self.expires = expires
    }

    enum CodingKeys: String, CodingKey {
        case id, provider, region, zone, status, address, tags
        case instanceType = "instance_type"
        case privateAddress = "private_address"
        case sshPort = "ssh_port"
        case sshUser = "ssh_user"
        case expiresAt = "expires_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(instance.id, forKey: .id)
        try container.encode(instance.provider, forKey: .provider)
        try container.encode(instance.region, forKey: .region)
        try container.encode(instance.zone, forKey: .zone)
        try container.encode(instance.instanceType, forKey: .instanceType)
        try container.encode(instance.status, forKey: .status)
        try container.encode(instance.publicAddress ?? instance.privateAddress, forKey: .address)
        try container.encode(instance.privateAddress, forKey: .privateAddress)
        try container.encode(instance.sshPort, forKey: .sshPort)
        try container.encode(instance.sshUser, forKey: .sshUser)
        try container.encode(expires ?? instance.tags[ResourceTags.expiresKey].flatMap { try? Date($0, strategy: .iso8601) }, forKey: .expiresAt)
        try container.encode(instance.tags, forKey: .tags)
    }
}

enum InstanceOutput {
    static func print(_ instance: Instance, expires: Date?, json: Bool) throws {
        if json {
            try Terminal.json("instance", InstanceView(instance, expires: expires))
        } else {
            Terminal.out("\(instance.id): \(instance.status.rawValue) \(instance.instanceType) in \(instance.zone ?? instance.region)"
                + (instance.publicAddress.map { ", address \($0)" } ?? "")
                + (expires.map { ", expires \(Timestamp.format($0))" } ?? ""))
        }
    }
}
