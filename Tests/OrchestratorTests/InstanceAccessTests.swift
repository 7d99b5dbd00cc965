import DeploymentStore
import Foundation
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import Orchestrator

/// Reaching a machine the tool just made, on a real sshd test host.
@Suite struct InstanceAccessTests {
    @Test func aKeyInstalledAfterSSHIsUpIsWaitedForAtFirstContactThenTheHostKeyIsPinned() async throws {
        guard let host = SSHTestHost.all()?.dropFirst(1).first else { return }
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
        var spec = ServiceSpec(name: "bootkey", image: nil, command: ["sleep", "1d"])
        spec.runtime = .native
        let deployment = try await store.createDeployment(NewDeployment(name: "bootkey", spec: spec, expiresAt: nil))
        let record = try await store.recordInstance(InstanceRecord(
            deploymentID: deployment.id, provider: .paperspace, region: "ny2", providerInstanceID: "psbootkey01", address: host.endpoint.host,
            sshPort: host.endpoint.port, sshUser: host.endpoint.user, replica: 0, expiresAt: nil))
        // The tool's key is not on the machine yet: its first-boot script has still to run.
        let tool = SSHKeyPair(comment: "the tool")
        let access = try InstanceAccess(store: store, identity: SSHIdentity(tool), environment: Environment([:]), waitFor: .seconds(60))
        let admin = try host.executor()
        defer { Task { await admin.close() } }
        let reached = Task { try await access.access(for: record) }
        try await Task.sleep(for: .seconds(2))
        try await admin.check(ShellCommand.authorizeKey(tool.authorizedKey, forUser: host.endpoint.user))
        let way = try await reached.value
        let file = ".ssh/authorized_keys"
        try await admin.check(
            ShellCommand("sh", "-c", "grep -vxF -e \"$1\" \"$2\" > \"$2.keep\"; chmod 600 \"$2.keep\" && mv -f \"$2.keep\" \"$2\"", "sh", tool.authorizedKey, file))
        #expect(way.name == "psbootkey01")
        let pinned = try #require(try await store.instances(deploymentID: deployment.id).first?.hostKey)
        #expect(try SSHHostKey(openSSH: pinned) == host.hostKey, "pinned at first contact")
        #expect(InstanceAccess.worthWaiting(ExecutionError(.authenticationFailed, target: "h", message: "refused"), firstContact: true))
        #expect(!InstanceAccess.worthWaiting(ExecutionError(.authenticationFailed, target: "h", message: "refused"), firstContact: false), "a known machine that refuses the key will not change its mind")
        await way.executor.close()
    }
}
