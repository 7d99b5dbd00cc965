import Foundation
import RemoteExecution
import RemoteProvidersCore

/// A program already on the host, run as the service: a systemd unit where systemd runs (with
/// the spec's CPU, memory and task limits), otherwise a supervised process group with a pid file
/// that restarts the program when it ends. Ports are the ones the program binds itself.
public struct NativeRuntime: ServiceRuntime {
    let host: any CommandExecutor

    public init(host: any CommandExecutor) {
        self.host = host
    }

    public var kind: WorkloadRuntime { .native }

    /// How the host runs services: systemd (system units as root, user units otherwise) or the
    /// supervisor. Asked once per operation.
    enum Manager: Equatable {
        case systemd(user: Bool)
        case supervisor
    }

    func manager() async throws -> Manager {
        let answer = try await host.check(
            ShellCommand.when(ShellCommand("test", "-d", "/run/systemd/system"), then: ShellCommand("id", "-u"), otherwise: ShellCommand("echo", "none")))
        switch answer.output.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "none": return .supervisor
        case "0": return .systemd(user: false)
        default: return .systemd(user: true)
        }
    }

    public func prepare(_ workload: Workload) async throws {
        guard let program = workload.command.first else {
            throw ValidationError(field: "command", value: nil, rule: "is required by the native runtime: the program to run and its arguments")
        }
        guard try await host.run(ShellCommand.exists(program)).succeeded else {
            throw ValidationError(field: "command", value: program, rule: "must name a program on \(host.target), and it is not there")
        }
    }

    public func start(_ workload: Workload) async throws {
        if let port = workload.ports.first(where: { $0.hostPort != $0.containerPort }) {
            throw ValidationError(field: "ports", value: port.description, rule: "the native runtime has no port mapping: the program binds its own ports")
        }
        if workload.gpus > 0, try await !host.run(ShellCommand.exists("nvidia-smi")).succeeded {
            throw ProviderError(.unsupported, operation: "deploy", message: "\(host.target) has no NVIDIA driver (nvidia-smi): install it first")
        }
        try await remove(workload)
        try await host.upload(
            Data(try ShellCommand.environmentScript(workload.variables).utf8), into: workload.stateDirectory, as: Workload.environmentFileName, mode: 0o600)
        switch try await manager() {
        case .supervisor:
            try await host.check(Self.superviseCommand(workload))
        case .systemd(let user):
            let path = try await unitPath(workload, user: user)
            try await host.check(ShellCommand("mkdir", "-p", "--", (path as NSString).deletingLastPathComponent))
            try await host.upload(Data(Self.unit(workload, home: try await home(), user: user).utf8), to: path, mode: 0o644)
            try await host.check(Self.systemctl(user: user, "daemon-reload").then(Self.systemctl(user: user, "enable", "--now", Self.unitName(workload))))
        }
    }

    public func status(_ workload: Workload) async throws -> WorkloadStatus {
        switch try await manager() {
        case .supervisor:
            let alive = try await host.run(ShellCommand.processGroupAlive(pidFile: Self.pidFile(workload))).succeeded
            return WorkloadStatus(state: alive ? .running : .missing)
        case .systemd(let user):
            let state = try await host.run(Self.systemctl(user: user, "is-active", Self.unitName(workload))).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            switch state {
            case "active": return WorkloadStatus(state: .running)
            case "activating", "reloading": return WorkloadStatus(state: .starting, detail: state)
            case "inactive" where !(try await host.run(ShellCommand("test", "-e", try await unitPath(workload, user: user))).succeeded):
                return WorkloadStatus(state: .missing)
            default: return WorkloadStatus(state: .exited, detail: state)
            }
        }
    }

    public func logs(_ workload: Workload, tail: Int, follow: Bool, onOutput: @escaping @Sendable (CommandOutput) -> Void) async throws {
        let command: ShellCommand
        switch try await manager() {
        case .supervisor:
            command = ShellCommand(["tail", "-n", String(tail)] + (follow ? ["-f"] : []) + ["--", Self.logFile(workload)])
        case .systemd(let user):
            command = ShellCommand(
                ["journalctl"] + (user ? ["--user"] : []) + ["--unit", Self.unitName(workload), "--lines", String(tail), "--output", "cat", "--no-pager"]
                    + (follow ? ["--follow"] : []))
        }
        let result = try await host.stream(command, onOutput: onOutput)
        if !result.succeeded && !Task.isCancelled { throw ExecutionError.commandFailed(command, result: result, target: host.target) }
    }

    public func exec(_ workload: Workload, _ argv: [String], timeout: Duration) async throws -> CommandResult {
        try await host.run(ShellCommand.sourcing(workload.environmentFile, then: argv), input: nil, timeout: timeout)
    }

    public func remove(_ workload: Workload) async throws {
        switch try await manager() {
        case .supervisor:
            try await host.check(ShellCommand.stopProcessGroup(pidFile: Self.pidFile(workload), grace: 10))
        case .systemd(let user):
            let path = try await unitPath(workload, user: user)
            try await host.check(
                Self.systemctl(user: user, "disable", "--now", Self.unitName(workload)).silenced.ignoringFailure
                    .then(ShellCommand("rm", "-f", "--", path)).then(Self.systemctl(user: user, "daemon-reload")))
        }
        try await host.check(ShellCommand("rm", "-rf", "--", workload.stateDirectory))
    }

    // MARK: The commands and files (pure, so the paths this machine cannot run are tested by their text)

    static func unitName(_ workload: Workload) -> String { "\(workload.name).service" }
    static func pidFile(_ workload: Workload) -> String { "\(workload.stateDirectory)/pid" }
    static func logFile(_ workload: Workload) -> String { "\(workload.stateDirectory)/log" }

    static func superviseCommand(_ workload: Workload) -> ShellCommand {
        ShellCommand.supervise(workload.command, environmentFile: workload.environmentFile, logFile: logFile(workload), pidFile: pidFile(workload))
    }

    static func systemctl(user: Bool, _ arguments: String...) -> ShellCommand {
        ShellCommand(["systemctl"] + (user ? ["--user"] : []) + arguments)
    }

    /// The unit: the program with the environment file sourced, restarted a second after it ends,
    /// limited to the spec's CPUs, memory and tasks. `home` makes the state paths absolute.
    static func unit(_ workload: Workload, home: String, user: Bool) -> String {
        let environment = "\(home)/\(workload.environmentFile)"
        return """
            [Unit]
            Description=blueprint-remote \(workload.service) (deployment \(workload.deploymentID), replica \(workload.replica))
            After=network-online.target

            [Service]
            \(ShellCommand.sourcing(environment, then: workload.command).systemdExecStart)
            Restart=always
            RestartSec=1
            CPUQuota=\(Int((workload.cpus * 100).rounded()))%
            MemoryMax=\(Int((workload.memoryGB * 1024).rounded(.up)))M
            TasksMax=\(workload.pidsLimit)

            [Install]
            WantedBy=\(user ? "default.target" : "multi-user.target")

            """
    }

    private func unitPath(_ workload: Workload, user: Bool) async throws -> String {
        user ? "\(try await home())/.config/systemd/user/\(Self.unitName(workload))" : "/etc/systemd/system/\(Self.unitName(workload))"
    }

    private func home() async throws -> String {
        try await host.check(ShellCommand.homeDirectory).output
    }
}
