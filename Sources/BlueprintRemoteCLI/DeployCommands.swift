import ArgumentParser
import Foundation
import RemoteProviders

/// Flags that say where the bring-your-own hosts are and how far to trust them.
struct HostOptions: ParsableArguments {
    @Option(name: .long, help: "The ssh provider's hosts file (default BLUEPRINT_REMOTE_SSH_HOSTS).")
    var hosts: String?

    @Flag(name: .long, help: "Trust and pin the key a host without a known key shows on its first connection.")
    var trustNewHostKeys = false

    /// The pool of `provider`, with its hosts file when it is `ssh`.
    func pool(_ provider: ProviderID, store: any DeploymentStore, environment: Environment) async throws -> PoolHosts {
        let path = hosts ?? environment[HostsFile.variable]
        let file = try (provider == .ssh ? path : nil).map { try HostsFile.load(path: $0, environment: environment) }
        let key = try await ControllerKey.load(stateDirectory: StoreLocation.localStateDirectory(environment), store: store)
        return try PoolHosts(
            provider: provider, file: file, store: store, controllerIdentity: SSHIdentity(key.keyPair), trustNewHostKeys: trustNewHostKeys)
    }
}

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Buy (or claim) machines for a service, deploy it, and prove it healthy.",
        discussion: """
            Shows the plan first (see `plan`); a plan that costs money needs --yes or a yes typed \
            at the terminal (without a terminal it is refused, never waited on).

            On a cloud: the intent is recorded before anything is bought and every instance the \
            moment its id is known; a capacity or quota error blocks what it names, terminates what \
            the attempt made, and tries the next offer; the service is deployed over SSH (the tool's \
            key, the host key pinned at first contact) and probed. Any other failure terminates \
            what was bought and leaves the deployment failed, with the cause in `events`.

            On your own hosts (--provider ssh or local): one host per replica is claimed (never one \
            another live deployment holds); a failed up removes what it started and releases them.

            Examples:
              blueprint-remote up examples/hello-native.yaml --provider local
              blueprint-remote up examples/hello.yaml --provider ssh --hosts hosts.yaml --json
              blueprint-remote up service.yaml --provider aws --region us-east-1 --yes
              blueprint-remote up service.yaml --ssh-wait 15m --yes   (a slow-booting GPU image)
            """)

    @Argument(help: "The service file (YAML or JSON).") var service: String
    @Option(name: .long, help: "Only this provider (narrows the service file's providers); ssh and local deploy to your own hosts.")
    var provider: String?
    @Option(name: .long, help: "Only this region.") var region: String?
    @Option(name: .long, help: "Only this instance type (the provider's own name).") var type: String?
    @OptionGroup var hostOptions: HostOptions
    @Flag(name: .long, help: "Install the runtime the service asks for when a host of yours lacks it (needs root there).")
    var installRuntime = false
    @Option(name: .long, help: "Time to live, for example 2h (default: the service file's ttl, else the config's).") var ttl: String?
    @Flag(name: .customLong("no-ttl"), help: "Never expire.") var noTTL = false
    @Option(name: .long, help: "How long a bought VM may take to answer SSH, for example 10m (default: the config's ssh_wait, else 5m).")
    var sshWait: String?
    @Flag(name: .long, help: "Do not ask before buying anything (a plan that costs nothing, as on your own hosts, is never asked about).")
    var yes = false
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let environment = Environment.process
        let config = try ToolConfig.load(environment: environment)
        let spec = try ServiceSpec.load(contentsOf: service, config: config).spec
        let waitForSSH = try sshWait.map { text in
            guard let wait = TimeSpan(parsing: text) else { throw ValidationError(field: "ssh-wait", value: text, rule: "must be \(TimeSpan.grammar)") }
            if let reason = ToolConfig.sshWaitRule(wait) { throw ValidationError(field: "ssh-wait", value: text, rule: reason) }
            return wait
        } ?? config.sshWait
        let lifetime = try ttl != nil || noTTL
            ? InstanceLifetime.resolve(ttl: ttl, noTTL: noTTL, config: config)
            : spec.effectiveTTL(default: config.defaultTTL, allowNoTTL: false)
        let named = try provider.map { try CatalogAccess.providers([$0]) } ?? []
        // Your own hosts when named, or when they are all the service file allows.
        let pool = named.count == 1 && named[0].isPool ? named[0]
            : named.isEmpty && spec.resources.providers.count == 1 && spec.resources.providers[0].isPool ? spec.resources.providers[0] : nil
        let inputs = try await ServicePlan.inputs(
            spec, providers: pool.map { [$0] } ?? named, region: region, instanceType: type, hostOptions: hostOptions, ttl: lifetime,
            environment: environment, config: config)
        let plan = await ServicePlan.make(spec, inputs: inputs, ttl: lifetime, fallbacks: 0, config: config)
        if !output.json { Terminal.err(plan.summary) }
        guard plan.chosen != nil else {
            throw PlanFailure(message: "nothing was bought: \(plan.explanation ?? "nothing deployable fits")", printed: false, overBudget: plan.overBudget)
        }
        try Confirmation.confirm(plan, yes: yes, json: output.json)
        let outcome: UpOutcome
        // A service file that allows your own hosts among others goes to them when they are what the plan chose.
        if let pool = pool ?? plan.chosen.flatMap({ $0.provider.isPool ? $0.provider : nil }) {
            outcome = try await upOnPool(pool, spec: spec, lifetime: lifetime, environment: environment)
        } else {
            outcome = try await upOnCloud(spec, inputs: inputs, lifetime: lifetime, sshWait: waitForSSH, environment: environment)
        }
        try Self.report(outcome, json: output.json)
    }

    private func upOnPool(_ pool: ProviderID, spec: ServiceSpec, lifetime: TimeSpan?, environment: Environment) async throws -> UpOutcome {
        let expires = lifetime.map { Date().addingTimeInterval(TimeInterval($0.seconds)) }
        let (hostOptions, install) = (hostOptions, installRuntime)
        return try await StoreOpener.withStore(environment) { store in
            let hosts = try await hostOptions.pool(pool, store: store, environment: environment)
            let deployment = PoolDeployment(hosts: hosts, store: store, deployer: ServiceDeployer(installRuntime: install), environment: environment)
            return try await deployment.up(spec, expiresAt: expires)
        }
    }

    private func upOnCloud(
        _ spec: ServiceSpec, inputs: ServicePlan.Inputs, lifetime: TimeSpan?, sshWait: TimeSpan?, environment: Environment
    ) async throws -> UpOutcome {
        var options = CloudDeployment.Options()
        if let sshWait { options.sshWait = sshWait.duration }
        let settings = options
        var spec = spec
        spec.resources = inputs.requirements
        let quiet = output.json
        let narrowed = spec
        return try await StoreOpener.withStore(environment) { store in
            let key = try await ControllerKey.load(stateDirectory: StoreLocation.localStateDirectory(environment), store: store)
            return try await CloudSession.with(environment) { session in
                let deployment = CloudDeployment(
                    store: store, drivers: session.source, planner: inputs.planner, key: key.keyPair, environment: environment,
                    options: settings, progress: { line in if !quiet { Terminal.err(line) } })
                do {
                    return try await Interruption.cancellable(onFirst: {
                        Terminal.err("interrupted: terminating what this up made (interrupt again to leave it to gc)")
                    }) {
                        try await deployment.up(narrowed, ttl: lifetime)
                    }
                } catch is CancellationError {
                    throw Interrupted(message: "\(narrowed.name): up was interrupted; what it made was terminated and the deployment marked failed")
                }
            }
        }
    }

    static func report(_ outcome: UpOutcome, json: Bool) throws {
        if json {
            try Terminal.json("deployment", outcome)
        } else {
            for replica in outcome.replicas {
                Terminal.out("\(outcome.name) (\(outcome.deploymentID)) replica \(replica.replica) on \(replica.host) [\(replica.runtime?.rawValue ?? "the provider's container")]: \(replica.url ?? "tunnel only: blueprint-remote port-forward \(outcome.deploymentID) PORT")")
            }
            for failure in outcome.failures {
                Terminal.err("replica \(failure.replica) on \(failure.host ?? "no host"): \(failure.message)")
            }
        }
        if outcome.state != .healthy {
            throw DeployFailure(message: "\(outcome.name) (\(outcome.deploymentID)) failed: \(outcome.failures.count) replica\(outcome.failures.count == 1 ? "" : "s") did not come up; what it used was released", printed: json)
        }
    }
}

