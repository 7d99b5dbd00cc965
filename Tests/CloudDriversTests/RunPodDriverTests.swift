import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The RunPod driver against the stateful fake, every exchange checked against RunPod's v2 document.
@Suite struct RunPodDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")
    static let environment = ["GREETING": "it's \"$HOME\" `x`\nline two ✓", "EMPTY": ""]

    func withDriver(_ settings: FakeRunPod.Settings = .init(), apiKey: String? = nil, _ body: (RunPodDriver, CloudFake<FakeRunPod>) async throws -> Void) async throws {
        try await withFakeDriver(FakeRunPod(settings), provider: .runpod, environment: {
            ["RUNPOD_API_KEY": apiKey ?? settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_RUNPOD": $0.absoluteString]
        }) { driver, fake in try await body(try #require(driver as? RunPodDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "drunpod00001", type: String = "NVIDIA H100 80GB HBM3", region: String = "secure") -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 49.5,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date().addingTimeInterval(3600)),
            sshPublicKey: key.authorizedKey, exposure: Exposure(mode: .public), ports: [PortMapping(hostPort: 8080, containerPort: 8080)],
            container: ContainerLaunch(image: "nginx:1.27", environment: environment, command: ["nginx", "-g", "daemon off;"], ports: [22, 8080]))
    }

    @Test func aPodIsCreatedRunsWithItsPublishedPortsAndTerminatingRemovesIt() async throws {
        var settings = FakeRunPod.Settings()
        settings.publish = { _, port in ("10.200.0.13", port == 22 ? 2222 : 18_090) }
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(Self.request("drunpod00001-a1-r0"))
            #expect(made.status == .pending && made.region == "secure" && made.instanceType == "NVIDIA H100 80GB HBM3")
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.13" && running.sshPort == 2222 && running.zone == "US-TX-3")
            #expect(running.publishedPorts == [PortMapping(hostPort: 2222, containerPort: 22), PortMapping(hostPort: 18_090, containerPort: 8080)])
            #expect(running.tags[ResourceTags.ownerKey] == Self.owner && running.tags[ResourceTags.deploymentKey] == "drunpod00001")
            let container = try #require(fake.api.container(of: made.id))
            #expect(container.ports == ["22/tcp", "8080/tcp"] && container.args == ShellCommand(["nginx", "-g", "daemon off;"]).text)
            #expect(container.env.filter { $0.key != "PUBLIC_KEY" } == Self.environment, "byte-exact")
            #expect(container.env["PUBLIC_KEY"] == Self.key.authorizedKey, "the tool's key, where RunPod's images take it")
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty && fake.api.livePods.isEmpty)
        }
    }

    @Test func aLostAnswerToCreateLeavesExactlyOnePod() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /v2/pods")
            let made = try await driver.create(Self.request("drunpod00002-a1-r0", deployment: "drunpod00002"))
            #expect(Array(fake.api.livePods.keys) == [made.id])
            #expect(fake.calls.filter { $0 == "POST /v2/pods" }.count == 1, "found by name, not made again")
        }
    }

    @Test func soldOutUnknownTypesAndCredentialsComeBackTyped() async throws {
        var settings = FakeRunPod.Settings()
        settings.soldOut = ["NVIDIA H100 PCIe"]
        try await withDriver(settings) { driver, fake in
            let soldOut = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("drunpod00003-a1-r0", deployment: "drunpod00003", type: "2x NVIDIA H100 PCIe", region: "community"))
            }
            #expect(soldOut?.kind == .noCapacity(.region("community")), "\(String(describing: soldOut))")
            let create = try #require(fake.exchanges.first { $0.request.route == "POST /v2/pods" }?.request.json)
            #expect((create["gpu"] as? [String: Any])?["count"] as? Int == 2 && create["cloud"] as? String == "COMMUNITY" && create["disk"] as? Int == 50)
            let badRegion = await #expect(throws: ValidationError.self) { try await driver.create(Self.request("drunpod00003-a1-r1", region: "us-east")) }
            #expect(badRegion?.field == "region")
            fake.fail("POST /v2/pods", with: FakeRunPod.problem(400, "Bad Request", "Insufficient balance to deploy this pod. Please add credits."))
            let broke = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("drunpod00003-a1-r2", deployment: "drunpod00003")) }
            #expect(broke?.kind == .quotaExceeded(.provider), "\(String(describing: broke))")
            fake.fail("GET /v2/pods", with: FakeRunPod.problem(429, "Too Many Requests", "rate limit exceeded for the minute window"))
            #expect(try await driver.describe(["nothing"]).isEmpty, "a 429 is waited out")
        }
        try await withDriver(apiKey: "rpa_wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials && refused?.message.contains("rpa_wrong") == false)
        }
    }

    @Test func offersAreTheGPUTypesInStockPerCloudAndCount() async throws {
        try await withDriver { driver, _ in
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(!offers.contains { $0.instanceType.contains("A40") }, "out of stock")
            let h100 = try #require(offers.first { $0.instanceType == "NVIDIA H100 80GB HBM3" && $0.region == "community" })
            #expect(h100.gpu == Offer.GPU(model: "H100-SXM", count: 1, memoryGB: 80) && h100.onDemandPrice == 2.69)
            #expect(offers.first { $0.instanceType == "8x NVIDIA H100 80GB HBM3" && $0.region == "secure" }?.onDemandPrice == 8 * 2.99)
            #expect(!offers.contains { $0.instanceType == "8x NVIDIA H100 PCIe" }, "at most four of those")
            #expect(offers.first { $0.instanceType == "NVIDIA GeForce RTX 4090" }?.gpu?.model == "RTX4090")
        }
        #expect(RunPodTypes.parse("4x NVIDIA H100 PCIe") == ("NVIDIA H100 PCIe", 4) && RunPodTypes.parse("NVIDIA A40") == ("NVIDIA A40", 1))
        #expect(RunPodWire.status("EXITED") == .stopped && RunPodWire.status("ERROR") == .failed && RunPodWire.status("NEW") == .unknown)
    }
}
