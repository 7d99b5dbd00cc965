import Foundation
import RemoteExecution
import TestSupport
import Testing

/// `up`, `status`, `logs`, `down` on AWS (the orchestrator's own moto), as a user runs them, with
/// SSH sent to a real sshd test host through `BLUEPRINT_REMOTE_SSH_ADDRESS_OVERRIDE`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CloudUpCommandTests {
    /// A state folder whose controller key is the test hosts' key, and a service file.
    struct Scene {
        let directory: URL
        let environment: [String: String]

        /// `override`: where every SSH connection goes instead (`nil`: where the provider says).
        /// `provider`: the variables that reach the cloud (default: AWS on the orchestrator's moto).
        init(override: String?, provider: [String: String]? = nil) throws {
            // moto itself, not its fault proxy: the orchestrator's suite queues faults there, and
            // they are its own (the suites run at the same time).
            let moto = ProcessInfo.processInfo.environment["BLUEPRINT_TEST_MOTO_ORCHESTRATOR_URL"]
            guard provider != nil || moto != nil, let key = ProcessInfo.processInfo.environment["BLUEPRINT_TEST_SSH_KEY"]
            else { throw CancellationError() }
            directory = try temporaryDirectory()
            let state = directory.appendingPathComponent("xdg-state")
            let keyFolder = state.appendingPathComponent("blueprint-remote/ssh")
            try FileManager.default.createDirectory(at: keyFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let keyFile = keyFolder.appendingPathComponent("id_ed25519").path
            try FileManager.default.copyItem(atPath: key, toPath: keyFile)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile)
            environment = [
                "BLUEPRINT_REMOTE_STATE": directory.appendingPathComponent("state.sqlite").path, "XDG_STATE_HOME": state.path,
            ].merging(override.map { ["BLUEPRINT_REMOTE_SSH_ADDRESS_OVERRIDE": $0] } ?? [:]) { $1 }.merging(provider ?? [
                "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "cli-test", "BLUEPRINT_REMOTE_ENDPOINT_AWS": moto ?? "",
            ]) { $1 }
        }

        func service(_ text: String) throws -> String {
            let path = directory.appendingPathComponent("service-\(UUID().uuidString.prefix(8)).yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func run(_ arguments: [String]) throws -> CLI.Result { try CLI.run(arguments, environment: environment) }
    }

    @Test func upOnAWSBuysTheCheapestFitDeploysItAndDownTerminatesIt() throws {
        guard requiredService("BLUEPRINT_TEST_MOTO_ORCHESTRATOR_URL", "the orchestrator's moto") != nil, let host = SSHTestHost.all()?.first
        else { return }
        let scene = try Scene(override: "\(host.endpoint.user)@\(host.endpoint.host):\(host.endpoint.port)")
        let port = 18_321
        let file = try scene.service("""
            name: cloudweb
            command: [sh, -c, "trap 'exit 0' TERM; mkdir -p www-\(port) && echo hello > www-\(port)/index.html && busybox httpd -f -p \(port) -h www-\(port) & wait"]
            runtime: native
            ports: ["\(port)"]
            health: {http: /, port: \(port), interval: 1s, timeout: 2s, start_period: 10s}
            resources: {cpus: 1, memory_gb: 0.5}
            providers: [aws]
            regions: [us-east-1]
            ttl: 1h
            """)

        // A paid plan, no terminal, no --yes: refused before anything is bought.
        let refused = try scene.run(["up", file, "--json"])
        #expect(refused.status == 2 && refused.stdout.contains("--yes"))
        #expect((try scene.run(["status", "--all", "--json"]).json()["deployments"] as? [Any])?.isEmpty == true, "nothing was recorded")

        let up = try scene.run(["up", file, "--yes"])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stderr.contains("plan: 1 replica, each on aws us-east-1") && up.stderr.contains("attempt 1: aws us-east-1"))
        #expect(up.stdout.contains("http://\(host.endpoint.host):\(port)"))
        let status = try #require(try scene.run(["status", "cloudweb", "--json"]).json()["deployment"] as? [String: Any])
        #expect(status["state"] as? String == "healthy" && (status["price_per_hour"] as? Double ?? 0) > 0)
        #expect((status["cost_so_far"] as? Double).map { $0 >= 0 } == true, "the cost accrued since launch")
        let listed = try #require(try scene.run(["status", "--json"]).json()["deployments"] as? [[String: Any]])
        #expect(listed.first?["cost_so_far"] is Double)
        let instances = try #require(status["instances"] as? [[String: Any]])
        #expect(instances.count == 1 && instances[0]["provider"] as? String == "aws" && (instances[0]["host_key"] as? String)?.hasPrefix("ssh-ed25519 ") == true)
        let events = try #require(try scene.run(["events", "cloudweb", "--json"]).json()["events"] as? [[String: Any]])
        #expect(events.contains { $0["kind"] as? String == "attempt" })

        let down = try scene.run(["down", "cloudweb", "--json"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect((try down.json()["deployment"] as? [String: Any])?["state"] as? String == "terminated")
        let after = try #require(try scene.run(["status", "cloudweb", "--json"]).json()["deployment"] as? [String: Any])
        #expect((after["instances"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "terminated" } == true)
    }

    @Test func anInterruptedUpTerminatesWhatItMadeAndSaysSo() throws {
        guard requiredService("BLUEPRINT_TEST_MOTO_ORCHESTRATOR_URL", "the orchestrator's moto") != nil else { return }
        // SSH that connects and never answers: up waits for it, and is interrupted there.
        let silent = try SilentPort()
        let scene = try Scene(override: "nobody@127.0.0.1:\(silent.port)")
        let file = try scene.service("""
            name: interrupted
            command: [sleep, "600"]
            runtime: native
            resources: {cpus: 1, memory_gb: 0.5}
            providers: [aws]
            regions: [us-east-1]
            ttl: 1h
            """)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["up", file, "--yes"]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": scene.directory.path].merging(scene.environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var seen = ""
        while !seen.contains("instance running") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        #expect(seen.contains("instance running"), "\(seen)")
        process.interrupt()
        seen += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(seen)")
        #expect(seen.contains("interrupted: terminating what this up made") && seen.contains("(verified)"))
        let status = try #require(try scene.run(["status", "interrupted", "--json"]).json()["deployment"] as? [String: Any])
        #expect(status["state"] as? String == "failed")
        let instances = try #require(status["instances"] as? [[String: Any]])
        #expect(instances.count == 1 && instances.allSatisfy { $0["state"] as? String == "terminated" })
        let id = try #require(instances.first?["provider_instance_id"] as? String)
        let described = try scene.run(["instance", "describe", id, "--json"])
        #expect((try described.json()["instance"] as? [String: Any])?["status"] as? String == "terminated", "\(described.stdout)\(described.stderr)")
    }

    @Test func aPlanOverTheBudgetIsRefusedBeforeAnythingIsBought() throws {
        guard requiredService("BLUEPRINT_TEST_MOTO_ORCHESTRATOR_URL", "the orchestrator's moto") != nil else { return }
        let scene = try Scene(override: "nobody@127.0.0.1:1")
        // The cheapest fit (t3.nano, $0.0026/h) costs $0.052 over 20h for one replica.
        let file = try scene.service("""
            name: thrifty
            command: [sleep, "600"]
            runtime: native
            resources: {cpus: 1, memory_gb: 0.5}
            providers: [aws]
            regions: [us-east-1]
            ttl: 20h
            max_total_cost: 0.05
            """)
        let up = try scene.run(["up", file, "--yes", "--json"])
        #expect(up.status == 1)
        let error = try #require(try up.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "budget" && (error["message"] as? String)?.contains("max_total_cost is $0.05") == true)
        #expect((try scene.run(["status", "--all", "--json"]).json()["deployments"] as? [Any])?.isEmpty == true, "nothing was recorded")
        let plan = try scene.run(["plan", file, "--json"])
        let budgetPlan = try plan.json()["plan"] as? [String: Any]
        #expect(plan.status == 1 && budgetPlan?["over_budget"] as? Bool == true)
        // With a budget that fits, the plan's price stays under the cap it implies.
        let roomy = try scene.service(try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "max_total_cost: 0.05", with: "max_total_cost: 1"))
        let fits = try #require(try scene.run(["plan", roomy, "--json"]).json()["plan"] as? [String: Any])
        #expect((fits["expected_cost"] as? Double ?? 2) <= 1 && fits["over_budget"] as? Bool == false)
    }
}
