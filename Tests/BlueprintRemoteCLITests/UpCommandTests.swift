import Foundation
import RemoteExecution
import TestSupport
import Testing

/// `up`, `logs`, `ssh`, `down` as a user runs them, against the sshd test hosts with rootless
/// Podman and Docker. The hosts are shared, so these run one at a time.
@Suite(.serialized) struct UpCommandTests {
    let image = ProcessInfo.processInfo.environment["BLUEPRINT_TEST_IMAGE"] ?? "localhost/blueprint-test/busybox:1"

    /// A state store, hosts file and service file of the test's own.
    struct Scene {
        let directory: URL
        var environment: [String: String] { ["BLUEPRINT_REMOTE_STATE": directory.appendingPathComponent("state.sqlite").path] }
        var hostsFile: String { directory.appendingPathComponent("hosts.yaml").path }

        init(hosts: [SSHTestHost], hostKeys: [SSHHostKey?]? = nil, serviceAddress: String? = nil) throws {
            directory = try temporaryDirectory()
            let key = ProcessInfo.processInfo.environment["BLUEPRINT_TEST_SSH_KEY"] ?? ""
            var text = "hosts:\n"
            for (index, host) in hosts.enumerated() {
                text += "  - name: h\(index + 1)\n    address: \(host.endpoint.host)\n    port: \(host.endpoint.port)\n"
                text += "    user: \(host.endpoint.user)\n    identity_file: \(key)\n"
                if let hostKey = hostKeys.map({ $0[index] }) ?? host.hostKey { text += "    host_key: \"\(hostKey.openSSH)\"\n" }
                if let serviceAddress { text += "    service_address: \(serviceAddress)\n" }
            }
            try text.write(toFile: hostsFile, atomically: true, encoding: .utf8)
        }

