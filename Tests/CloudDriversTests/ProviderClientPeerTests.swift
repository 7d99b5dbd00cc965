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
}
