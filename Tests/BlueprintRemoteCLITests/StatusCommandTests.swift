import DeploymentStore
import Foundation
import RemoteProvidersCore
import Testing

/// `status` and `events` read a store seeded through the library, as `up` will write it.
@Suite struct StatusCommandTests {
    static func seededStore() async throws -> (path: String, deployment: Deployment) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("state.sqlite").path
        let store = try SQLiteStore(path: path)
        let spec = try ServiceSpec.load("name: hello\nimage: localhost/hello:1\nports: [\"8080\"]\nallowed_cidrs: [127.0.0.0/8]").spec
        let deployment = try await store.createDeployment(NewDeployment(name: "hello", spec: spec, expiresAt: Date().addingTimeInterval(7200)))
        try await store.transition(deployment.id, to: .provisioning, reason: "local")
        try await store.recordInstance(InstanceRecord(
            deploymentID: deployment.id, provider: .local, region: "here", providerInstanceID: "local-1", address: "127.0.0.1",
            expiresAt: deployment.expiresAt))
        let gone = try await store.createDeployment(NewDeployment(name: "old", spec: spec, expiresAt: nil))
        try await store.transition(gone.id, to: .terminated, reason: "done")
        return (path, deployment)
    }

    @Test func listsLiveDeploymentsAndShowsOne() async throws {
        let (path, deployment) = try await Self.seededStore()
        let environment = ["BLUEPRINT_REMOTE_STATE": path]
        let list = try CLI.run(["status", "--json"], environment: environment)
        #expect(list.status == 0, "\(list.stderr)")
        let deployments = try #require(try list.json()["deployments"] as? [[String: Any]])
        #expect(deployments.map { $0["name"] as? String } == ["hello"])
        #expect(deployments.first?["state"] as? String == "provisioning")
        let all = try #require(try CLI.run(["status", "--all", "--json"], environment: environment).json()["deployments"] as? [Any])
        #expect(all.count == 2)

        for key in [deployment.id, "hello"] {
            let one = try CLI.run(["status", key, "--json"], environment: environment)
            let detail = try #require(try one.json()["deployment"] as? [String: Any])
            #expect(detail["id"] as? String == deployment.id)
            #expect((detail["spec"] as? [String: Any])?["image"] as? String == "localhost/hello:1")
            let instances = try #require(detail["instances"] as? [[String: Any]])
            #expect(instances.first?["provider"] as? String == "local")
            #expect(instances.first?["provider_instance_id"] as? String == "local-1")
        }
        let text = try CLI.run(["status"], environment: environment)
        #expect(text.stdout.contains("hello") && text.stdout.contains("provisioning") && !text.stdout.contains("old"))

        let missing = try CLI.run(["status", "nope", "--json"], environment: environment)
        #expect(missing.status == 1)
        #expect((try missing.json()["error"] as? [String: Any])?["code"] as? String == "not_found")
    }

    @Test func eventsPrintTheTimelineInOrder() async throws {
        let (path, deployment) = try await Self.seededStore()
        let result = try CLI.run(["events", "hello", "--json"], environment: ["BLUEPRINT_REMOTE_STATE": path])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try #require(try result.json()["events"] as? [[String: Any]])
        #expect(events.map { $0["kind"] as? String } == ["created", "state", "instance"])
        #expect(events.allSatisfy { $0["deployment_id"] as? String == deployment.id })
        let text = try CLI.run(["events", deployment.id], environment: ["BLUEPRINT_REMOTE_STATE": path])
        #expect(text.stdout.contains("planned → provisioning: local"))
    }

    @Test func anEmptyStoreSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)/state.sqlite").path
        let result = try CLI.run(["status"], environment: ["BLUEPRINT_REMOTE_STATE": path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("no deployments"))
        let bad = try CLI.run(["status", "--json"], environment: ["BLUEPRINT_REMOTE_STATE": "mysql://x/y"])
        #expect(bad.status == 1)
        #expect((try bad.json()["error"] as? [String: Any])?["field"] as? String == "BLUEPRINT_REMOTE_STATE")
    }
}