        func service(_ fields: [String: Any]) throws -> String {
            let path = directory.appendingPathComponent("service-\(UUID().uuidString.prefix(8)).json").path
            try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: path))
            return path
        }

        func run(_ arguments: [String]) throws -> CLI.Result {
            try CLI.run(arguments, environment: environment)
        }

        func up(_ service: String, _ extra: [String] = []) throws -> CLI.Result {
            try run(["up", service, "--provider", "ssh", "--hosts", hostsFile, "--json"] + extra)
        }
    }

    func webService(_ name: String, port: Int, runtime: String, replicas: Int = 1, env: [String: String] = [:], command: [String]? = nil) -> [String: Any] {
        [
            "name": name, "image": image, "runtime": runtime, "replicas": replicas, "ports": ["\(port):8080"], "env": env,
            "command": command ?? ["sh", "-c", "echo \"greeting: $GREETING\"; trap 'exit 0' TERM; httpd -f -v -p 8080 -h /www & wait"],
            "health": ["http": "/", "port": 8080, "interval": "1s", "timeout": "2s", "start_period": "20s", "retries": 2],
            "resources": ["cpus": 0.5, "memory_gb": 0.25],
        ]
    }

    /// The body at `url` (curl, no shell in between); throws unless it answers 2xx.
    static func get(_ url: String) async throws -> String {
        try await LocalExecutor().check(ShellCommand("curl", "-fsS", "--max-time", "5", url)).output
    }

    @Test func podmanReplicasComeUpWithHostileEnvAndGoDown() async throws {
        guard requiredService("BLUEPRINT_TEST_PODMAN", "Podman") != nil, let all = SSHTestHost.all(), all.count >= 3 else { return }
        let scene = try Scene(hosts: Array(all[1...2]))
        defer { try? FileManager.default.removeItem(at: scene.directory) }
        let marker = "/var/tmp/blueprint-up-marker-\(UUID().uuidString.prefix(8))"
        var env = Dictionary(uniqueKeysWithValues: hostileValues.enumerated().map { ("V\($0.offset)", $0.element.replacingOccurrences(of: "MARKER", with: marker)) })
        env["GREETING"] = "hi from the fleet"
        let service = try scene.service(webService("fleet", port: 18_201, runtime: "podman", replicas: 2, env: env))

        let up = try scene.up(service)
        #expect(up.status == 0, "\(up.stdout) \(up.stderr)")
        let deployment = try #require(try up.json()["deployment"] as? [String: Any])
        #expect(deployment["state"] as? String == "healthy")
        let replicas = try #require(deployment["replicas"] as? [[String: Any]])
        #expect(Set(replicas.compactMap { $0["host"] as? String }) == ["h1", "h2"])
        for replica in replicas {
            #expect(replica["runtime"] as? String == "podman")
            let url = try #require(replica["url"] as? String)
            #expect(try await Self.get(url).contains("blueprint test"))
        }
        let id = try #require(deployment["id"] as? String)

        let logs = try scene.run(["logs", id, "--replica", "1", "--hosts", scene.hostsFile])
        #expect(logs.status == 0 && logs.stdout.contains("greeting: hi from the fleet"), "\(logs.stdout) \(logs.stderr)")
        let ssh = try scene.run(["ssh", id, "--hosts", scene.hostsFile, "--", "podman", "ps", "--filter", "label=blueprint-remote.deployment=\(id)", "--format", "{{.Names}}"])
        #expect(ssh.status == 0 && ssh.stdout.hasPrefix("bp-\(id)-"), "\(ssh.stdout) \(ssh.stderr)")
        #expect(try scene.run(["ssh", id, "--hosts", scene.hostsFile, "--", "sh", "-c", "exit 7"]).status == 7)

        // The fleet holds both hosts: another deployment finds none free.
        let crowded = try scene.up(try scene.service(webService("crowd", port: 18_202, runtime: "podman")))
        #expect(crowded.status == 1)
        #expect(crowded.stdout.contains("no_capacity"), "\(crowded.stdout)")

        let down = try scene.run(["down", id, "--hosts", scene.hostsFile, "--json"])
        #expect(down.status == 0, "\(down.stdout) \(down.stderr)")
        #expect((try down.json()["deployment"] as? [String: Any])?["state"] as? String == "terminated")
        for replica in replicas {
            let url = try #require(replica["url"] as? String)
            #expect((try? await Self.get(url)) == nil)
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        // Released: the hosts take the next deployment.
        let next = try scene.up(try scene.service(webService("next", port: 18_203, runtime: "podman")))
        #expect(next.status == 0, "\(next.stdout) \(next.stderr)")
        #expect(try scene.run(["down", "next", "--hosts", scene.hostsFile]).status == 0)
    }

    @Test func dockerPublishesWhereTheHostsFileSays() async throws {
        guard let ports = requiredService("BLUEPRINT_TEST_DOCKER_PORTS_ADDRESS", "Docker"), let host = SSHTestHost.all()?.first else { return }
        let scene = try Scene(hosts: [host], serviceAddress: ports)
        defer { try? FileManager.default.removeItem(at: scene.directory) }
        let up = try scene.up(try scene.service(webService("docked", port: 18_211, runtime: "docker")))
        #expect(up.status == 0, "\(up.stdout) \(up.stderr)")
        let replica = try #require(((try up.json()["deployment"] as? [String: Any])?["replicas"] as? [[String: Any]])?.first)
        #expect(replica["url"] as? String == "http://\(ports):18211")
        #expect(try await Self.get("http://\(ports):18211/").contains("blueprint test"))
        #expect(try scene.run(["down", "docked", "--hosts", scene.hostsFile]).status == 0)
    }

    @Test func aServiceThatDiesFailsTheUpAndLeavesNothingBehind() async throws {
        guard requiredService("BLUEPRINT_TEST_PODMAN", "Podman") != nil, let host = SSHTestHost.all()?.last else { return }
        let scene = try Scene(hosts: [host])
        defer { try? FileManager.default.removeItem(at: scene.directory) }
        let dying = try scene.service(webService("dying", port: 18_221, runtime: "podman", command: ["sh", "-c", "echo going; exit 3"]))
        let up = try scene.up(dying)
        #expect(up.status == 1)
        let deployment = try #require(try up.json()["deployment"] as? [String: Any])
        #expect(deployment["state"] as? String == "failed")
        let failure = try #require((deployment["failures"] as? [[String: Any]])?.first)
        #expect((failure["message"] as? String)?.contains("exited") == true, "\(failure)")
        let status = try scene.run(["status", "dying", "--json"])
        let instances = try #require((try status.json()["deployment"] as? [String: Any])?["instances"] as? [[String: Any]])
        #expect(instances.map { $0["state"] as? String } == ["terminated"])
        // The container is gone from the host, and the host is free again.
        let ssh = try host.executor()
        let left = try await ssh.check(ShellCommand("podman", "ps", "-a", "--format", "{{.Names}}")).output
        await ssh.close()
        #expect(!left.contains("bp-\(deployment["id"] as? String ?? "?")"))
        let again = try scene.up(try scene.service(webService("dying", port: 18_222, runtime: "podman")))
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
        #expect(try scene.run(["down", "dying", "--hosts", scene.hostsFile]).status == 0)
    }

    @Test func aWrongHostKeyIsRefusedAndAnUnknownOneNeedsTrust() async throws {
        guard let host = SSHTestHost.all()?.first else { return }
        let impostor = try SSHHostKey(openSSH: SSHKeyPair(comment: "impostor").authorizedKey)
        let wrong = try Scene(hosts: [host], hostKeys: [impostor])
        defer { try? FileManager.default.removeItem(at: wrong.directory) }
        let service = try wrong.service(["name": "native-web", "runtime": "native", "command": ["sleep", "300"]])
        let refused = try wrong.up(service)
        #expect(refused.status == 1)
        let failure = try #require(((try refused.json()["deployment"] as? [String: Any])?["failures"] as? [[String: Any]])?.first)
        #expect(failure["code"] as? String == "host_key_mismatch")
        #expect((failure["message"] as? String)?.contains(impostor.fingerprint) == true)

        // No key given: refused unless trusted, then pinned and kept.
        let unknown = try Scene(hosts: [host], hostKeys: [nil])
        defer { try? FileManager.default.removeItem(at: unknown.directory) }
        let untrusted = try unknown.up(service)
        #expect(untrusted.status == 1 && untrusted.stdout.contains("--trust-new-host-keys"), "\(untrusted.stdout)")
        let trusted = try unknown.up(service, ["--trust-new-host-keys"])
        #expect(trusted.status == 0, "\(trusted.stdout) \(trusted.stderr)")
        let events = try unknown.run(["events", "native-web"]).stdout
        #expect(events.contains("pinned: \(host.hostKey.fingerprint)"), "\(events)")
        // Pinned: later commands need no trust flag. Without a command, a shell reads standard input.
        #expect(try unknown.run(["ssh", "native-web", "--hosts", unknown.hostsFile, "--", "true"]).status == 0)
        let shell = try CLI.run(
            ["ssh", "native-web", "--hosts", unknown.hostsFile], environment: unknown.environment, input: "echo \"shell as $(id -un)\"\nexit 3\n")
        #expect(shell.status == 3 && shell.stdout.contains("shell as \(host.endpoint.user)"), "\(shell.stdout) \(shell.stderr)")
        #expect(try unknown.run(["down", "native-web", "--hosts", unknown.hostsFile]).status == 0)
    }
}
