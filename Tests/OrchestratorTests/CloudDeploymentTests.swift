import Catalog
import CloudDrivers
import DeploymentStore
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing
import Workloads

@testable import Orchestrator

/// `up` and `down` on AWS as moto plays it, with the SSH of every "instance" sent to a real sshd
/// test host (moto's addresses are made up: nothing may connect to them). moto and its fault
/// proxy are this suite's own; the tests share them, so they run one at a time.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CloudDeploymentTests {
    /// Three offers: two in us-east-1, then a dearer one in us-west-2.
    static let offers: [Offer] = [
        ("us-east-1", "t3.micro", 0.0104), ("us-east-1", "t3.small", 0.0208), ("us-west-2", "t3.micro", 0.0110),
    ].map { region, type, price in
        Offer(provider: .aws, region: region, instanceType: type, vcpus: 2, memoryGB: 1, onDemandPrice: price, source: "test", observedAt: Date())
    }

    /// Everything one test needs: its own store (so its own owner id), drivers against the proxy.
    struct Rig {
        let store: SQLiteStore
        let deployment: CloudDeployment
        let drivers: CloudSession
        let proxy: FaultProxy
        let folder: URL
    }

    func withRig(override: String, sshWait: Duration = .seconds(60), _ body: (Rig) async throws -> Void) async throws {
        guard let proxyURL = requiredService("BLUEPRINT_TEST_MOTO_ORCHESTRATOR_FAULTS_URL", "the orchestrator's moto"),
            let keyPath = requiredService("BLUEPRINT_TEST_SSH_KEY", "the sshd test hosts' key")
        else { return }
        let folder = try temporaryDirectory()
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
        let transport = try HTTPTransport(configuration: TransportConfiguration(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20))))
        let environment = Environment([
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "orchestrator-test", "HOME": "/nonexistent",
            "BLUEPRINT_REMOTE_ENDPOINT_AWS": proxyURL, InstanceAccess.overrideVariable: override,
        ])
        let drivers = CloudSession(environment: environment, transport: transport)
        let key = try OpenSSHKeyFile.parse(String(contentsOfFile: keyPath, encoding: .utf8), path: keyPath)
        var options = CloudDeployment.Options()
        options.sshWait = sshWait
        options.verifyTermination = .seconds(60)
        let planner = Planner(optimizer: Optimizer(offers: Self.offers)) { _ in nil }
        let deployment = CloudDeployment(
            store: store, drivers: drivers.source, planner: planner, key: key, environment: environment, options: options)
        let proxy = FaultProxy(url: proxyURL)
        try await proxy.clear()
        do {
            try await body(Rig(store: store, deployment: deployment, drivers: drivers, proxy: proxy, folder: folder))
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The instances of this store's owner in `region`, as moto reports them.
    func instances(_ rig: Rig, region: String) async throws -> [Instance] {
        try await rig.drivers.driver(.aws, region).list(tag: ResourceTags.ownerKey, value: try await rig.store.ownerID())
    }

    static func host() -> SSHTestHost? { SSHTestHost.all()?.first }

    static func override(_ host: SSHTestHost) -> String { "\(host.endpoint.user)@\(host.endpoint.host):\(host.endpoint.port)" }

    @Test func upBuysTheCheapestOfferDeploysItHealthyAndDownTerminatesIt() async throws {
        guard let host = Self.host() else { return }
        try await withRig(override: Self.override(host)) { rig in
            let port = 18_311
            var spec = ServiceSpec(name: "web", image: nil, command: RuntimeCommands.server(port: port), ports: [PortMapping(hostPort: port, containerPort: port)])
            spec.runtime = .native
            spec.health = HealthCheck(probe: .http(path: "/", port: port), interval: .init(seconds: 1), timeout: .init(seconds: 2), startPeriod: .init(seconds: 10))
            let outcome = try await rig.deployment.up(spec, ttl: .hours(1))
            #expect(outcome.state == .healthy && outcome.failures.isEmpty)
            #expect(outcome.replicas.first?.url == "http://\(host.endpoint.host):\(port)")

            let deployment = try #require(try await rig.store.deployment(id: outcome.deploymentID))
            #expect(deployment.state == .healthy && deployment.pricePerHour == 0.0104)
            let records = try await rig.store.instances(deploymentID: deployment.id)
            #expect(records.count == 1 && records[0].region == "us-east-1" && records[0].hostKey == host.hostKey.openSSH, "the host key is pinned at first contact")
            let running = try await instances(rig, region: "us-east-1").filter { $0.status == .running }
            #expect(running.map(\.id) == records.map(\.providerInstanceID))
            #expect(running.first?.tags[ResourceTags.deploymentKey] == deployment.id)
            let kinds = try await rig.store.events(deploymentID: deployment.id).map(\.kind)
            #expect(kinds.contains(.attempt) && kinds.contains(.instance))

            try await rig.deployment.down(deployment)
            #expect(try await rig.store.deployment(id: deployment.id)?.state == .terminated)
            #expect(try await instances(rig, region: "us-east-1").allSatisfy { $0.status == .terminated })
            #expect(try await rig.store.instances(deploymentID: deployment.id).allSatisfy { $0.state == .terminated })
            // The workload is gone from the host too: the instance is, and on a real VM so is all on it.
        }
    }

    @Test func capacityThenQuotaErrorsFailOverToTheThirdOffer() async throws {
        guard let host = Self.host() else { return }
        try await withRig(override: Self.override(host)) { rig in
            try await rig.proxy.queue(
                "RunInstances", code: "InsufficientInstanceCapacity",
                message: "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested (us-east-1a).", status: 500)
            try await rig.proxy.queue("RunInstances", code: "VcpuLimitExceeded", message: "You have requested more vCPU capacity than your current vCPU limit allows.")
            let outcome = try await rig.deployment.up(Self.sleeper(replicas: 1), ttl: .hours(1))
            #expect(outcome.state == .healthy)
            // In price order: t3.micro us-east-1 (no capacity: that type there is blocked), t3.micro
            // us-west-2 (over the vCPU quota: all of us-west-2 is blocked), t3.small us-east-1.
            let records = try await rig.store.instances(deploymentID: outcome.deploymentID)
            let timeline = try await rig.store.events(deploymentID: outcome.deploymentID).map { "\($0.kind): \($0.message)" }
            #expect(records.map(\.region) == ["us-east-1"], "\(timeline)")
            let events = try await rig.store.events(deploymentID: outcome.deploymentID)
            let attempts = events.filter { $0.kind == .attempt }.map(\.message)
            #expect(attempts.count == 3)
            #expect(attempts.first?.contains("us-east-1 t3.micro") == true && attempts.dropFirst().first?.contains("us-west-2 t3.micro") == true)
            #expect(attempts.last?.contains("us-east-1 t3.small") == true)
            let fallbacks = events.filter { $0.kind == .fallback }.map(\.message)
            #expect(fallbacks.count == 2 && fallbacks[0].contains("InsufficientInstanceCapacity") && fallbacks[1].contains("VcpuLimitExceeded"))
            #expect(try await instances(rig, region: "us-west-2").isEmpty, "the failed attempts made nothing")
            #expect(try await instances(rig, region: "us-east-1").map(\.instanceType) == ["t3.small"])
            try await rig.deployment.down(try #require(try await rig.store.deployment(id: outcome.deploymentID)))
        }
    }

    @Test func aPartialSetOfReplicasIsTerminatedBeforeTheNextOfferIsTried() async throws {
        guard let host = Self.host() else { return }
        try await withRig(override: Self.override(host)) { rig in
            // Two replicas are bought at once: the first attempt gets one of them and not the other.
            try await rig.proxy.queue(
                "RunInstances", code: "InsufficientInstanceCapacity",
                message: "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested (us-east-1a).", status: 500)
            let outcome = try await rig.deployment.up(Self.sleeper(replicas: 2), ttl: .hours(1))
            let timeline = try await rig.store.events(deploymentID: outcome.deploymentID).map { "\($0.kind): \($0.message)" }
            #expect(outcome.state == .healthy && outcome.replicas.count == 2, "\(outcome.failures) \(timeline)")
            #expect(try await instances(rig, region: "us-east-1").map(\.status) == [.terminated], "the one replica the first attempt got was terminated")
            #expect(try await instances(rig, region: "us-west-2").filter { $0.status == .running }.count == 2)
            let records = try await rig.store.instances(deploymentID: outcome.deploymentID)
            #expect(records.filter { $0.state == .active }.count == 2 && records.filter { $0.state == .terminated }.count == 1)
            try await rig.deployment.down(try #require(try await rig.store.deployment(id: outcome.deploymentID)))
            #expect(try await instances(rig, region: "us-west-2").allSatisfy { $0.status == .terminated })
        }
    }

    @Test func aHostThatRefusesSSHFailsTheDeploymentAndItsInstanceIsTerminated() async throws {
        let refusing = try RefusingPort()
        try await withRig(override: "nobody@127.0.0.1:\(refusing.port)", sshWait: .seconds(3)) { rig in
            let outcome = try await rig.deployment.up(Self.sleeper(replicas: 1), ttl: .hours(1))
            #expect(outcome.state == .failed)
            #expect(outcome.failures.first?.code == .ssh)
            let deployment = try #require(try await rig.store.deployment(id: outcome.deploymentID))
            #expect(deployment.state == .failed)
            let events = try await rig.store.events(deploymentID: deployment.id)
            #expect(events.contains { $0.kind == .error && $0.message.contains("127.0.0.1:\(refusing.port)") }, "the cause is on the timeline")
            #expect(try await instances(rig, region: "us-east-1").map(\.status) == [.terminated])
            #expect(try await rig.store.instances(deploymentID: deployment.id).map(\.state) == [.terminated])
        }
    }

    static func sleeper(replicas: Int) -> ServiceSpec {
        var spec = ServiceSpec(name: "worker", image: nil, command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"], replicas: replicas)
        spec.runtime = .native
        return spec
    }
}

enum RuntimeCommands {
    /// busybox httpd serving "ok", ending on TERM.
    static func server(port: Int) -> [String] {
        ["sh", "-c", "trap 'exit 0' TERM; mkdir -p www-\(port) && echo ok > www-\(port)/index.html && busybox httpd -f -p \(port) -h www-\(port) & wait"]
    }
}
