import Foundation
import RemoteExecution
import TestSupport
import Testing

/// `up` killed with SIGKILL at every step boundary in turn (`BLUEPRINT_REMOTE_CRASH_AT`), then
/// `gc --stale-after 0s`: afterwards nothing runs that is not in a healthy stored deployment, and
/// every stored deployment is accounted for. On AWS (the orchestrator's moto, SSH sent to a real
/// test host) and on the `ssh` pool.
@Suite(.serialized, .timeLimit(.minutes(10))) struct CrashRecoveryTests {
    static let points = ["after-intent", "after-create", "after-running", "after-deploy"]

    /// Every deployment the store has, with its instances: `(id, state, [(provider id, state)])`.
    static func stored(_ run: ([String]) throws -> CLI.Result) throws -> [(id: String, state: String, instances: [(id: String, state: String)])] {
        let list = try #require(try run(["status", "--all", "--json"]).json()["deployments"] as? [[String: Any]])
        return try list.map { row in
            let id = try #require(row["id"] as? String)
            let detail = try #require(try run(["status", id, "--json"]).json()["deployment"] as? [String: Any])
            let instances = (detail["instances"] as? [[String: Any]] ?? []).map {
                (id: $0["provider_instance_id"] as? String ?? "?", state: $0["state"] as? String ?? "?")
            }
            return (id, row["state"] as? String ?? "?", instances)
        }
    }

    /// Accounted for: healthy with live instances, or ended (failed, terminated) holding nothing.
    static func expectAccountedFor(_ deployments: [(id: String, state: String, instances: [(id: String, state: String)])], after point: String) {
        for deployment in deployments {
            switch deployment.state {
            case "healthy": #expect(deployment.instances.contains { $0.state == "active" }, "\(point): \(deployment)")
            case "failed", "terminated":
                #expect(deployment.instances.allSatisfy { $0.state == "terminated" || $0.state == "lost" }, "\(point): \(deployment) still holds instances")
            default: Issue.record("\(point): deployment \(deployment.id) left \(deployment.state)")
            }
        }
    }

    @Test func aKilledUpOnAWSIsFinishedByGC() throws {
        guard requiredService("BLUEPRINT_TEST_MOTO_ORCHESTRATOR_URL", "the orchestrator's moto") != nil, let host = SSHTestHost.all()?.first
        else { return }
        let scene = try CloudUpCommandTests.Scene(override: "\(host.endpoint.user)@\(host.endpoint.host):\(host.endpoint.port)")
        defer { try? FileManager.default.removeItem(at: scene.directory) }
        let marker = "crash-\(UUID().uuidString.prefix(8).lowercased())"
        let file = try scene.service("""
            name: crashing
            command: [sh, -c, "trap 'exit 0' TERM; while :; do sleep 1; done # \(marker)"]
            runtime: native
            resources: {cpus: 1, memory_gb: 0.5}
            providers: [aws]
            regions: [us-east-1]
            ttl: 1h
            """)
        for point in Self.points {
            let up = try CLI.run(["up", file, "--yes"], environment: scene.environment.merging(["BLUEPRINT_REMOTE_CRASH_AT": point]) { $1 })
            #expect(up.signal == 9, "\(point): up should have been killed: \(up.status) \(up.stderr)")
            let gc = try scene.run(["gc", "--stale-after", "0s", "--json"])
            #expect(gc.status == 0, "\(point): \(gc.stdout) \(gc.stderr)")

            let deployments = try Self.stored(scene.run)
            #expect(deployments.count == Self.points.firstIndex(of: point).map { $0 + 1 }, "\(point): one deployment per up")
            Self.expectAccountedFor(deployments, after: point)
            #expect(!deployments.contains { $0.state == "healthy" }, "\(point): an interrupted up is never healthy")
            // The provider's view: nothing of this store's owner runs.
            let listed = try #require(try scene.run(["instance", "list", "--provider", "aws", "--region", "us-east-1", "--json"]).json()["instances"] as? [[String: Any]])
            let running = listed.filter { !["terminated", "terminating"].contains($0["status"] as? String ?? "") }
            #expect(running.isEmpty, "\(point): left running: \(running)")
            if point != "after-intent" {
                #expect(listed.count == Self.points.firstIndex(of: point), "\(point): each up that got as far as create made one instance: \(listed)")
            }
        }
        // The test host is not a real VM that terminating would wipe: end the workload the last up started.
        _ = try? CrashRecoveryTests.onHost(host, "pkill -f '[\(marker.prefix(1))]\(marker.dropFirst())' || true")
    }

    @Test func aKilledUpOnTheSSHPoolIsFinishedByGC() throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let scene = try UpCommandTests.Scene(hosts: [host])
        defer { try? FileManager.default.removeItem(at: scene.directory) }
        let marker = "poolcrash-\(UUID().uuidString.prefix(8).lowercased())"
        let service = try scene.service([
            "name": "poolcrash", "runtime": "native", "command": ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done # \(marker)"],
            "resources": ["cpus": 0.5, "memory_gb": 0.25],
        ])
        for point in Self.points {
            let up = try CLI.run(
                ["up", service, "--provider", "ssh", "--hosts", scene.hostsFile, "--json"],
                environment: scene.environment.merging(["BLUEPRINT_REMOTE_CRASH_AT": point]) { $1 })
            #expect(up.signal == 9, "\(point): up should have been killed: \(up.status) \(up.stderr)")
            if point == "after-deploy" {
                #expect(try Self.onHost(host, Self.isRunning(marker)) == "running", "the workload was up when it died")
            }
            let gc = try scene.run(["gc", "--stale-after", "0s", "--hosts", scene.hostsFile, "--json"])
            #expect(gc.status == 0, "\(point): \(gc.stdout) \(gc.stderr)")
            Self.expectAccountedFor(try Self.stored(scene.run), after: point)
            #expect(try Self.onHost(host, Self.isRunning(marker)) == "none", "\(point): the workload was stopped")
        }
        // The host was released every time: a clean up gets it, and down gives it back.
        let up = try scene.up(service)
        #expect(up.status == 0, "\(up.stdout) \(up.stderr)")
        #expect(try scene.run(["down", "poolcrash", "--hosts", scene.hostsFile]).status == 0)
    }

    /// Prints `running` or `none`; the bracket keeps pgrep from finding the shell that runs it.
    static func isRunning(_ marker: String) -> String {
        "pgrep -f '[\(marker.prefix(1))]\(marker.dropFirst())' >/dev/null && echo running || echo none"
    }

    /// Runs `command` on the test host, returns its trimmed output.
    static func onHost(_ host: SSHTestHost, _ command: String) throws -> String {
        let result = try CLI.runLocal(["ssh", "-i", ProcessInfo.processInfo.environment["BLUEPRINT_TEST_SSH_KEY"] ?? "", "-p", "\(host.endpoint.port)",
            "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=\(try knownHosts(host))", "-o", "BatchMode=yes",
            "\(host.endpoint.user)@\(host.endpoint.host)", command])
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func knownHosts(_ host: SSHTestHost) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("known-\(host.endpoint.host)-\(host.endpoint.port)").path
        let line = "\(host.endpoint.port == 22 ? host.endpoint.host : "[\(host.endpoint.host)]:\(host.endpoint.port)") \(host.hostKey.openSSH)\n"
        try line.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension CLI {
    /// A local program's standard output (for checks the tests make by other means than the tool).
    static func runLocal(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
