import Foundation
import RemoteProvidersCore
import TestSupport
import Testing

@testable import RemoteExecution

@Suite struct LocalExecutorTests {
    let shell = LocalExecutor()

    @Test func exitStatusAndTheTwoStreamsStayApart() async throws {
        let result = try await shell.run(ShellCommand("sh", "-c", "echo out; echo err >&2; exit 3"))
        #expect(result.exitStatus == 3 && result.output == "out\n" && result.errorOutput == "err\n")
        let error = await #expect(throws: ExecutionError.self) { try await shell.check(ShellCommand("sh", "-c", "echo broken >&2; exit 7")) }
        #expect(error?.kind == .commandFailed(exitStatus: 7))
        #expect(error?.message.contains("exited with status 7: broken") == true)
    }

    @Test func anUploadArrivesWithTheModeAsked() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("secret.env").path
        let data = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try await shell.upload(data, to: path, mode: 0o600)
        #expect(FileManager.default.contents(atPath: path) == data)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try await shell.upload(Data("x".utf8), to: path, mode: 0o644)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o644)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    // A command left running would hold the test for ten minutes, past its limit.
    @Test(.timeLimit(.minutes(1))) func aCommandPastItsTimeoutIsStopped() async throws {
        let error = await #expect(throws: ExecutionError.self) { try await shell.run(ShellCommand("sleep", "600"), input: nil, timeout: .milliseconds(300)) }
        #expect(error?.kind == .timeout)
    }

    @Test func streamingHandsOutputOnAsItComes() async throws {
        let pieces = OutputBuffers()
        let result = try await shell.stream(ShellCommand("sh", "-c", "echo one; echo two >&2; echo three")) { pieces.append($0) }
        #expect(result.succeeded)
        #expect(String(decoding: pieces.contents.0, as: UTF8.self) == "one\nthree\n")
        #expect(String(decoding: pieces.contents.1, as: UTF8.self) == "two\n")
    }
}