/// SIGINT or SIGTERM stopped the command (exit 130, as shells report it).
struct Interrupted: CodedError {
    let message: String
    var code: ErrorCode { .interrupted }
}

/// `up` failed after printing its per-replica outcome.
struct DeployFailure: PrintedFailure {
    let message: String
    /// The outcome already went to stdout as JSON: only the exit status is owed.
    let printed: Bool
    var code: ErrorCode { .unhealthy }
}

struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Remove a deployment's workloads, release its hosts and mark it terminated.",
        discussion: """
            Already gone is success. A host that cannot be reached keeps the deployment draining: run down again.

            Example:
              blueprint-remote down hello
            """)

    @Argument(help: "A deployment id or name.") var deployment: String
    @OptionGroup var hostOptions: HostOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let environment = Environment.process
        let (wanted, json, hostOptions) = (deployment, output.json, hostOptions)
        try await StoreOpener.withStore(environment) { store in
            let found = try await DeploymentLookup.find(wanted, in: store)
            if found.state == .terminated {
                try Self.print(found, json: json)
                return
            }
            let provider = try await store.instances(deploymentID: found.id).first?.provider ?? .local
            if provider.isPool {
                let pool = try await hostOptions.pool(provider, store: store, environment: environment)
                try await PoolDeployment(hosts: pool, store: store, deployer: ServiceDeployer(), environment: environment).down(found)
            } else {
                let key = try await ControllerKey.load(stateDirectory: StoreLocation.localStateDirectory(environment), store: store)
                try await CloudSession.with(environment) { session in
                    try await CloudDeployment(store: store, drivers: session.source, key: key.keyPair, environment: environment, progress: { line in
                        if !json { Terminal.err(line) }
                    }).down(found)
                }
            }
            try Self.print(try await DeploymentLookup.find(found.id, in: store), json: json)
        }
    }

    static func print(_ deployment: Deployment, json: Bool) throws {
        if json {
            try Terminal.json("deployment", ["id": deployment.id, "name": deployment.name, "state": deployment.state.rawValue])
        } else {
            Terminal.out("\(deployment.name) (\(deployment.id)): \(deployment.state.rawValue)")
        }
    }
}

