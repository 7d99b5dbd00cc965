import CloudFakes
import Foundation
import Logging
import Metrics
import MetricsTestKit
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// What every driver must do, whatever its provider (AWS on moto, the others on their fakes):
/// `create` returns once the provider accepted the request (no waiting for it to run), a lifecycle
/// costs no more API calls than `plan` says it will, list by owner tag finds exactly ours, unknown
/// ids are left out of a describe and terminating them (or a terminated one) is success.
@Suite(.timeLimit(.minutes(5))) struct DriverConformanceTests {
    enum Subject: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case aws, digitalocean, vultr, hetzner, lium, runpod, vastai, lambda, tensordock, fluidstack, paperspace, gcp, azure

        var testDescription: String { rawValue }
        var provider: ProviderID { ProviderID(rawValue: rawValue)! }

        var region: String {
            switch self {
            case .aws: "us-east-1"
            case .digitalocean: "nyc3"
            case .vultr: "ewr"
            case .hetzner: "fsn1"
            case .lium: "any"
            case .runpod: "secure"
            case .vastai: "any"
            case .lambda: "us-east-1"
            case .tensordock: "1a779525-4c04-4f2c-aa45-58b47d54bb38"
            case .fluidstack: "NORWAY"
            case .paperspace: "ny2"
            case .gcp: "us-central1"
            case .azure: "eastus"
            }
        }

        var instanceType: String {
            switch self {
            case .aws: "t3.micro"
            case .digitalocean: "s-1vcpu-1gb"
            case .vultr: "vc2-1c-1gb"
            case .hetzner: "cx23"
            case .lium: "1x-H100"
            case .runpod: "NVIDIA H100 80GB HBM3"
            case .vastai: "1x-H100-SXM"
            case .lambda: "gpu_1x_a10"
            case .tensordock: "1x-geforcertx4090-pcie-24gb"
            case .fluidstack: "RTX_A6000_48GB::1"
            case .paperspace: "P4000"
            case .gcp: "e2-small"
            case .azure: "Standard_B1s"
            }
        }

        /// An id in the provider's form that it does not know.
        var unknownID: String {
            switch self {
            case .aws: "i-0123456789abcdef0"
            case .digitalocean: "987654321"
            case .vultr: "cb676a46-66fd-4dfb-b839-443f2e6c0b60"
            case .hetzner: "987654321"
            case .lium: "6f7a8b9c-0d1e-4f20-8a3b-4c5d6e7f8091"
            case .runpod: "zzunknownpod01"
            case .vastai: "987654321"
            case .lambda: "0920482c7a0e4b1c9d3e5f6a7b8c9d0e"
            case .tensordock: "468b716a-6747-4cbe-9f13-afc153a21c14"
            case .fluidstack: "i-d02e976e-29e4-4857-8787-2ebe17fa4972"
            case .paperspace: "psz0n3x5q1"
            case .gcp: "us-central1-a/bp-unknown-instance"
            case .azure: "blueprint-remote-dunknown-eastus/bp-unknown"
            }
        }
    }

    /// The driver over a transport whose every API attempt is counted, and whatever serves it.
    func withDriver(_ subject: Subject, _ body: (any CloudDriver, TestMetrics) async throws -> Void) async throws {
        let metrics = TestMetrics()
        switch subject {
        case .aws:
            // The orchestrator's moto, which nobody resets: each test has its own owner id.
            guard let url = requiredService("BLUEPRINT_TEST_MOTO_ORCHESTRATOR_URL", "the orchestrator's moto") else { return }
            let transport = try HTTPTransport(
                configuration: TransportConfiguration(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))), metricsFactory: metrics)
            let environment = ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "conformance", "BLUEPRINT_REMOTE_ENDPOINT_AWS": url, "HOME": "/nonexistent"]
            do {
                let driver = try DriverRegistry.standard.driver(
                    for: .aws, context: DriverContext(environment: Environment(environment), transport: transport, region: subject.region, logger: Logger(label: "test")))
                try await body(driver, metrics)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        case .digitalocean:
            let settings = FakeDigitalOcean.Settings()
            try await withFakeDriver(FakeDigitalOcean(settings), provider: .digitalocean, environment: {
                ["DIGITALOCEAN_TOKEN": settings.token, "BLUEPRINT_REMOTE_ENDPOINT_DIGITALOCEAN": $0.absoluteString]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .vultr:
            let settings = FakeVultr.Settings()
            try await withFakeDriver(FakeVultr(settings), provider: .vultr, environment: {
                ["VULTR_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_VULTR": $0.absoluteString + "/v2"]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .hetzner:
            let settings = FakeHetzner.Settings()
            try await withFakeDriver(FakeHetzner(settings), provider: .hetzner, environment: {
                ["HCLOUD_TOKEN": settings.token, "BLUEPRINT_REMOTE_ENDPOINT_HETZNER": $0.absoluteString + "/v1"]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .lium:
            let settings = FakeLium.Settings()
            try await withFakeDriver(FakeLium(settings), provider: .lium, environment: {
                ["LIUM_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LIUM": $0.absoluteString + "/api"]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .runpod:
            let settings = FakeRunPod.Settings()
            try await withFakeDriver(FakeRunPod(settings), provider: .runpod, environment: {
                ["RUNPOD_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_RUNPOD": $0.absoluteString]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .vastai:
            let settings = FakeVast.Settings()
            try await withFakeDriver(FakeVast(settings), provider: .vastai, environment: {
                ["VAST_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_VASTAI": $0.absoluteString]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .lambda:
            let settings = FakeLambda.Settings()
            try await withFakeDriver(FakeLambda(settings), provider: .lambda, environment: {
                ["LAMBDA_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LAMBDA": $0.absoluteString + "/api/v1", "BLUEPRINT_REMOTE_LAMBDA_LAUNCH_INTERVAL": "0"]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .tensordock:
            let settings = FakeTensorDock.Settings()
            try await withFakeDriver(FakeTensorDock(settings), provider: .tensordock, environment: {
                ["TENSORDOCK_API_KEY": settings.token, "BLUEPRINT_REMOTE_ENDPOINT_TENSORDOCK": $0.absoluteString + "/api/v2"]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .fluidstack:
            let settings = FakeFluidstack.Settings()
            try await withFakeDriver(FakeFluidstack(settings), provider: .fluidstack, environment: {
                ["FLUIDSTACK_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_FLUIDSTACK": $0.absoluteString]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .paperspace:
            let settings = FakePaperspace.Settings()
            try await withFakeDriver(FakePaperspace(settings), provider: .paperspace, environment: {
                ["PAPERSPACE_API_KEY": settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_PAPERSPACE": $0.absoluteString + "/v1"]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .gcp:
            let settings = FakeGCE.Settings()
            try await withFakeDriver(FakeGCE(settings), provider: .gcp, environment: {
                ["GCP_ACCESS_TOKEN": settings.staticToken, "GOOGLE_CLOUD_PROJECT": settings.project, "BLUEPRINT_REMOTE_ENDPOINT_GCP": $0.absoluteString + "/compute/v1"]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        case .azure:
            let settings = FakeAzure.Settings()
            try await withFakeDriver(FakeAzure(settings), provider: .azure, environment: {
                ["AZURE_ACCESS_TOKEN": settings.staticToken, "AZURE_SUBSCRIPTION_ID": settings.subscription, "BLUEPRINT_REMOTE_ENDPOINT_AZURE": $0.absoluteString]
            }, metrics: metrics) { driver, _ in try await body(driver, metrics) }
        }
    }

    static func attempts(_ metrics: TestMetrics) -> Int {
        metrics.counters.filter { $0.label == "blueprint_remote_http_attempts_total" }.reduce(0) { $0 + Int($1.totalValue) }
    }

    static func request(_ subject: Subject, owner: String, deployment: String, replica: Int) -> InstanceRequest {
        InstanceRequest(
            requestID: "\(deployment)-a1-r\(replica)", name: "conformance-\(replica)", region: subject.region, instanceType: subject.instanceType, diskGB: 20,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date().addingTimeInterval(3600)),
            sshPublicKey: SSHKeyPair(comment: "conformance").authorizedKey, exposure: Exposure(mode: .tunnel),
            // A container cloud runs an image; a VM cloud takes none.
            container: [.lium, .runpod, .vastai].contains(subject) ? ContainerLaunch(image: "busybox:1.36", command: ["sleep", "infinity"], ports: [22]) : nil)
    }

    @Test(arguments: Subject.allCases)
    func aLifecycleKeepsTheContractAndThePlannedCallBudget(subject: Subject) async throws {
        try await withDriver(subject) { driver, metrics in
            let owner = UUID().uuidString.lowercased()
            let deployment = "dconf" + UUID().uuidString.prefix(8).lowercased()
            let made = try await driver.create(Self.request(subject, owner: owner, deployment: deployment, replica: 0))
            #expect(made.status != .running, "create returns once the provider accepted it, before it runs")
            // Polled as `up` polls: at once, then after growing pauses from half a second.
            var running = made
            var pause = Duration.milliseconds(500)
            for _ in 0..<8 {
                running = try await driver.describe([made.id]).first ?? running
                if running.status == .running { break }
                try await Task.sleep(for: pause)
                pause *= 2
            }
            #expect(running.status == .running)
            try await driver.terminate([made.id])
            let used = Self.attempts(metrics)
            let planned = DriverRegistry.expectedCalls[subject.provider]?(1).reduce(0) { $0 + $1.count } ?? 0
            #expect(used <= planned, "a lifecycle made \(used) API calls; plan says \(planned)")

            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: owner).allSatisfy { $0.status == .terminated })
            try await driver.terminate([made.id])
            try await driver.terminate([subject.unknownID])
            #expect(try await driver.describe([subject.unknownID]).isEmpty)
            let after = try await driver.describe([made.id]).first?.status
            #expect(after == nil || after == .terminated, "gone, or shown terminated")
        }
    }

    @Test(arguments: Subject.allCases)
    func listByOwnerTagFindsExactlyOurs(subject: Subject) async throws {
        try await withDriver(subject) { driver, _ in
            let (ours, theirs) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
            let deployment = "dconf" + UUID().uuidString.prefix(8).lowercased()
            var mine: [String] = []
            for replica in 0..<2 { mine.append(try await driver.create(Self.request(subject, owner: ours, deployment: deployment, replica: replica)).id) }
            let other = try await driver.create(Self.request(subject, owner: theirs, deployment: deployment + "x", replica: 0))
            #expect(Set(try await driver.list(tag: ResourceTags.ownerKey, value: ours).map(\.id)) == Set(mine))
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: theirs).map(\.id) == [other.id])
            try await driver.terminate(mine + [other.id])
        }
    }
}
