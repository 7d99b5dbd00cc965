import Foundation
import RemoteExecution
import RemoteProvidersCore

/// A container CLI with Docker's command shape: `docker`, `podman`, or `nerdctl` (containerd).
public struct ContainerCLI: Sendable, Equatable {
    public let program: String
    public let runtime: WorkloadRuntime

    public static let docker = ContainerCLI(program: "docker", runtime: .docker)
    public static let podman = ContainerCLI(program: "podman", runtime: .podman)
    public static let nerdctl = ContainerCLI(program: "nerdctl", runtime: .containerd)

    private init(program: String, runtime: WorkloadRuntime) {
        self.program = program
        self.runtime = runtime
    }

    public init?(_ runtime: WorkloadRuntime) {
        switch runtime {
        case .docker: self = .docker
        case .podman: self = .podman
        case .containerd: self = .nerdctl
        case .native: return nil
        }
    }

    /// Succeeds when the CLI is there and its engine answers this user.
    var probe: ShellCommand { ShellCommand(program, "version") }

    /// Installs the engine with the host's package manager (needs root); `nil` for nerdctl, which
    /// has no distribution package.
    var installCommand: ShellCommand? {
        let package = runtime == .docker ? "docker.io" : program
        guard runtime != .containerd else { return nil }
        return ShellCommand.first([
            ShellCommand.exists("apt-get").then(ShellCommand("apt-get", "update", "-q"))
                .then(ShellCommand("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", package)),
            ShellCommand.exists("dnf").then(ShellCommand("dnf", "install", "-y", program == "docker" ? "moby-engine" : program)),
        ])
    }

    /// Whether the host can give containers GPUs: the NVIDIA container toolkit for Docker and
    /// nerdctl, its CDI specification for Podman.
    var gpuCheck: ShellCommand {
        switch runtime {
        case .podman:
            ShellCommand.first(["/etc/cdi/nvidia.yaml", "/var/run/cdi/nvidia.yaml", "/etc/cdi/nvidia.json", "/var/run/cdi/nvidia.json"].map {
                ShellCommand("test", "-e", $0)
            })
        default: ShellCommand.first([ShellCommand.exists("nvidia-container-cli"), ShellCommand.exists("nvidia-ctk")])
        }
    }

    var gpuMissing: String {
        runtime == .podman
            ? "has no NVIDIA CDI specification (/etc/cdi/nvidia.yaml): install the NVIDIA container toolkit and run nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml"
            : "has no NVIDIA container toolkit (nvidia-container-cli or nvidia-ctk): install nvidia-container-toolkit and restart the engine"
    }

    /// Stops the container (TERM, KILL after 10 s) and removes it, if there is one: one command.
    var removeCommand: (String) -> ShellCommand {
        { [program, runtime] name in
            if runtime == .podman { return ShellCommand(program, "rm", "--force", "--ignore", "--time", "10", "--", name).silenced }
            return ShellCommand(program, "stop", "--time", "10", "--", name).then(ShellCommand(program, "rm", "--force", "--", name)).silenced.ignoringFailure
        }
    }

    /// `run --detach …`: limits, ports, labels, the variable names (their values come from the
    /// sourced environment file), GPUs, then `--`, the image and the command.
    func runArgv(_ workload: Workload, image: String) -> [String] {
        // The pull policy rides on `run` (Docker 20.10+, Podman, nerdctl): no separate look for the image.
        var argv = [program, "run", "--detach", "--name", workload.name, "--restart", "unless-stopped", "--pull", workload.pullPolicy.rawValue]
        for (key, value) in workload.labels { argv += ["--label", "\(key)=\(value)"] }
        argv += [
            "--cpus", Self.decimal(workload.cpus), "--memory", "\(Int((workload.memoryGB * 1024).rounded(.up)))m",
            "--pids-limit", String(workload.pidsLimit),
        ]
        for port in workload.ports {
            let address = workload.exposure == .tunnel ? "127.0.0.1:" : ""
            argv += ["--publish", "\(address)\(port.hostPort):\(port.containerPort)/\(port.transport.rawValue)"]
        }
        for variable in workload.variables { argv += ["--env", variable.name] }
        if workload.gpus > 0 {
            if runtime == .podman {
                for index in 0..<workload.gpus { argv += ["--device", "nvidia.com/gpu=\(index)"] }
            } else {
                argv += ["--gpus", String(workload.gpus)]
            }
        }
        return argv + ["--", image] + workload.command
    }

