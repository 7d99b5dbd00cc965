import Foundation
import TestSupport
import Testing

/// `extend` moves the expiry in the store and in the dead-man switch on the host.
@Suite(.timeLimit(.minutes(5))) struct ExtendCommandTests {
    @Test func extendMovesTheExpiryInTheStoreAndOnTheHost() throws {
        guard let host = SSHTestHost.all()?.dropFirst().first else { return }
        let scene = try UpCommandTests.Scene(hosts: [host])
        defer { try? FileManager.default.removeItem(at: scene.directory) }
        let service = try scene.service([
            "name": "extendable", "runtime": "native", "command": ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"],
            "resources": ["cpus": 0.5, "memory_gb": 0.25],
        ])
        let up = try scene.up(service, ["--ttl", "1h"])
        #expect(up.status == 0, "\(up.stdout) \(up.stderr)")
        let id = try #require((try up.json()["deployment"] as? [String: Any])?["id"] as? String)
        let file = ".blueprint-remote/bp-\(id)-0/expires"
        let armed = try #require(TimeInterval(try CrashRecoveryTests.onHost(host, "cat \(file)")))
        #expect(abs(armed - Date().addingTimeInterval(3600).timeIntervalSince1970) < 60, "armed for the ttl at deploy")

        let extended = try scene.run(["extend", "extendable", "--ttl", "3h", "--hosts", scene.hostsFile, "--json"])
        #expect(extended.status == 0, "\(extended.stdout) \(extended.stderr)")
        let report = try #require(try extended.json()["deployment"] as? [String: Any])
        #expect((report["replicas"] as? [[String: Any]])?.map { $0["moved"] as? Bool } == [true])
        let moved = try #require(TimeInterval(try CrashRecoveryTests.onHost(host, "cat \(file)")))
        #expect(abs(moved - Date().addingTimeInterval(3 * 3600).timeIntervalSince1970) < 60, "the host's switch moved")
        let status = try #require(try scene.run(["status", id, "--json"]).json()["deployment"] as? [String: Any])
        #expect(status["expires_at"] as? String == report["expires_at"] as? String)

        let bad = try scene.run(["extend", "extendable", "--ttl", "soon", "--json"])
        let badError = try bad.json()["error"] as? [String: Any]
        #expect(bad.status == 1 && badError?["field"] as? String == "ttl")

        #expect(try scene.run(["down", id, "--hosts", scene.hostsFile]).status == 0)
        #expect(try CrashRecoveryTests.onHost(host, "test -e \(file) && echo armed || echo gone") == "gone", "down disarms the switch")
        let late = try scene.run(["extend", id, "--ttl", "1h", "--json"])
        let lateError = try late.json()["error"] as? [String: Any]
        #expect(late.status == 1 && lateError?["code"] as? String == "conflict")
    }
}
