import Foundation
import RemoteExecution
import RemoteProvidersCore

/// Runs workloads on one host through its `CommandExecutor`: Docker, Podman, containerd
/// (`nerdctl`) or a native process. Each operation is a few commands from `ShellCommand`.
public protocol ServiceRuntime: Sendable {
    var kind: WorkloadRuntime { get }

    /// Makes the image available on the host: loaded from the archive, or pulled as the pull
    /// policy says (after logging in to the registry when asked).
    func prepare(_ workload: Workload) async throws

    /// Starts the workload, replacing one of the same name.
    func start(_ workload: Workload) async throws

    func status(_ workload: Workload) async throws -> WorkloadStatus

    /// The last `tail` lines, then (with `follow`) new ones until the calling task is cancelled.
    func logs(_ workload: Workload, tail: Int, follow: Bool, onOutput: @escaping @Sendable (CommandOutput) -> Void) async throws

    /// Runs `argv` inside the workload (health commands).
    func exec(_ workload: Workload, _ argv: [String], timeout: Duration) async throws -> CommandResult

    /// Stops and removes the workload and its files on the host; already gone is success.
    func remove(_ workload: Workload) async throws
}

/// Finds the runtimes a host has, and picks one.
public enum RuntimeProbe {
    /// The runtimes usable on the host, in the order the tool prefers them; `native` (which needs
    /// only `sh`) last. One round trip.
    public static func available(on host: any CommandExecutor) async throws -> [WorkloadRuntime] {
        let script = ShellCommand.all([ContainerCLI.docker, .podman, .nerdctl].map { cli in
            ShellCommand.when(cli.probe.silenced, then: ShellCommand("echo", cli.runtime.rawValue), otherwise: ShellCommand("true"))
        })
        let found = try await host.check(script).output.split(separator: "\n").compactMap { WorkloadRuntime(rawValue: String($0)) }
        return found + [.native]
    }

    /// The runtime the spec asks for (or the first available when it names none). On a host that
    /// lacks it: installed when `install` allows (a bring-your-own host gets nothing installed
    /// unasked), else an error saying what the host has.
    public static func runtime(_ requested: WorkloadRuntime?, on host: any CommandExecutor, install: Bool = false) async throws -> any ServiceRuntime {
        // Asked for by name: one cheap look for its program (starting its engine just to ask
        // costs more than the deploy's own first command, which fails clearly if it cannot run).
        if let requested, let cli = ContainerCLI(requested), try await host.run(ShellCommand.exists(cli.program)).succeeded {
            return make(requested, on: host)
        }
        if requested == .native { return make(.native, on: host) }
        let available = try await available(on: host)
        let chosen = requested ?? available[0]
        if !available.contains(chosen) {
            guard install else {
                throw ProviderError(
                    .unsupported, operation: "deploy",
                    message: "\(host.target) has no working \(chosen.rawValue) (it has: \(available.map(\.rawValue).joined(separator: ", "))); "
                        + "install it, choose another runtime, or pass --install-runtime")
            }
            guard let install = ContainerCLI(chosen)?.installCommand else {
                throw ProviderError(
                    .unsupported, operation: "install runtime",
                    message: "\(chosen.rawValue) (nerdctl) has no distribution package to install: set it up on \(host.target) by hand")
            }
            try await host.check(install, timeout: .seconds(900))
        }
        return make(chosen, on: host)
    }

    /// The user data (a `#!/bin/sh` script cloud-init runs at first boot) that installs `runtime`
    /// on a VM the tool creates; `nil` where nothing needs installing (`native`) or no package
    /// exists (`containerd`'s nerdctl).
    public static func bootScript(for runtime: WorkloadRuntime) -> String? {
        guard let install = ContainerCLI(runtime)?.installCommand else { return nil }
        return "#!/bin/sh\nset -e\n\(install.text)\n"
    }

    /// The runtime of `kind` on `host`, without probing (for a deployment that already chose).
    public static func make(_ kind: WorkloadRuntime, on host: any CommandExecutor) -> any ServiceRuntime {
        if let cli = ContainerCLI(kind) { return ContainerRuntime(cli: cli, host: host) }
        return NativeRuntime(host: host)
    }
}
