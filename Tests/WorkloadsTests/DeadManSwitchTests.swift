import Foundation
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import Workloads

/// The dead-man switch on a real sshd test host (no systemd there: the watcher process), and the
/// systemd timer by its text.
@Suite struct DeadManSwitchTests {
    static func sleeper(_ deployment: String) -> Workload {
        Workload(deploymentID: deployment, service: "sleeper", image: nil, command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"])
    }

    /// Polls until `condition` holds or `seconds` pass.
    static func eventually(_ seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 2) {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(500))
        }
        return try await condition()
    }

    @Test func theSwitchStopsTheWorkloadAtItsExpiryAndExtendMovesIt() async throws {
        guard let host = SSHTestHost.all()?.last else { return }
        let ssh = try host.executor()
        let runtime = NativeRuntime(host: ssh)
        let deadman = DeadManSwitch(host: ssh)

        // Armed for fifteen seconds from now (room for the arm's own round trips on a machine busy
        // with the whole suite: eight were once not enough): running until then, then stopped and its files removed.
        let first = Self.sleeper("ddeadman00001")
        try await runtime.start(first)
        let expiry = Date().addingTimeInterval(15)
        try await deadman.arm(first, runtime: .native, expiresAt: expiry, action: .stopWorkload)
        #expect(Date() < expiry, "armed before its expiry")
        #expect(try await runtime.status(first).state == .running)
        #expect(try await Self.eventually(45) { try await runtime.status(first).state == .missing }, "stopped at its expiry")
        #expect(try await Self.eventually(5) { try await !ssh.run(ShellCommand("test", "-e", first.stateDirectory)).succeeded }, "its files are gone, the switch with them")

        // Extended before it fires: still running after the first expiry has passed.
        let second = Self.sleeper("ddeadman00002")
        try await runtime.start(second)
        // Fifteen seconds leave the second arm (a few SSH round trips) ample time even on a busy machine.
        let original = Date().addingTimeInterval(15)
        try await deadman.arm(second, runtime: .native, expiresAt: original, action: .stopWorkload)
        let later = Date().addingTimeInterval(3600)
        try await deadman.arm(second, runtime: .native, expiresAt: later, action: .stopWorkload)
        #expect(Date() < original, "moved before the first expiry came")
        #expect(try await deadman.expiry(second).map { abs($0.timeIntervalSince(later)) < 2 } == true)
        try await Task.sleep(for: .seconds(max(original.timeIntervalSinceNow, 0) + 3))
        #expect(try await runtime.status(second).state == .running, "the moved expiry holds")
        // Removing the workload disarms the switch: the watcher ends with its file.
        try await runtime.remove(second)
        #expect(try await deadman.expiry(second) == nil)
        #expect(try await Self.eventually(20) {
            try await !ssh.run(ShellCommand.processGroupAlive(pidFile: "\(second.stateDirectory).deadman.pid")).succeeded
        }, "the watcher ended")
        await ssh.close()
    }

    @Test func theActionStopsTheRightThingAndPowersOffOnlyBoughtMachines() {
        let workload = Self.sleeper("ddeadman00003")
        let own = DeadManSwitch.expiryAction(workload, runtime: .podman, action: .stopWorkload, manager: .supervisor).text
        #expect(own.contains("podman rm --force --ignore") && own.contains("rm -rf -- .blueprint-remote/bp-ddeadman00003-0") && !own.contains("poweroff"))
        let bought = DeadManSwitch.expiryAction(workload, runtime: .native, action: .stopWorkloadAndPowerOff, manager: .systemd(user: false)).text
        #expect(bought.contains("systemctl disable --now bp-ddeadman00003-0.service") && bought.hasSuffix("sudo -n poweroff; fi"))

        let units = DeadManSwitch.units(workload, runtime: .docker, action: .stopWorkloadAndPowerOff, home: "/home/u", user: false)
        #expect(units.service.contains("Type=oneshot") && units.service.contains("ExecStart=/bin/sh -c"))
        #expect(units.service.contains("/home/u/.blueprint-remote/bp-ddeadman00003-0/expires"), "absolute paths: systemd has no working folder")
        #expect(units.service.contains("disable --now bp-ddeadman00003-0-deadman.timer"), "a disarmed timer turns itself off")
        #expect(units.timer.contains("OnUnitActiveSec=1min") && units.timer.contains("OnBootSec=1min") && units.timer.contains("WantedBy=timers.target"))
        let user = DeadManSwitch.units(workload, runtime: .native, action: .stopWorkload, home: "/home/u", user: true)
        #expect(user.service.contains("systemctl --user disable --now bp-ddeadman00003-0.service") && !user.service.contains("poweroff"))
    }
}
