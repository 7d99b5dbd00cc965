import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Lium driver against the stateful fake (which `lium-io` itself drives in ProviderClientPeerTests).
@Suite struct LiumDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")
    /// Every byte that must reach the container as it is: quotes, `$`, a newline, non-ASCII.
    static let environment = ["GREETING": "it's \"$HOME\" `x`\nline two ✓", "EMPTY": ""]

    func withDriver(_ settings: FakeLium.Settings = .init(), apiKey: String? = nil, _ body: (LiumDriver, CloudFake<FakeLium>) async throws -> Void) async throws {
        try await withFakeDriver(FakeLium(settings), provider: .lium, environment: {
            ["LIUM_API_KEY": apiKey ?? settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LIUM": $0.absoluteString + "/api"]
        }) { driver, fake in try await body(try #require(driver as? LiumDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dlium0000001", type: String = "1x-H100", region: String = "any") -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 50,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date().addingTimeInterval(5 * 3600 - 60)),
            sshPublicKey: key.authorizedKey, exposure: Exposure(mode: .public), ports: [PortMapping(hostPort: 8080, containerPort: 8080)],
            container: ContainerLaunch(image: "nginx:1.27", environment: environment, command: ["sh", "-c", "echo 'hi there' && exec nginx"], ports: [22, 8080]))
    }

    @Test func aPodIsRentedRunsWithItsMappedPortsAndTerminatingReleasesTheNode() async throws {
        var settings = FakeLium.Settings()
        settings.publish = { _, port in ("10.200.0.13", port == 22 ? 2222 : 18_080) }
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(Self.request("dlium0000001-a1-r0"))
            #expect(made.status == .pending && made.instanceType == "5e6f7a8b-9cad-4ecf-9041-404142434445", "the cheapest H100 node listed")
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.13" && running.sshPort == 2222 && running.sshUser == "root")
            #expect(running.publishedPorts == [PortMapping(hostPort: 2222, containerPort: 22), PortMapping(hostPort: 18_080, containerPort: 8080)])
            #expect(running.tags[ResourceTags.deploymentKey] == "dlium0000001" && running.tags[ResourceTags.ownerKey] == Self.owner)
            let container = try #require(fake.api.container(of: made.id))
            #expect(container.image == "nginx:1.27" && container.environment == Self.environment && container.ports == [22, 8080], "byte-exact")
            #expect(container.startup == ShellCommand(["sh", "-c", "echo 'hi there' && exec nginx"]).text, "the command, quoted by the one command builder")
            let removal = try #require(fake.api.removal(of: made.id))
            #expect(abs(removal.timeIntervalSinceNow - 5 * 3600) < 120, "Lium ends the pod at the TTL, rounded up to the hour")
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            #expect(try await driver.offers(for: ResourceSpec()).allSatisfy { $0.instanceType != made.instanceType }, "a rented node leaves the listing")
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty && fake.api.livePods.isEmpty)
            #expect(try await driver.offers(for: ResourceSpec()).contains { $0.instanceType == made.instanceType }, "and comes back when released")
        }
    }

    @Test func aLostAnswerOrASecondRunOfTheRequestLeavesExactlyOneRental() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /api/executors/5e6f7a8b-9cad-4ecf-9041-404142434445/rent")
            let made = try await driver.create(Self.request("dlium0000002-a1-r0", deployment: "dlium0000002"))
            #expect(Array(fake.api.livePods.keys) == [made.id])
            let rents = fake.exchanges.filter { $0.request.route.hasSuffix("/rent") }
            #expect(rents.count == 2 && Set(rents.compactMap { $0.request.header("Idempotency-Key") }).count == 1, "resent with the same key")
            let again = try await driver.create(Self.request("dlium0000002-a1-r0", deployment: "dlium0000002"))
            #expect(again.id == made.id && fake.api.livePods.count == 1 && fake.api.templateCount == 1, "the same pod, the same template")
            try await driver.terminate([made.id])
        }
    }

    @Test func aNodeTakenMeanwhileQuotaAndCredentialsComeBackTyped() async throws {
        try await withDriver { driver, fake in
            // Someone else rents the cheapest H100 between our listing and our rent: the next one is taken.
            fake.fail("POST /api/executors/5e6f7a8b-9cad-4ecf-9041-404142434445/rent", with: FakeLium.error(409, "executor_not_available", "Executor is already rented"))
            let second = try await driver.create(Self.request("dlium0000003-a1-r0", deployment: "dlium0000003"))
            #expect(second.instanceType == "0f3e5a7c-1d2b-4c6e-8a9f-101112131415")
            // A node asked for by id and gone is a typed no-capacity error, so the orchestrator moves on.
            let taken = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("dlium0000003-a1-r1", deployment: "dlium0000003", type: "0f3e5a7c-1d2b-4c6e-8a9f-101112131415", region: "us"))
            }
            #expect(taken?.kind == .noCapacity(.region("us")), "\(String(describing: taken))")
            let none = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("dlium0000003-a1-r2", deployment: "dlium0000003", type: "4x-H200"))
            }
            #expect(none?.kind == .noCapacity(.region("any")))
            fake.fail("POST /api/executors/4d5e6f7a-8b9c-4dbe-8f30-343536373839/rent", with: FakeLium.error(402, "API_KEY_BUDGET_EXCEEDED", "budget reached"))
            let broke = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("dlium0000003-a1-r3", deployment: "dlium0000003", type: "4d5e6f7a-8b9c-4dbe-8f30-343536373839"))
            }
            #expect(broke?.kind == .quotaExceeded(.provider))
            try await driver.terminate([second.id])
        }
        try await withDriver(apiKey: "sk_wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials && refused?.message.contains("sk_wrong") == false)
        }
    }

    @Test func offersAreTheListedNodesWithTheirGPUsSpecsAndPrices() async throws {
        try await withDriver { driver, _ in
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 6)
            let eight = try #require(offers.first { $0.gpu?.count == 8 })
            #expect(eight.gpu?.model == "H100-SXM" && abs((eight.onDemandPrice ?? 0) - 8 * 2.09) < 1e-9 && eight.region == "us")
            #expect(abs((eight.gpu?.memoryGB ?? 0) - 79.65) < 0.01 && eight.vcpus == 32 && abs((eight.memoryGB ?? 0) - 245.1) < 0.1)
            #expect(offers.first { $0.gpu?.model == "H100-PCIE" } != nil)
            let spot = try #require(offers.first { $0.gpu?.model == "RTX4090" })
            #expect(spot.spotPrice == 0.70 && spot.onDemandPrice == nil, "a spot-tier node is interruptible")
        }
        #expect(LiumDriver.terminationHours(until: Date(timeIntervalSince1970: 7200.5), now: Date(timeIntervalSince1970: 0)) == 3)
        #expect(LiumWire.sshTarget("ssh root@203.0.113.9 -p 40022")?.port == 40022 && LiumWire.sshTarget("ssh -p 1 x") == nil)
        #expect(LiumWire.status("CREATION_FAILED") == .failed && LiumWire.status("DELETING") == .terminating && LiumWire.status("NEW_THING") == .unknown)
        #expect(PodNames.idempotencyKey("a") == PodNames.idempotencyKey("a") && PodNames.idempotencyKey("a") != PodNames.idempotencyKey("b"))
    }
}
