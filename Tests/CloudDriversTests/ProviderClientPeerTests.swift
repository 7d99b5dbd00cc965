import CloudFakes
import Foundation
import RemoteExecution
import TestSupport
import Testing

/// The providers' own clients, unmodified but for their endpoint, drive the fakes: what they do
/// must work there as it does against the provider (Tests/ClientPeers/, `.venv-peers`).
@Suite(.timeLimit(.minutes(3))) struct ProviderClientPeerTests {
    static var scripts: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ClientPeers") }

    @Test func hetznersOwnClientRunsTheLifecycleAgainstTheFake() async throws {
        guard let python = requiredService("BLUEPRINT_TEST_PEER_PYTHON", "the providers' own clients") else { return }
        var settings = FakeHetzner.Settings()
        // Held initializing for the whole run, so the script reads the states it asserts on a busy machine too.
        settings.activation = .seconds(3600)
        settings.maxPerPage = 2
        let fake = try await CloudFake(FakeHetzner(settings))
        let owner = UUID().uuidString.lowercased()
        let run = try await runChildProcess(
            python, [Self.scripts.appendingPathComponent("hcloud_lifecycle.py").path, owner, SSHKeyPair(comment: "peer").authorizedKey],
            environment: ["HCLOUD_ENDPOINT": fake.baseURL.absoluteString + "/v1", "HCLOUD_TOKEN": settings.token, "PATH": "/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok: key deleted"), "\(run.output)")
        #expect(fake.calls.contains("POST /v1/servers") && fake.calls.contains { $0.hasPrefix("DELETE /v1/servers/") })
        if let violations = try await fake.contractViolations() { #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))") }
        try await fake.shutdown()
    }

    @Test func lambdasGeneratedClientsRunTheLifecycleAgainstTheFake() async throws {
        guard let python = requiredService("BLUEPRINT_TEST_PEER_PYTHON", "the providers' own clients") else { return }
        let settings = FakeLambda.Settings()
        let fake = try await CloudFake(FakeLambda(settings))
        let owner = UUID().uuidString.lowercased()
        let run = try await runChildProcess(
            python, [Self.scripts.appendingPathComponent("lambda_lifecycle.py").path, fake.baseURL.absoluteString, settings.apiKey,
                SSHKeyPair(comment: "peer").authorizedKey, owner],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok: cleaned up"), "\(run.output)")
        #expect(fake.calls.contains("POST /api/v1/instance-operations/launch") && fake.api.liveInstances.isEmpty && fake.api.keyCount == 0)
        try await fake.shutdown()
    }

    @Test func fluidstacksOwnSDKRunsTheLifecycleAgainstTheFake() async throws {
        guard let python = requiredService("BLUEPRINT_TEST_PEER_PYTHON", "the providers' own clients") else { return }
        let settings = FakeFluidstack.Settings()
        let fake = try await CloudFake(FakeFluidstack(settings))
        let run = try await runChildProcess(
            python, [Self.scripts.appendingPathComponent("fluidstack_lifecycle.py").path, fake.baseURL.absoluteString, settings.apiKey,
                SSHKeyPair(comment: "peer").authorizedKey],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok: cleaned up"), "\(run.output)")
        let create = try #require(fake.exchanges.first { $0.request.route == "POST /instances" })
        #expect(create.request.header("api-key") == settings.apiKey && fake.api.liveInstances.isEmpty && fake.api.keyCount == 0)
        try await fake.shutdown()
    }

    @Test func googlesOwnClientRunsTheLifecycleAgainstTheFakeOverHTTPS() async throws {
        guard let python = requiredService("BLUEPRINT_TEST_PEER_PYTHON", "the providers' own clients") else { return }
        var settings = FakeGCE.Settings()
        settings.exhausted = ["us-central1-a/g2-standard-4"]
        // Room for the e2-small and the g2-standard-4 (2 + 4 vCPUs), not for an n1-standard-8 beside them.
        settings.cpuQuota = 6
        // Google's client trusts the fake through the test CA; its requests library reads the bundle from the environment.
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let fake = try await CloudFake(FakeGCE(settings), tls: certificates)
        let run = try await runChildProcess(
            python, [Self.scripts.appendingPathComponent("gce_lifecycle.py").path, fake.baseURL.absoluteString, settings.staticToken,
                SSHKeyPair(comment: "peer").authorizedKey],
            environment: ["PATH": "/usr/bin:/bin", "REQUESTS_CA_BUNDLE": certificates.caPath, "HOME": "/nonexistent", "NO_GCE_CHECK": "True"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok: cleaned up"), "\(run.output)")
        #expect(fake.baseURL.scheme == "https" && fake.api.liveInstances.isEmpty && fake.api.firewallNames.isEmpty)
        try await fake.shutdown()
    }

    @Test func azuresOwnClientsRunTheLifecycleAgainstTheFakeOverHTTPS() async throws {
        guard let python = requiredService("BLUEPRINT_TEST_PEER_PYTHON", "the providers' own clients") else { return }
        var settings = FakeAzure.Settings()
        settings.unavailable = ["eastus/standard_d4s_v5"]
        settings.allocationFails = ["eastus/standard_d2s_v5"]
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let fake = try await CloudFake(FakeAzure(settings), tls: certificates)
        let run = try await runChildProcess(
            python, [Self.scripts.appendingPathComponent("azure_lifecycle.py").path, fake.baseURL.absoluteString, settings.staticToken, settings.subscription,
                certificates.caPath, SSHKeyPair(comment: "peer").authorizedKey],
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok: cleaned up"), "\(run.output)")
        #expect(fake.baseURL.scheme == "https" && fake.api.resources.isEmpty, "\(fake.api.resources)")
        try await fake.shutdown()
    }

    @Test func vastsOwnCLIRunsTheLifecycleAgainstTheFake() async throws {
        guard let python = requiredService("BLUEPRINT_TEST_PEER_PYTHON", "the providers' own clients") else { return }
        let settings = FakeVast.Settings()
        let fake = try await CloudFake(FakeVast(settings))
        // A home of its own, with the role the CLI would otherwise ask the API for; nothing may leave
        // the machine: its update check is off and any other HTTPS goes to a closed port.
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let config = home.appendingPathComponent(".config/vastai")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "client".write(to: config.appendingPathComponent("vast_role"), atomically: true, encoding: .utf8)
        let run = try await runChildProcess(
            python, [Self.scripts.appendingPathComponent("vastai_lifecycle.py").path, SSHKeyPair(comment: "peer").authorizedKey],
            environment: [
                "HOME": home.path, "PATH": "/usr/bin:/bin", "VAST_URL": fake.baseURL.absoluteString, "VAST_API_KEY": settings.apiKey,
                "VASTAI_NO_UPDATE_CHECK": "1", "CI": "1", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
                "NO_PROXY": "127.0.0.1,localhost",
            ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok: destroyed"), "\(run.output)")
        let rent = try #require(fake.exchanges.first { $0.request.route.hasPrefix("PUT /api/v0/asks/") })
        #expect(rent.request.header("Authorization") == "Bearer \(settings.apiKey)" && fake.api.liveInstances.isEmpty)
        try await fake.shutdown()
    }

    @Test func liumsOwnClientRunsTheLifecycleAgainstTheFake() async throws {
        guard let python = requiredService("BLUEPRINT_TEST_PEER_PYTHON", "the providers' own clients") else { return }
        let settings = FakeLium.Settings()
        let fake = try await CloudFake(FakeLium(settings))
        // A home of its own: lium-io keeps its key cache and known hosts there, and reads the key beside it.
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let keys = home.appendingPathComponent(".ssh")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        try (SSHKeyPair(comment: "peer").authorizedKey + "\n").write(to: keys.appendingPathComponent("id_ed25519.pub"), atomically: true, encoding: .utf8)
        let run = try await runChildProcess(
            python, [Self.scripts.appendingPathComponent("lium_lifecycle.py").path],
            environment: [
                "HOME": home.path, "PATH": "/usr/bin:/bin", "LIUM_BASE_URL": fake.baseURL.absoluteString + "/api", "LIUM_API_KEY": settings.apiKey,
                "LIUM_SSH_KEY_PATH": keys.appendingPathComponent("id_ed25519").path, "NO_PROXY": "127.0.0.1,localhost", "LIUM_SELF_UPDATE_DISABLE": "1",
                "LIUM_TELEMETRY": "0", "LIUM_NONINTERACTIVE": "1",
            ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok: its node is listed again"), "\(run.output)")
        let rent = try #require(fake.exchanges.first { $0.request.route.hasSuffix("/rent") })
        #expect(rent.request.header("Idempotency-Key") == "peer-rent-0001" && rent.request.header("X-API-KEY") == settings.apiKey)
        #expect(fake.api.livePods.isEmpty)
        try await fake.shutdown()
    }
}