/// The live replicas of a deployment and a way onto each one's host.
enum ReplicaAccess {
    static func withReplica<T: Sendable>(
        _ wanted: String, replica: Int?, hostOptions: HostOptions,
        _ body: @escaping @Sendable (HostAccess, InstanceRecord, Deployment) async throws -> T
    ) async throws -> T {
        let environment = Environment.process
        return try await StoreOpener.withStore(environment) { store in
            let deployment = try await DeploymentLookup.find(wanted, in: store)
            let live = try await store.instances(deploymentID: deployment.id).filter { $0.state == .active }
            guard let record = live.first(where: { replica == nil || $0.replica == replica }) else {
                throw StoreError.notFound("a live replica\(replica.map { " \($0)" } ?? "") of deployment \(deployment.id)")
            }
            let access = try await Self.access(record, store: store, hostOptions: hostOptions, environment: environment)
            return try await access.closing { try await body(access, record, deployment) }
        }
    }

    /// A verified connection to the host of `record`: from the pool's hosts file, or the tool's key
    /// and the pinned host key for a cloud instance.
    static func access(_ record: InstanceRecord, store: any DeploymentStore, hostOptions: HostOptions, environment: Environment) async throws -> HostAccess {
        if record.provider.isPool {
            return try await hostOptions.pool(record.provider, store: store, environment: environment).access(for: record)
        }
        let key = try await ControllerKey.load(stateDirectory: StoreLocation.localStateDirectory(environment), store: store)
        return try await InstanceAccess(store: store, identity: SSHIdentity(key.keyPair), environment: environment, waitFor: .seconds(30))
            .access(for: record)
    }
}

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a deployment's logs (one replica's), and follow them with --follow.",
        discussion: """
            Examples:
              blueprint-remote logs hello --tail 50
              blueprint-remote logs hello --follow --replica 1
            """)

    @Argument(help: "A deployment id or name.") var deployment: String
    @Option(name: .long, help: "Which replica (default: the first live one).") var replica: Int?
    @Option(name: .long, help: "Lines from the end to start with.") var tail: Int = 100
    @Flag(name: .shortAndLong, help: "Keep printing new lines until interrupted.") var follow = false
    @OptionGroup var hostOptions: HostOptions

    func run() async throws {
        guard (0...1_000_000).contains(tail) else { throw UsageError("--tail must be 0 to 1000000", field: "tail") }
        let (tail, follow) = (tail, follow)
        try await ReplicaAccess.withReplica(deployment, replica: replica, hostOptions: hostOptions) { access, record, deployment in
            if ProviderDirectory.metadata(for: record.provider)?.kinds.contains(.container) == true {
                throw ProviderError.unsupported(
                    "logs", provider: record.provider,
                    reason: "\(record.provider) runs the container itself and this tool reads no logs from its API yet; `blueprint-remote ssh \(deployment.name) -- …` reaches the container")
            }
            guard let kind = record.runtime else { throw StoreError.notFound("the runtime of replica \(record.replica ?? 0) (it never started)") }
            let runtime = RuntimeProbe.make(kind, on: access.executor)
            try await runtime.logs(Workload.handle(deploymentID: deployment.id, replica: record.replica ?? 0), tail: tail, follow: follow) { output in
                switch output {
                case .stdout(let data): FileHandle.standardOutput.write(data)
                case .stderr(let data): FileHandle.standardError.write(data)
                }
            }
        }
    }
}

