import DeploymentStore
import Foundation
import TestSupport
import Testing

/// `instance create/describe/list/terminate` through the built binary, against the
/// signature-checking moto (which no other suite resets).
@Suite struct InstanceCommandTests {
    @Test func theRawProvisioningLayerEndToEnd() async throws {
        guard let url = requiredService("BLUEPRINT_TEST_MOTO_AUTH_URL", "signature-checking moto"),
            let keyID = requiredService("BLUEPRINT_TEST_MOTO_AUTH_KEY_ID", "the EC2-only IAM user"),
            let secret = requiredService("BLUEPRINT_TEST_MOTO_AUTH_SECRET", "the EC2-only IAM user")
        else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("instance-\(UUID().uuidString)")
        let state = directory.appendingPathComponent("state.sqlite").path
        let environment = [
            "AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": "us-east-1",
            "BLUEPRINT_REMOTE_ENDPOINT_AWS": url, "BLUEPRINT_REMOTE_STATE": state,
            "XDG_STATE_HOME": directory.appendingPathComponent("local").path,
        ]
        let check = try CLI.run(["providers", "aws", "--check", "--json"], environment: environment)
        let provider = try #require((try check.json()["providers"] as? [[String: Any]])?.first)
        #expect(provider["driver"] as? Bool == true)
        #expect((provider["check"] as? [String: Any])?["status"] as? String == "ok", "\(check.stdout)")
        #expect(((provider["check"] as? [String: Any])?["detail"] as? String)?.hasPrefix("us-east-1: ") == true)

        let created = try CLI.run(["instance", "create", "--provider", "aws", "--type", "t3.micro", "--ttl", "2h", "--json"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let instance = try #require(try created.json()["instance"] as? [String: Any])
        let id = try #require(instance["id"] as? String)
        #expect(instance["provider"] as? String == "aws" && instance["region"] as? String == "us-east-1")
        #expect(instance["instance_type"] as? String == "t3.micro" && instance["status"] as? String == "running")
        #expect(instance["ssh_user"] as? String == "ubuntu")
        #expect(instance["expires_at"] is String)

        let store = try SQLiteStore(path: state)
        let records = try await store.instances(deploymentID: nil)
        #expect(records.map(\.providerInstanceID) == [id])
        #expect(records.first?.expiresAt != nil)
        let owner = try await store.ownerID()
        #expect((instance["tags"] as? [String: String])?["blueprint-remote-owner"] == owner)

        let described = try CLI.run(["instance", "describe", id, "--json"], environment: environment)
        #expect((try described.json()["instance"] as? [String: Any])?["id"] as? String == id, "\(described.stderr)")
        let listed = try CLI.run(["instance", "list", "--provider", "aws", "--json"], environment: environment)
        let instances = try #require(try listed.json()["instances"] as? [[String: Any]], "\(listed.stderr)")
        #expect(instances.map { $0["id"] as? String } == [id])

        let terminated = try CLI.run(["instance", "terminate", id, "--json"], environment: environment)
        #expect(terminated.status == 0, "\(terminated.stderr)")
        #expect((try terminated.json()["instance"] as? [String: Any])?["status"] as? String == "terminated")
        #expect(try await store.instances(deploymentID: nil).first?.state == .terminated)
        #expect(try CLI.run(["instance", "terminate", id], environment: environment).status == 0)

        let unknown = try CLI.run(["instance", "describe", "i-0123456789abcdef0", "--json"], environment: environment)
        #expect(unknown.status == 2)
        let badTTL = try CLI.run(["instance", "create", "--provider", "aws", "--type", "t3.micro", "--ttl", "soon", "--json"], environment: environment)
        #expect((try badTTL.json()["error"] as? [String: Any])?["field"] as? String == "ttl")
    }
}
