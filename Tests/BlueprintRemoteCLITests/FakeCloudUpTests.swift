import CloudFakes
import Foundation
import TestSupport
import Testing

/// `providers --check`, `up`, `status` and `down` on each VM cloud as its fake plays it (Lambda's GPU
/// instances among them): the server's address is a real sshd test host, the service is deployed
/// over SSH and probed healthy; `down` removes server and firewall and leaves the tool's key registered.
@Suite(.timeLimit(.minutes(5))) struct FakeCloudUpTests {
    /// A running fake, seen through what every cloud's test asks of it.
    struct Cloud {
        let environment: [String: String]
        let servers: @Sendable () -> Int
        let firewalls: @Sendable () -> Int
        let keys: @Sendable () -> Int
        /// Every resource the fake still holds that a deployment made (where the fake can tell).
        let leftovers: @Sendable () -> [String]
        let violations: @Sendable () async throws -> [String]?
        let shutdown: @Sendable () async throws -> Void

        init<API: FakeAPI>(
            _ fake: CloudFake<API>, environment: [String: String], servers: @escaping @Sendable (API) -> Int, firewalls: @escaping @Sendable (API) -> Int,
            keys: @escaping @Sendable (API) -> Int, leftovers: @escaping @Sendable (API) -> [String] = { _ in [] }
        ) {
            self.environment = environment
            self.servers = { servers(fake.api) }
            self.firewalls = { firewalls(fake.api) }
            self.keys = { keys(fake.api) }
            self.leftovers = { leftovers(fake.api) }
            violations = { try await fake.contractViolations() }
            shutdown = { try await fake.shutdown() }
        }
    }

    enum Provider: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case digitalocean, vultr, hetzner, lambda, paperspace, fluidstack, tensordock, gcp, azure

        var testDescription: String { rawValue }

        var region: String {
            switch self {
            case .digitalocean: "nyc3"
            case .vultr: "ewr"
            case .hetzner: "fsn1"
            case .lambda: "us-east-1"
            case .paperspace: "ny2"
            case .fluidstack: "NORWAY"
            case .tensordock: "1a779525-4c04-4f2c-aa45-58b47d54bb38"
            case .gcp: "us-central1"
            case .azure: "eastus"
            }
        }

        var type: String {
            switch self {
            case .digitalocean: "s-1vcpu-1gb"
            case .vultr: "vc2-1c-1gb"
            case .hetzner: "cx23"
            case .lambda: "gpu_1x_a10"
            case .paperspace: "P4000"
            case .fluidstack: "RTX_A6000_48GB::1"
            case .tensordock: "1x-geforcertx4090-pcie-24gb"
            case .gcp: "e2-small"
            case .azure: "Standard_B1s"
            }
        }

        var port: Int {
            switch self {
            case .digitalocean: 18_331
            case .vultr: 18_332
            case .hetzner: 18_333
            case .lambda: 18_334
            case .paperspace: 18_335
            case .fluidstack: 18_336
            case .tensordock: 18_337
            case .gcp: 18_338
            case .azure: 18_339
            }
        }

        /// A GPU cloud sells nothing without one.
        var resources: String {
            switch self {
            case .digitalocean, .vultr, .hetzner, .gcp, .azure: "{cpus: 1, memory_gb: 1}"
            case .lambda: "{cpus: 1, memory_gb: 1, gpus: 1, gpu_models: [A10]}"
            case .paperspace: "{cpus: 1, memory_gb: 1, gpus: 1, gpu_models: [P4000]}"
            case .fluidstack: "{gpus: 1, gpu_models: [RTXA6000]}"
            case .tensordock: "{cpus: 1, memory_gb: 1, gpus: 1, gpu_models: [RTX4090]}"
            }
        }

        /// Whether its API has firewalls, one per deployment.
        var hasFirewall: Bool { [.digitalocean, .vultr, .hetzner, .lambda, .gcp, .azure].contains(self) }

        /// Its offers come from its live listing (`catalog refresh`), not the bundled catalog alone.
        var listsOffers: Bool { ![.paperspace, .gcp, .azure].contains(self) }

        /// Whether the tool leaves something registered for reuse: the SSH key, or Paperspace's
        /// first-boot script (TensorDock, Compute Engine and Azure take the key with each machine).
        var registersKey: Bool { ![.tensordock, .gcp, .azure].contains(self) }

        /// Where the VM's SSH is: a GPU cloud's VM is the test host's GPU login (port 2200, whose
        /// NVIDIA driver scripts/test-services simulates).
        var sshPort: Int { [.lambda, .paperspace, .fluidstack, .tensordock].contains(self) ? 2200 : 22 }

        /// What `providers --check` learns from the account.
        var checked: String {
            switch self {
            case .digitalocean: "droplet limit"
            case .vultr: "permissions"
            case .hetzner: "servers"
            case .lambda, .fluidstack, .tensordock: "instances"
            case .paperspace: "machines"
            case .gcp: "project"
            case .azure: "subscription"
            }
        }

        func start(address: String) async throws -> Cloud {
            switch self {
            case .digitalocean:
                var settings = FakeDigitalOcean.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakeDigitalOcean(settings))
                return Cloud(
                    fake, environment: ["DIGITALOCEAN_TOKEN": settings.token, "BLUEPRINT_REMOTE_ENDPOINT_DIGITALOCEAN": fake.baseURL.absoluteString],
                    servers: { $0.liveDroplets.count }, firewalls: { $0.firewallNames.count }, keys: { $0.keyCount })
            case .vultr:
                var settings = FakeVultr.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakeVultr(settings))
                return Cloud(
                    fake, environment: ["VULTR_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_VULTR": fake.baseURL.absoluteString + "/v2"],
                    servers: { $0.liveInstances.count }, firewalls: { $0.firewallDescriptions.count }, keys: { $0.keyCount })
            case .hetzner:
                var settings = FakeHetzner.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakeHetzner(settings))
                return Cloud(
                    fake, environment: ["HCLOUD_TOKEN": settings.token, "BLUEPRINT_REMOTE_ENDPOINT_HETZNER": fake.baseURL.absoluteString + "/v1"],
                    servers: { $0.liveServers.count }, firewalls: { $0.firewallNames.count }, keys: { $0.keyCount })
            case .lambda:
                var settings = FakeLambda.Settings()
                settings.address = { _ in address }
                // Lambda's own pace, as a real account has it: one launch per 12 s.
                settings.launchInterval = .seconds(12)
                let fake = try await CloudFake(FakeLambda(settings))
                return Cloud(
                    fake, environment: ["LAMBDA_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LAMBDA": fake.baseURL.absoluteString + "/api/v1"],
                    servers: { $0.liveInstances.count }, firewalls: { $0.rulesetNames.count }, keys: { $0.keyCount })
            case .paperspace:
                var settings = FakePaperspace.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakePaperspace(settings))
                return Cloud(
                    fake, environment: ["PAPERSPACE_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_PAPERSPACE": fake.baseURL.absoluteString + "/v1"],
                    servers: { $0.liveMachines.count }, firewalls: { _ in 0 }, keys: { $0.scriptCount })
            case .fluidstack:
                var settings = FakeFluidstack.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakeFluidstack(settings))
                return Cloud(
                    fake, environment: ["FLUIDSTACK_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_FLUIDSTACK": fake.baseURL.absoluteString],
                    servers: { $0.liveInstances.count }, firewalls: { _ in 0 }, keys: { $0.keyCount })
            case .tensordock:
                var settings = FakeTensorDock.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakeTensorDock(settings))
                return Cloud(
                    fake, environment: ["TENSORDOCK_API_KEY": settings.token, "BLUEPRINT_REMOTE_ENDPOINT_TENSORDOCK": fake.baseURL.absoluteString + "/api/v2"],
                    servers: { $0.liveInstances.count }, firewalls: { _ in 0 }, keys: { _ in 0 })
            case .gcp:
                var settings = FakeGCE.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakeGCE(settings))
                return Cloud(
                    fake, environment: [
                        "GCP_ACCESS_TOKEN": settings.staticToken, "GOOGLE_CLOUD_PROJECT": settings.project,
                        "BLUEPRINT_REMOTE_ENDPOINT_GCP": fake.baseURL.absoluteString + "/compute/v1",
                    ],
                    servers: { $0.liveInstances.count }, firewalls: { $0.firewallNames.count }, keys: { _ in 0 })
            case .azure:
                var settings = FakeAzure.Settings()
                settings.address = { _ in address }
                let fake = try await CloudFake(FakeAzure(settings))
                return Cloud(
                    fake, environment: [
                        "AZURE_ACCESS_TOKEN": settings.staticToken, "AZURE_SUBSCRIPTION_ID": settings.subscription, "BLUEPRINT_REMOTE_ENDPOINT_AZURE": fake.baseURL.absoluteString,
                    ],
                    servers: { $0.virtualMachines.count }, firewalls: { $0.resources.filter { $0.hasPrefix("Microsoft.Network/networkSecurityGroups/") }.count },
                    keys: { _ in 0 }, leftovers: { $0.resources })
            }
        }
    }

    @Test(arguments: Provider.allCases)
    func upDeploysOverSSHAndDownRemovesServerAndFirewall(provider: Provider) async throws {
        guard let host = SSHTestHost.all()?.dropFirst(2).first else { return }
        let cloud = try await provider.start(address: host.endpoint.host)
        let scene = try CloudUpCommandTests.Scene(override: "\(host.endpoint.user)@\(host.endpoint.host):\(provider.sshPort)", provider: cloud.environment)
        defer { try? FileManager.default.removeItem(at: scene.directory) }

        let check = try scene.run(["providers", provider.rawValue, "--check", "--json"])
        let checked = try #require((try check.json()["providers"] as? [[String: Any]])?.first?["check"] as? [String: Any])
        #expect(checked["status"] as? String == "ok" && (checked["detail"] as? String)?.contains(provider.checked) == true, "\(checked)")

        let port = provider.port
        let name = "\(provider.rawValue)web"
        let file = try scene.service("""
            name: \(name)
            command: [sh, -c, "trap 'exit 0' TERM; mkdir -p www-\(port) && echo hello > www-\(port)/index.html && busybox httpd -f -p \(port) -h www-\(port) & wait"]
            runtime: native
            ports: ["\(port)"]
            health: {http: /, port: \(port), interval: 1s, timeout: 2s, start_period: 10s}
            resources: \(provider.resources)
            providers: [\(provider.rawValue)]
            regions: [\(provider.region)]
            ttl: 1h
            """)
        if provider.listsOffers {
            let refresh = try scene.run(["catalog", "refresh", "--provider", provider.rawValue, "--json"])
            #expect(refresh.status == 0, "\(refresh.stderr)")
        }
        let up = try scene.run(["up", file, "--type", provider.type, "--yes"])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stderr.contains("attempt 1: \(provider.rawValue) \(provider.region) \(provider.type)"), "\(up.stderr)")
        #expect(up.stdout.contains("http://\(host.endpoint.host):\(port)"))
        let status = try #require(try scene.run(["status", name, "--json"]).json()["deployment"] as? [String: Any])
        let instances = try #require(status["instances"] as? [[String: Any]])
        #expect(status["state"] as? String == "healthy" && instances.first?["provider"] as? String == provider.rawValue)
        #expect(cloud.servers() == 1)
        if provider.hasFirewall { #expect(cloud.firewalls() == 1) }

        let down = try scene.run(["down", name, "--json"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(cloud.servers() == 0, "server removed")
        if provider.hasFirewall { #expect(cloud.firewalls() == 0, "firewall removed") }
        #expect(cloud.leftovers().isEmpty, "no dependent resource left: \(cloud.leftovers())")
        if provider.registersKey { #expect(cloud.keys() == 1, "the tool's key (Paperspace: its first-boot script) stays registered, for reuse") }
        if let violations = try await cloud.violations() { #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))") }
        _ = try? CrashRecoveryTests.onHost(host, "pkill -f '[b]usybox httpd -f -p \(port)' || true")
        try await cloud.shutdown()
    }
}