struct SSHCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh",
        abstract: "Run a command on a deployment's host, through the same verified connection.",
        discussion: """
            The command's words are passed as they are (quoted for the remote shell); its exit \
            status becomes this command's. Without a command: a login shell (with a terminal when \
            this is one).

            Examples:
              blueprint-remote ssh hello -- df -h /
              blueprint-remote ssh hello
            """)

    @Argument(help: "A deployment id or name.") var deployment: String
    @Option(name: .long, help: "Which replica's host (default: the first live one).") var replica: Int?
    @OptionGroup var hostOptions: HostOptions
    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.") var command: [String] = []

    func run() async throws {
        let argv = command
        let status = try await ReplicaAccess.withReplica(deployment, replica: replica, hostOptions: hostOptions) { access, _, _ in
            guard !argv.isEmpty else { return try await Self.shell(on: access) }
            let result = try await access.executor.stream(ShellCommand(argv)) { output in
                switch output {
                case .stdout(let data): FileHandle.standardOutput.write(data)
                case .stderr(let data): FileHandle.standardError.write(data)
                }
            }
            return result.exitStatus
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// A login shell: with a terminal (this one's size, raw mode while it runs) when standard input
    /// is one, else reading commands from standard input.
    static func shell(on access: HostAccess) async throws -> Int32 {
        guard let ssh = access.executor as? SSHExecutor else {
            throw ProviderError.unsupported("ssh", provider: .local, reason: "the deployment runs on this machine: use a shell here")
        }
        guard isatty(STDIN_FILENO) == 1 else { return try await ssh.shell(terminal: nil) }
        var size = winsize()
        _ = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size)
        let terminal = SSHTerminal(
            term: ProcessInfo.processInfo.environment["TERM"] ?? "xterm-256color", columns: size.ws_col > 0 ? Int(size.ws_col) : 80,
            rows: size.ws_row > 0 ? Int(size.ws_row) : 24)
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var raw = saved
        cfmakeraw(&raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        return try await ssh.shell(terminal: terminal)
    }
}

struct PortForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port-forward",
        abstract: "Forward a local port to a port on a deployment's host, through SSH, until interrupted.",
        discussion: """
            PORT[:LOCAL]: the host's port (as the host sees it on 127.0.0.1), and the local port \
            (default: the same number; 0 picks a free one).

            Example:
              blueprint-remote port-forward hello 8080:18080
            """)

    @Argument(help: "A deployment id or name.") var deployment: String
    @Argument(help: "PORT[:LOCAL]") var ports: String
    @Option(name: .long, help: "Which replica's host (default: the first live one).") var replica: Int?
    @OptionGroup var hostOptions: HostOptions

    func run() async throws {
        let sides = ports.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(sides.count), let remote = sides[0], (1...65_535).contains(remote),
            let local = sides.count == 2 ? sides[1] : remote, (0...65_535).contains(local)
        else { throw UsageError("PORT[:LOCAL] must be ports, for example 8080 or 8080:18080", field: "ports") }
        try await ReplicaAccess.withReplica(deployment, replica: replica, hostOptions: hostOptions) { access, _, deployment in
            guard let ssh = access.executor as? SSHExecutor else {
                throw ProviderError.unsupported("port-forward", provider: .local, reason: "the service runs on this machine: use 127.0.0.1:\(remote)")
            }
            let forward = try await ssh.forward(localPort: local, to: "127.0.0.1", port: remote)
            Terminal.err("forwarding 127.0.0.1:\(forward.localPort) to port \(remote) on \(access.name) (\(deployment.name)); Ctrl-C ends it")
            Terminal.out("127.0.0.1:\(forward.localPort)")
            // Until interrupted.
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
            await forward.close()
        }
    }
}
