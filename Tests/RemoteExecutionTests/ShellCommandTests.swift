import Foundation
import RemoteProvidersCore
import TestSupport
import Testing

@testable import RemoteExecution

@Suite struct ShellCommandTests {
    @Test func plainWordsStayBareAndTheRestIsSingleQuoted() {
        #expect(ShellCommand.quote("docker") == "docker")
        #expect(ShellCommand.quote("localhost/app:1.2@sha256") == "localhost/app:1.2@sha256")
        #expect(ShellCommand.quote("") == "''")
        #expect(ShellCommand.quote("a b") == "'a b'")
        #expect(ShellCommand.quote("it's") == #"'it'\''s'"#)
        #expect(ShellCommand("echo", "$(x)").text == "echo '$(x)'")
    }

    /// The real `sh` is the oracle: every hostile word comes back byte for byte, and nothing runs.
    @Test(arguments: hostileValues) func aHostileWordArrivesAsData(_ value: String) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let value = value.replacingOccurrences(of: "MARKER", with: directory.appendingPathComponent("marker").path)
        let shell = LocalExecutor()
        let result = try await shell.check(ShellCommand.all([
            ShellCommand("cd", directory.path), ShellCommand("printf", "%s", value),
        ]))
        #expect(result.stdout == Data(value.utf8))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("marker").path))
    }

    @Test func anEnvironmentScriptCarriesValuesByteExact() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("marker").path
        let values = hostileValues.map { $0.replacingOccurrences(of: "MARKER", with: marker) }
        let variables = values.enumerated().map { (name: "V\($0.offset)", value: $0.element) }
        let script = try ShellCommand.environmentScript(variables)
        let path = directory.appendingPathComponent("env").path
        let shell = LocalExecutor()
        try await shell.upload(Data(script.utf8), to: path, mode: 0o600)
        for variable in variables {
            let printed = try await shell.check(ShellCommand.sourcing(path, then: ["printenv", variable.name])).stdout
            // printenv ends the value with a newline of its own.
            #expect(printed == Data((variable.value + "\n").utf8), "\(variable.name)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(throws: ValidationError.self) { try ShellCommand.environmentScript([(name: "A;B", value: "x")]) }
    }

    @Test func compositionKeepsEachPartWhole() async throws {
        let shell = LocalExecutor()
        #expect(try await shell.run(ShellCommand("false").then(ShellCommand("echo", "no"))).output == "")
        #expect(try await shell.run(ShellCommand("false").otherwise(ShellCommand("echo", "yes"))).output == "yes\n")
        #expect(try await shell.run(ShellCommand("false").ignoringFailure).succeeded)
        #expect(try await shell.run(ShellCommand.first([ShellCommand("false"), ShellCommand("echo", "second")])).output == "second\n")
        #expect(try await shell.run(ShellCommand.when(ShellCommand.exists("sh"), then: ShellCommand("echo", "has sh"))).output == "has sh\n")
        #expect(try await shell.run(ShellCommand.exists("no-such-program-here")).exitStatus != 0)
        let piped = ShellCommand("printf", "a\\nb\\n").piped(into: ShellCommand("wc", "-l"))
        #expect(try await shell.run(piped).output.trimmingCharacters(in: .whitespaces) == "2\n")
    }
}
