import CloudFakes
import Foundation
import TestSupport
import Testing

/// `up`, `status`, `ssh`, `logs` and `down` on a container cloud as its fake plays it: the provider
/// runs the image; the pod's address is a real sshd test host whose SSH is published on port 2222
/// (not 22) and whose service port is published on another port than the container's. The test
/// host stands in for the container: it serves the page the image would.
@Suite(.timeLimit(.minutes(5))) struct ContainerCloudUpTests {
    @Test func upOnLiumIsHealthyOnThePublishedPortReachedOverAMappedSSHPortAndDownReleasesThePod() async throws {
        guard let host = SSHTestHost.all()?.dropFirst(3).first else { return }
        let published = 18_341
        // What the container would serve, on the port Lium publishes its 8080 on.
        _ = try CrashRecoveryTests.onHost(host, "mkdir -p www-\(published) && echo hello > www-\(published)/index.html && busybox httpd -p \(published) -h www-\(published)")
        defer { _ = try? CrashRecoveryTests.onHost(host, "pkill -f '[b]usybox httpd -p \(published)' || true") }
        var settings = FakeLium.Settings()
        settings.sshUser = host.endpoint.user
        settings.publish = { _, port in (host.endpoint.host, port == 22 ? 2222 : published) }
        let fake = try await CloudFake(FakeLium(settings))
        let scene = try CloudUpCommandTests.Scene(
            override: nil, provider: ["LIUM_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LIUM": fake.baseURL.absoluteString + "/api"])
        defer { try? FileManager.default.removeItem(at: scene.directory) }

        let file = try scene.service("""
            name: liumweb
            image: nginx:1.27
            env: {GREETING: "hello, pod"}
            ports: ["8080"]
            health: {http: /, port: 8080, interval: 1s, timeout: 2s, start_period: 10s}
            resources: {gpus: 1, gpu_models: [H100]}
            providers: [lium]
            ttl: 2h
            """)
        let up = try scene.run(["up", file, "--type", "1x-H100", "--yes"])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stderr.contains("attempt 1: lium any 1x-H100"), "\(up.stderr)")
        #expect(up.stdout.contains("http://\(host.endpoint.host):\(published)"), "\(up.stdout)")
        let pod = try #require(fake.api.livePods.keys.first)
        #expect(fake.api.container(of: pod)?.environment == ["GREETING": "hello, pod"] && fake.api.container(of: pod)?.ports == [22, 8080])
        let status = try #require(try scene.run(["status", "liumweb", "--json"]).json()["deployment"] as? [String: Any])
        #expect(status["state"] as? String == "healthy", "\(status)")

        // SSH reaches the container where Lium published it (2222), with the tool's key, the host key pinned.
        let ssh = try scene.run(["ssh", "liumweb", "--", "echo", "inside"])
        #expect(ssh.status == 0 && ssh.stdout.contains("inside"), "\(ssh.stderr)")
        let logs = try scene.run(["logs", "liumweb"])
        #expect(logs.status != 0 && logs.stderr.contains("lium"), "said plainly, not pretended: \(logs.stderr)")

        let down = try scene.run(["down", "liumweb", "--json"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(fake.api.livePods.isEmpty, "the pod is released")
        try await fake.shutdown()
    }
}
