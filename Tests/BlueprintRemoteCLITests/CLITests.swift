import Foundation
import Testing

/// Runs the built `blueprint-remote` binary, as a user would.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// The signal that ended it, if one did (then `status` is that signal's number).
        var signal: Int32? = nil

        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(object as? [String: Any])
        }
    }

    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["BLUEPRINT_REMOTE_BIN"] { return URL(fileURLWithPath: path) }
        // The test bundle sits beside the products in .build/<triple>/debug.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("blueprint-remote")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/blueprint-remote")
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs with a clean environment (PATH and HOME only) plus `environment`, `input` (if any) on
    /// its standard input, else nothing.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Process()
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cli-home-\(UUID().uuidString)").path
        // Never a cloud's own credentials found on the machine that runs the tests (a runner on GCE or Azure).
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": home, "BLUEPRINT_REMOTE_NO_AMBIENT_CLOUD": "1"].merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let input {
            try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self),
            signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil)
    }
}

@Suite struct CLITests {
    @Test func helpTeachesAndExitsZero() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        for word in ["providers", "validate", "--json", "Exit codes"] { #expect(result.stdout.contains(word), "\(word)") }
        #expect(try CLI.run(["providers", "--help"]).stdout.contains("--check"))
    }

    @Test func versionInTextAndJSON() throws {
        #expect(try CLI.run(["version"]).stdout.hasPrefix("blueprint-remote "))
        let json = try CLI.run(["version", "--json"]).json()
        #expect(Array(json.keys) == ["version"])
    }

    @Test func usageErrorsExitTwo() throws {
        let text = try CLI.run(["--no-such-flag"])
        #expect(text.status == 2)
        #expect(text.stdout.isEmpty)
        #expect(text.stderr.contains("--no-such-flag"))
        let json = try CLI.run(["providers", "--no-such-flag", "--json"])
        #expect(json.status == 2)
        let error = try #require(try json.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "usage")
        #expect(try CLI.run(["providers", "nimbus"]).status == 2)
        #expect(try CLI.run(["providers", "--timeout", "0"]).status == 2)
    }

    @Test func providersListsAllWithoutValues() throws {
        let secret = "dop_v1_" + String(repeating: "9", count: 64)
        let result = try CLI.run(["providers", "--json"], environment: ["DO_API_TOKEN": secret, "HCLOUD_TOKEN": "hetzner-token-value"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains(secret) && !result.stdout.contains("hetzner-token-value"))
        #expect(!result.stderr.contains(secret))
        let json = try result.json()
        #expect(Array(json.keys) == ["providers"])
        let providers = try #require(json["providers"] as? [[String: Any]])
        #expect(providers.count == 22)
        for provider in providers { #expect(provider["id"] as? String == provider["provider"] as? String) }
        let digitalocean = try #require(providers.first { $0["id"] as? String == "digitalocean" })
        let credentials = try #require(digitalocean["credentials"] as? [String: Any])
        #expect(credentials["state"] as? String == "configured")
        let variable = try #require((credentials["variables"] as? [[String: Any]])?.first)
        #expect(variable["name"] as? String == "DIGITALOCEAN_TOKEN")
        #expect(variable["set"] as? Bool == true)
        #expect(variable["set_as"] as? String == "DO_API_TOKEN")
        let vultr = try #require(providers.first { $0["id"] as? String == "vultr" })
        #expect((vultr["credentials"] as? [String: Any])?["state"] as? String == "missing")

        let text = try CLI.run(["providers"], environment: ["DO_API_TOKEN": secret])
        #expect(text.stdout.contains("digitalocean") && text.stdout.contains("configured"))
        #expect(!text.stdout.contains(secret))
    }

    @Test func checkSaysWhatItCouldNotCheck() throws {
        let result = try CLI.run(["providers", "primeintellect", "runpod", "--check", "--json"], environment: ["PRIME_API_KEY": "x-token-123"])
        #expect(result.status == 0)
        let providers = try #require(try result.json()["providers"] as? [[String: Any]])
        let checks = providers.map { ($0["check"] as? [String: Any])?["status"] as? String }
        #expect(checks == ["unsupported", "skipped"])
    }

    @Test func everyExampleValidates() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("examples").path)
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".json")) && $0 != "config.yaml" }
        #expect(examples.count >= 4)
        for example in examples {
            let result = try CLI.run(["validate", "examples/\(example)", "--json"])
            #expect(result.status == 0, "\(example): \(result.stdout) \(result.stderr)")
            let service = try #require(try result.json()["service"] as? [String: Any], "\(example)")
            #expect(service["name"] is String)
        }
        let config = try CLI.run(["validate", "examples/hello.yaml"], environment: ["BLUEPRINT_REMOTE_CONFIG": "examples/config.yaml"])
        #expect(config.status == 0, "\(config.stderr)")
    }

    @Test func validationFailuresNameTheField() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try "name: hello\nimage: \"busybox; rm -rf /\"\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let json = try CLI.run(["validate", file.path, "--json"])
        #expect(json.status == 1)
        let error = try #require(try json.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "validation")
        #expect(error["field"] as? String == "image")
        #expect((error["message"] as? String)?.contains("OCI image reference") == true)
        let text = try CLI.run(["validate", file.path])
        #expect(text.status == 1)
        #expect(text.stderr.contains("image:"))
        #expect(try CLI.run(["validate", "/nonexistent.yaml"]).status == 1)
    }

    @Test func flagsOfUpAndGCThatBreakTheirRuleNameTheFlag() throws {
        let state = ["BLUEPRINT_REMOTE_STATE": FileManager.default.temporaryDirectory.appendingPathComponent("flags-\(UUID().uuidString).sqlite").path]
        for (arguments, field) in [
            (["up", "examples/hello.yaml", "--ssh-wait", "5s", "--json"], "ssh-wait"), (["up", "examples/hello.yaml", "--ssh-wait", "soon", "--json"], "ssh-wait"),
            (["gc", "--stale-after", "a while", "--json"], "stale-after"), (["extend", "hello", "--ttl", "0s", "--json"], "ttl"),
        ] {
            let result = try CLI.run(arguments, environment: state)
            let error = try result.json()["error"] as? [String: Any]
            #expect(result.status == 1 && error?["field"] as? String == field, "\(arguments): \(result.stdout)")
        }
    }

    @Test func aBrokenConfigFileIsReported() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).yaml")
        try "max_price_per_hour: -1\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CLI.run(["validate", "examples/hello.yaml", "--json"], environment: ["BLUEPRINT_REMOTE_CONFIG": file.path])
        #expect(result.status == 1)
        let error = try #require(try result.json()["error"] as? [String: Any])
        #expect(error["field"] as? String == "max_price_per_hour")
    }
}
