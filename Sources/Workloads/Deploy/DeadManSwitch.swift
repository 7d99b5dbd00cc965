import Foundation
import RemoteExecution
import RemoteProvidersCore

/// A timer on the host itself that ends a replica at its deployment's expiry even when no
/// controller is left to do it (the laptop closed, the state store gone): it stops the workload
/// and, on a VM the tool bought, powers the machine off. On your own hosts (`ssh`, `local`) it
/// only ever stops the workload.
///
/// The expiry lives in a file in the workload's state folder, so `extend` rewrites one file and
/// removing the workload (`down`, a redeploy) disarms the switch with it. Where systemd runs, a
/// timer unit looks every minute (and survives reboots); elsewhere a watcher process in a session
/// of its own looks until the file is gone.
public struct DeadManSwitch: Sendable {
    public enum Action: Sendable, Equatable {
        case stopWorkload
        case stopWorkloadAndPowerOff
    }

    let host: any CommandExecutor

    public init(host: any CommandExecutor) {
        self.host = host
    }

    /// Arms the switch for `expiresAt`, or moves the expiry of an armed one (`extend`).
    public func arm(_ workload: Workload, runtime: WorkloadRuntime, expiresAt: Date, action: Action) async throws {
        let manager = try await NativeRuntime(host: host).manager()
        try await host.upload(
            Data("\(Int(expiresAt.timeIntervalSince1970.rounded(.up)))\n".utf8), into: workload.stateDirectory, as: Self.expiryFileName, mode: 0o600)
        let home = try await host.check(ShellCommand.homeDirectory).output
        switch manager {
        case .supervisor:
            try await host.check(Self.watcher(workload, runtime: runtime, action: action, manager: manager))
        case .systemd(let user):
            let folder = user ? "\(home)/.config/systemd/user" : "/etc/systemd/system"
            try await host.check(ShellCommand("mkdir", "-p", "--", folder))
            let units = Self.units(workload, runtime: runtime, action: action, home: home, user: user)
            try await host.upload(Data(units.service.utf8), to: "\(folder)/\(Self.unitName(workload)).service", mode: 0o644)
            try await host.upload(Data(units.timer.utf8), to: "\(folder)/\(Self.unitName(workload)).timer", mode: 0o644)
            try await host.check(
                NativeRuntime.systemctl(user: user, "daemon-reload").then(NativeRuntime.systemctl(user: user, "enable", "--now", "\(Self.unitName(workload)).timer")))
        }
    }

    /// Arms it when the deployment has an expiry. A switch that cannot be armed is reported to
    /// `onFailure`, not thrown: it is the second line of defence (the TTL sweep of `gc` is the
    /// first), and the healthy service it guards stays up.
    public static func arm(
        _ workload: Workload, runtime: WorkloadRuntime, expiresAt: Date?, action: Action, on host: any CommandExecutor,
        onFailure: (String) async -> Void
    ) async {
        guard let expiresAt else { return }
        do {
            try await DeadManSwitch(host: host).arm(workload, runtime: runtime, expiresAt: expiresAt, action: action)
        } catch {
            await onFailure("dead-man switch not armed: \((error as? any CodedError)?.message ?? "\(error)"); gc still ends it at its expiry")
        }
    }

    /// The expiry the host holds, if the switch is armed.
    public func expiry(_ workload: Workload) async throws -> Date? {
        let result = try await host.run(ShellCommand("cat", "--", Self.expiryFile(workload)))
        guard result.succeeded, let seconds = TimeInterval(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    // MARK: The commands and units (pure, so the systemd path is tested by its text here too)

    static let expiryFileName = "expires"
    static func expiryFile(_ workload: Workload) -> String { "\(workload.stateDirectory)/\(expiryFileName)" }
    static func unitName(_ workload: Workload) -> String { "\(workload.name)-deadman" }

    /// What the switch does when the time comes: the workload stopped and its files (the expiry
    /// among them, so the switch fires once) removed; then, for bought VMs, power off.
    static func expiryAction(_ workload: Workload, runtime: WorkloadRuntime, action: Action, manager: NativeRuntime.Manager, home: String? = nil)
        -> ShellCommand
    {
        let state = home.map { "\($0)/\(workload.stateDirectory)" } ?? workload.stateDirectory
        let stop: ShellCommand
        if let cli = ContainerCLI(runtime) {
            stop = cli.removeCommand(workload.name)
        } else if case .systemd(let user) = manager {
            stop = NativeRuntime.systemctl(user: user, "disable", "--now", NativeRuntime.unitName(workload))
        } else {
            stop = ShellCommand.stopProcessGroup(pidFile: home.map { "\($0)/\(NativeRuntime.pidFile(workload))" } ?? NativeRuntime.pidFile(workload), grace: 10)
        }
        let removed = stop.ignoringFailure.then(ShellCommand("rm", "-rf", "--", state))
        return action == .stopWorkloadAndPowerOff ? removed.then(ShellCommand.powerOff) : removed
    }

    static func watcher(_ workload: Workload, runtime: WorkloadRuntime, action: Action, manager: NativeRuntime.Manager) -> ShellCommand {
        // The pid file sits beside the state folder: the action removes that folder while the watcher still runs.
        ShellCommand.deadManWatcher(
            expiryFile: expiryFile(workload), action: expiryAction(workload, runtime: runtime, action: action, manager: manager),
            pidFile: "\(workload.stateDirectory).deadman.pid")
    }

    /// A oneshot service that looks once, and a timer that starts it every minute (and at boot,
    /// catching up a missed expiry); once the expiry file is gone the timer turns itself off.
    static func units(_ workload: Workload, runtime: WorkloadRuntime, action: Action, home: String, user: Bool) -> (service: String, timer: String) {
        let file = "\(home)/\(expiryFile(workload))"
        let act = expiryAction(workload, runtime: runtime, action: action, manager: .systemd(user: user), home: home)
        let look = ShellCommand.when(
            ShellCommand("test", "-f", file), then: ShellCommand.deadManCheck(expiryFile: file, action: act),
            otherwise: NativeRuntime.systemctl(user: user, "disable", "--now", "\(unitName(workload)).timer"))
        let service = """
            [Unit]
            Description=blueprint-remote dead-man switch for \(workload.name) (deployment \(workload.deploymentID))

            [Service]
            Type=oneshot
            \(look.systemdExecStart)

            """
        let timer = """
            [Unit]
            Description=blueprint-remote dead-man switch for \(workload.name): looks every minute

            [Timer]
            OnBootSec=1min
            OnUnitActiveSec=1min
            AccuracySec=10s

            [Install]
            WantedBy=timers.target

            """
        return (service, timer)
    }
}
