import CloudFakes
import Foundation
import TestSupport
import Testing

/// `up`, `status`, `ssh`, `logs` and `down` on the container clouds as their fakes play them: the
/// provider runs the image; the pod's address is a real sshd test host whose SSH is published on
/// port 2222 (not 22) and whose service port is published on another port than the container's.
/// The test host stands in for the container: it serves the page the image would.
@Suite(.timeLimit(.minutes(5))) struct ContainerCloudUpTests {
    /// A running fake, seen through what the test asks of it.
    struct Cloud {
        let environment: [String: String]
        /// Where SSH goes instead of where the provider says (`nil`: where it says).
        let override: String?
        let pods: @Sendable () -> [String]
        let environmentOf: @Sendable (String) -> [String: String]?
        let violations: @Sendable () async throws -> [String]?
        let shutdown: @Sendable () async throws -> Void
    }

    enum Provider: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case lium, runpod

        var testDescription: String { rawValue }

        /// The service port's public side on the test host.
        var published: Int {
            switch self {
            case .lium: 18_341
            case .runpod: 18_342
            }
        }

        var type: String {
            switch self {
            case .lium: "1x-H100"
            case .runpod: "NVIDIA H100 80GB HBM3"
            }
        }

        var region: String {
            switch self {
            case .lium: "any"
            case .runpod: "community"
            }
        }

        func start(_ host: SSHTestHost) async throws -> Cloud {
            let published = published
            switch self {
            case .lium:
                var settings = FakeLium.Settings()
                settings.sshUser = host.endpoint.user
                settings.publish = { _, port in (host.endpoint.host, port == 22 ? 2222 : published) }
                let fake = try await CloudFake(FakeLium(settings))
                return Cloud(
                    environment: ["LIUM_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LIUM": fake.baseURL.absoluteString + "/api"], override: nil,
                    pods: { Array(fake.api.livePods.keys) }, environmentOf: { fake.api.container(of: $0)?.environment },
                    violations: { try await fake.contractViolations() }, shutdown: { try await fake.shutdown() })
            case .runpod:
                var settings = FakeRunPod.Settings()
                settings.publish = { _, port in (host.endpoint.host, port == 22 ? 2222 : published) }
                let fake = try await CloudFake(FakeRunPod(settings))
                // RunPod's pods log in as root; the test host's login is its own user, on the same published port.
                return Cloud(
                    environment: ["RUNPOD_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_RUNPOD": fake.baseURL.absoluteString],
                    override: "\(host.endpoint.user)@\(host.endpoint.host):2222", pods: { Array(fake.api.livePods.keys) },
                    environmentOf: { fake.api.container(of: $0)?.env.filter { $0.key != "PUBLIC_KEY" } },
                    violations: { try await fake.contractViolations() }, shutdown: { try await fake.shutdown() })
            }
        }
    }

    @Test(arguments: Provider.allCases)
    func upIsHealthyOnThePublishedPortReachedOverAMappedSSHPortAndDownReleasesThePod(provider: Provider) async throws {
        guard let host = SSHTestHost.all()?.dropFirst(3).first else { return }
        let published = provider.published
        // What the container would serve, on the port the provider publishes its 8080 on.
        _ = try CrashRecoveryTests.onHost(host, "mkdir -p www-\(published) && echo hello > www-\(published)/index.html && busybox httpd -p \(published) -h www-\(published)")
        defer { _ = try? CrashRecoveryTests.onHost(host, "pkill -f '[b]usybox httpd -p \(published)' || true") }
        let cloud = try await provider.start(host)
        let scene = try CloudUpCommandTests.Scene(override: cloud.override, provider: cloud.environment)
        defer { try? FileManager.default.removeItem(at: scene.directory) }

        let name = "\(provider.rawValue)web"
        let file = try scene.service("""
            name: \(name)
            image: nginx:1.27
            env: {GREETING: "hello, pod"}
            ports: ["8080"]
            health: {http: /, port: 8080, interval: 1s, timeout: 2s, start_period: 10s}
            resources: {gpus: 1, gpu_models: [H100]}
            providers: [\(provider.rawValue)]
            regions: [\(provider.region)]
            ttl: 2h
            """)
        let up = try scene.run(["up", file, "--type", provider.type, "--yes"])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stderr.contains("attempt 1: \(provider.rawValue) \(provider.region) \(provider.type)"), "\(up.stderr)")
        #expect(up.stdout.contains("http://\(host.endpoint.host):\(published)"), "\(up.stdout)")
        let pod = try #require(cloud.pods().first)
        #expect(cloud.environmentOf(pod) == ["GREETING": "hello, pod"])
        let status = try #require(try scene.run(["status", name, "--json"]).json()["deployment"] as? [String: Any])
        let instance = try #require((status["instances"] as? [[String: Any]])?.first)
        #expect(status["state"] as? String == "healthy" && instance["ssh_port"] as? Int == 2222, "\(status)")

        // SSH reaches the container where the provider published it (2222), the host key pinned.
        let ssh = try scene.run(["ssh", name, "--", "echo", "inside"])
        #expect(ssh.status == 0 && ssh.stdout.contains("inside"), "\(ssh.stderr)")
        let logs = try scene.run(["logs", name])
        #expect(logs.status != 0 && logs.stderr.contains(provider.rawValue), "said plainly, not pretended: \(logs.stderr)")

        let down = try scene.run(["down", name, "--json"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(cloud.pods().isEmpty, "the pod is released")
        if let violations = try await cloud.violations() { #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))") }
        try await cloud.shutdown()
    }
}
