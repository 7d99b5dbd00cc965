import CloudFakes
import Foundation
import TestSupport
import Testing

/// `providers --check`, `up`, `status` and `down` on DigitalOcean as its fake plays it: the
/// droplet's address is a real sshd test host, the service is deployed over SSH and probed.
@Suite(.timeLimit(.minutes(5))) struct DigitalOceanUpTests {
    @Test func upOnDigitalOceanDeploysOverSSHAndDownRemovesDropletAndFirewall() async throws {
        guard let host = SSHTestHost.all()?.dropFirst(2).first else { return }
        var settings = FakeDigitalOcean.Settings()
        settings.address = { _ in host.endpoint.host }
        let fake = try await CloudFake(FakeDigitalOcean(settings))
        let scene = try CloudUpCommandTests.Scene(
            override: "\(host.endpoint.user)@\(host.endpoint.host):\(host.endpoint.port)",
            provider: ["DIGITALOCEAN_TOKEN": settings.token, "BLUEPRINT_REMOTE_ENDPOINT_DIGITALOCEAN": fake.baseURL.absoluteString])
        defer { try? FileManager.default.removeItem(at: scene.directory) }

        let check = try scene.run(["providers", "digitalocean", "--check", "--json"])
        let checked = try #require((try check.json()["providers"] as? [[String: Any]])?.first?["check"] as? [String: Any])
        #expect(checked["status"] as? String == "ok" && (checked["detail"] as? String)?.contains("droplet limit") == true, "\(checked)")

        let port = 18_331
        let file = try scene.service("""
            name: doweb
            command: [sh, -c, "trap 'exit 0' TERM; mkdir -p www-\(port) && echo hello > www-\(port)/index.html && busybox httpd -f -p \(port) -h www-\(port) & wait"]
            runtime: native
            ports: ["\(port)"]
            health: {http: /, port: \(port), interval: 1s, timeout: 2s, start_period: 10s}
            resources: {cpus: 1, memory_gb: 1}
            providers: [digitalocean]
            regions: [nyc3]
            ttl: 1h
            """)
        let up = try scene.run(["up", file, "--type", "s-1vcpu-1gb", "--yes"])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stderr.contains("attempt 1: digitalocean nyc3 s-1vcpu-1gb"), "\(up.stderr)")
        #expect(up.stdout.contains("http://\(host.endpoint.host):\(port)"))
        let status = try #require(try scene.run(["status", "doweb", "--json"]).json()["deployment"] as? [String: Any])
        let instances = try #require(status["instances"] as? [[String: Any]])
        #expect(status["state"] as? String == "healthy" && instances.first?["provider"] as? String == "digitalocean")
        #expect(fake.api.liveDroplets.count == 1 && fake.api.firewallNames.count == 1)

        let down = try scene.run(["down", "doweb", "--json"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(fake.api.liveDroplets.isEmpty && fake.api.firewallNames.isEmpty, "droplet and firewall removed")
        #expect(fake.api.keyCount == 1, "the tool's key stays registered, for reuse")
        if let violations = try await fake.contractViolations() { #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))") }
        _ = try? CrashRecoveryTests.onHost(host, "pkill -f '[b]usybox httpd -f -p \(port)' || true")
        try await fake.shutdown()
    }
}