    static func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}

/// Docker, Podman or nerdctl on one host.
public struct ContainerRuntime: ServiceRuntime {
    public let cli: ContainerCLI
    let host: any CommandExecutor

    public init(cli: ContainerCLI, host: any CommandExecutor) {
        self.cli = cli
        self.host = host
    }

    public var kind: WorkloadRuntime { cli.runtime }
    private var program: String { cli.program }

    public func prepare(_ workload: Workload) async throws {
        if let archive = workload.imageArchive {
            guard let data = FileManager.default.contents(atPath: archive) else {
                throw ValidationError(field: "image_archive", value: archive, rule: "must be a readable image archive (docker save or podman save)")
            }
            try await host.check(ShellCommand(program, "load"), input: data, timeout: .seconds(1800))
            return
        }
        let image = try image(of: workload)
        if let auth = workload.registryAuth {
            try await host.check(
                ShellCommand(program, "login", "--username", auth.username, "--password-stdin", "--", auth.server),
                input: Data(auth.password.revealed.utf8))
        }
        // `missing` and `always` are `run`'s to do; `never` is checked here, to say so clearly.
        if workload.pullPolicy == .never, try await !host.run(ShellCommand(program, "image", "inspect", "--", image).silenced).succeeded {
            throw ValidationError(field: "pull_policy", value: "never", rule: "needs the image \(image) on \(host.target) already, and it is not there")
        }
    }

    public func start(_ workload: Workload) async throws {
        let image = try image(of: workload)
        if workload.gpus > 0, try await !host.run(cli.gpuCheck).succeeded {
            throw ProviderError(.unsupported, operation: "deploy", message: "\(host.target) \(cli.gpuMissing)")
        }
        try await host.upload(
            Data(try ShellCommand.environmentScript(workload.variables).utf8), into: workload.stateDirectory, as: Workload.environmentFileName, mode: 0o600)
        try await host.check(
            cli.removeCommand(workload.name).then(ShellCommand.sourcing(workload.environmentFile, then: cli.runArgv(workload, image: image))),
            timeout: .seconds(1800))
    }

    public func status(_ workload: Workload) async throws -> WorkloadStatus {
        let result = try await host.run(ShellCommand(program, "inspect", "--type", "container", "--format", "{{json .State}}", "--", workload.name))
        guard result.succeeded else {
            if result.errorOutput.lowercased().contains("no such") { return WorkloadStatus(state: .missing) }
            throw ExecutionError.commandFailed(ShellCommand(program, "inspect"), result: result, target: host.target)
        }
        struct State: Decodable {
            var Status: String?
            var ExitCode: Int?
            var Error: String?
        }
        let state = try JSONDecoder().decode(State.self, from: result.stdout)
        let detail = state.Error.flatMap { $0.isEmpty ? nil : $0 }
        switch state.Status?.lowercased() {
        case "running": return WorkloadStatus(state: .running, detail: detail)
        case "created", "restarting", "configured", "initialized", "paused": return WorkloadStatus(state: .starting, detail: state.Status)
        default: return WorkloadStatus(state: .exited, exitCode: state.ExitCode, detail: detail ?? state.Status)
        }
    }

    public func logs(_ workload: Workload, tail: Int, follow: Bool, onOutput: @escaping @Sendable (CommandOutput) -> Void) async throws {
        let command = ShellCommand([program, "logs", "--tail", String(tail)] + (follow ? ["--follow"] : []) + ["--", workload.name])
        let result = try await host.stream(command, onOutput: onOutput)
        if !result.succeeded && !Task.isCancelled { throw ExecutionError.commandFailed(command, result: result, target: host.target) }
    }

    public func exec(_ workload: Workload, _ argv: [String], timeout: Duration) async throws -> CommandResult {
        try await host.run(ShellCommand([program, "exec", workload.name] + argv), input: nil, timeout: timeout)
    }

    public func remove(_ workload: Workload) async throws {
        try await host.check(cli.removeCommand(workload.name).then(ShellCommand("rm", "-rf", "--", workload.stateDirectory)))
    }

    private func image(of workload: Workload) throws -> String {
        guard let image = workload.image else {
            throw ValidationError(field: "image", value: nil, rule: "is required by the \(kind.rawValue) runtime")
        }
        return image
    }
}
