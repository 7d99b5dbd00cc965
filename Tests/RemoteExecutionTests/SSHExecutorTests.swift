import Foundation
import RemoteProvidersCore
import TestSupport
import Testing

@testable import RemoteExecution

/// The in-process SSH client against real OpenSSH sshd hosts in network namespaces.
@Suite struct SSHExecutorTests {
    @Test func runsManyCommandsOnOneVerifiedConnection() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let ssh = try host.executor()
        let result = try await ssh.run(ShellCommand("sh", "-c", "echo out; echo err >&2; exit 3"))
        #expect(result.exitStatus == 3 && result.output == "out\n" && result.errorOutput == "err\n")
        let connection = try await ssh.connect()
        #expect(connection.hostKey == host.hostKey)
        // Twenty at once, each on its own channel of the same connection.
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<20 { group.addTask { try await ssh.check(ShellCommand("echo", "\(index)")).output } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(outputs == Set((0..<20).map { "\($0)\n" }))
        #expect(try await ssh.connect() === connection)
        await ssh.close()
    }

    @Test func aFailingCommandSurfacesItsStatusAndStandardError() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let ssh = try host.executor()
        defer { Task { await ssh.close() } }
        let error = await #expect(throws: ExecutionError.self) { try await ssh.check(ShellCommand("ls", "/no/such/path")) }
        #expect(error?.kind == .commandFailed(exitStatus: 2))
        #expect(error?.message.contains("No such file or directory") == true)
        #expect(error?.message.contains(host.endpoint.description) == true)
    }

    @Test func aWrongHostKeyIsRefusedWithBothFingerprints() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let impostor = try SSHHostKey(openSSH: SSHKeyPair(comment: "impostor").authorizedKey)
        let ssh = try host.executor(hostKeys: HostKeyPolicy(expected: impostor, trustNew: true))
        let error = await #expect(throws: ExecutionError.self) { try await ssh.run(ShellCommand("true")) }
        #expect(error?.kind == .hostKeyMismatch && error?.code == .hostKeyMismatch && error?.isPermanent == true)
        #expect(error?.message.contains(impostor.fingerprint) == true)
        #expect(error?.message.contains(host.hostKey.fingerprint) == true)
    }

    @Test func anUnknownHostKeyIsTrustedOnlyWhenAllowed() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let refused = try host.executor(hostKeys: HostKeyPolicy(expected: nil))
        let error = await #expect(throws: ExecutionError.self) { try await refused.run(ShellCommand("true")) }
        #expect(error?.kind == .hostKeyUnknown)
        #expect(error?.message.contains("--trust-new-host-keys") == true)

        let trusting = try host.executor(hostKeys: HostKeyPolicy(expected: nil, trustNew: true))
        #expect(try await trusting.connect().hostKey == host.hostKey)
        await trusting.close()
    }

    // The limit catches a connect timeout that is not honoured (the kernel's own gives up after
    // about two minutes), without a wall-clock assertion that a loaded machine can trip.
    @Test(.timeLimit(.minutes(1))) func aHostNobodyAnswersFailsWithinTheTimeout() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        // An address on the test bridge's network that no namespace host holds.
        var silent = host
        silent.endpoint.host = "10.200.0.254"
        let error = await #expect(throws: ExecutionError.self) {
            try await silent.executor(timeout: .seconds(1)).run(ShellCommand("true"))
        }
        #expect(error?.kind == .timeout || error?.kind == .unreachable)

        var closed = host
        closed.endpoint.port = 23
        let refused = await #expect(throws: ExecutionError.self) { try await closed.executor().run(ShellCommand("true")) }
        #expect(refused?.kind == .unreachable)
        #expect(refused?.message.contains(closed.endpoint.description) == true)
    }

    @Test func aKeyTheHostDoesNotKnowIsRefused() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let stranger = SSHExecutor(endpoint: host.endpoint, identity: SSHIdentity(SSHKeyPair(comment: "stranger")), hostKeys: HostKeyPolicy(expected: host.hostKey))
        let error = await #expect(throws: ExecutionError.self) { try await stranger.run(ShellCommand("true")) }
        #expect(error?.kind == .authenticationFailed)
    }

    @Test func authorizeKeyLetsANewKeyInOnceOverWhateverRunsIt() async throws {
        // The user authorizes a key for itself, as root does for the login user at a machine's first boot.
        guard let host = SSHTestHost.all()?.last else { return }
        let ssh = try host.executor()
        defer { Task { await ssh.close() } }
        let newcomer = SSHKeyPair(comment: "first boot")
        let stranger = SSHExecutor(endpoint: host.endpoint, identity: SSHIdentity(newcomer), hostKeys: HostKeyPolicy(expected: host.hostKey))
        let before = await #expect(throws: ExecutionError.self) { try await stranger.run(ShellCommand("true")) }
        #expect(before?.kind == .authenticationFailed)
        let file = ".ssh/authorized_keys"
        // Back as it was afterwards, whatever happened: every line but the newcomer's, swapped in whole.
        let restore = ShellCommand("sh", "-c", "grep -vxF -e \"$1\" \"$2\" > \"$2.keep\"; chmod 600 \"$2.keep\" && mv -f \"$2.keep\" \"$2\"", "sh", newcomer.authorizedKey, file)
        do {
            for _ in 0..<2 { try await ssh.check(ShellCommand.authorizeKey(newcomer.authorizedKey, forUser: host.endpoint.user)) }
            #expect(try await stranger.check(ShellCommand("whoami")).output == "\(host.endpoint.user)\n")
            await stranger.close()
            #expect(try await ssh.check(ShellCommand("grep", "-cxF", "-e", newcomer.authorizedKey, file)).output == "1\n", "added once")
            #expect(try await ssh.check(ShellCommand("stat", "-c", "%a", file)).output == "600\n")
        } catch {
            try await ssh.check(restore)
            throw error
        }
        try await ssh.check(restore)
    }

    @Test func uploadsArriveWithTheirModeAndHostileWordsAsData() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let ssh = try host.executor()
        defer { Task { await ssh.close() } }
        let directory = try await ssh.check(ShellCommand("mktemp", "-d", "-p", "/var/tmp")).output.trimmingCharacters(in: .newlines)
        let data = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 13) })
        try await ssh.upload(data, to: "\(directory)/secret.env", mode: 0o600)
        #expect(try await ssh.check(ShellCommand("stat", "-c", "%a", "\(directory)/secret.env")).output == "600\n")
        #expect(try await ssh.check(ShellCommand("cat", "\(directory)/secret.env")).stdout == data)
        for value in hostileValues {
            let value = value.replacingOccurrences(of: "MARKER", with: "\(directory)/marker")
            #expect(try await ssh.check(ShellCommand("printf", "%s", value)).stdout == Data(value.utf8))
        }
        #expect(try await ssh.run(ShellCommand("test", "-e", "\(directory)/marker")).exitStatus == 1)
        try await ssh.check(ShellCommand("rm", "-rf", "--", directory))
    }

    @Test func aRemoteCommandPastItsTimeoutIsStopped() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let ssh = try host.executor()
        defer { Task { await ssh.close() } }
        let error = await #expect(throws: ExecutionError.self) { try await ssh.run(ShellCommand("sleep", "30"), input: nil, timeout: .milliseconds(500)) }
        #expect(error?.kind == .timeout)
        // The connection is still good for the next command.
        #expect(try await ssh.check(ShellCommand("echo", "after")).output == "after\n")
    }

    @Test func aLocalPortForwardsThroughTheConnection() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let ssh = try host.executor()
        defer { Task { await ssh.close() } }
        // The host's own sshd, as the host sees it: its banner comes back through the tunnel.
        let forward = try await ssh.forward(to: "127.0.0.1", port: 22)
        let banner = try await LocalExecutor().check(ShellCommand(
            "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/$0 && head -n 1 <&3", String(forward.localPort)))
        #expect(banner.output.hasPrefix("SSH-2.0-OpenSSH"))
        await forward.close()
    }
}
