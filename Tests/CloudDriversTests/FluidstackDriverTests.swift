import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Fluidstack driver against the stateful fake (which Fluidstack's own SDK drives in ProviderClientPeerTests).
@Suite struct FluidstackDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    func withDriver(_ settings: FakeFluidstack.Settings = .init(), apiKey: String? = nil, _ body: (FluidstackDriver, CloudFake<FakeFluidstack>) async throws -> Void)
        async throws
    {
        try await withFakeDriver(FakeFluidstack(settings), provider: .fluidstack, environment: {
            ["FLUIDSTACK_API_KEY": apiKey ?? settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_FLUIDSTACK": $0.absoluteString]
        }) { driver, fake in try await body(try #require(driver as? FluidstackDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dfluid0000001", type: String = "H100_PCIE_80GB::1", region: String = "NORWAY") -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 100,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#!/bin/sh\necho boot\n", exposure: Exposure(mode: .public), ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    @Test func anInstanceIsCreatedWithTheRegisteredKeyRunsOnItsReportedLoginAndTerminates() async throws {
        var settings = FakeFluidstack.Settings()
        settings.address = { _ in "10.200.0.12" }
        settings.sshPort = 2200
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(Self.request("dfluid0000001-a1-r0"))
            #expect(made.status == .pending && made.region == "NORWAY" && made.instanceType == "H100_PCIE_80GB::1")
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.sshPort == 2200 && running.sshUser == "ubuntu")
            #expect(running.instanceType == "H100_PCIE_80GB::1" && running.region == "NORWAY", "read back from the instance's configuration")
            #expect(running.tags == [ResourceTags.ownerKey: Self.owner, ResourceTags.deploymentKey: "dfluid0000001"])
            let create = try #require(fake.exchanges.first { $0.request.route == "POST /instances" }?.request.json)
            #expect(create["ssh_key"] as? String == "blueprint-remote-\(try KeyFingerprint.md5(Self.key.authorizedKey).replacingOccurrences(of: ":", with: "").prefix(12))")
            #expect(create["operating_system_label"] as? String == "ubuntu_22_04_lts_nvidia" && create["gpu_count"] as? Int == 1)
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(fake.api.liveInstances.isEmpty && fake.api.keyCount == 1)
            #expect(fake.calls.filter { $0.hasPrefix("DELETE /instances/") }.count == 1, "the second terminate found it terminated and sent nothing")
        }
    }

    @Test func aLostAnswerLeavesOneInstanceAndASecondRunFindsIt() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /instances")
            let made = try await driver.create(Self.request("dfluid0000002-a1-r0", deployment: "dfluid0000002"))
            let again = try await driver.create(Self.request("dfluid0000002-a1-r0", deployment: "dfluid0000002"))
            #expect(Array(fake.api.liveInstances.keys) == [made.id] && again.id == made.id)
            #expect(fake.calls.filter { $0 == "POST /instances" }.count == 1)
            try await driver.terminate([made.id])
        }
    }

    @Test func stockBalanceAndCredentialsComeBackTypedAndOffersListEveryCountAndRegion() async throws {
        #expect(["running", "pending", "starting", "provisioning", "stopping", "stopped", "failed", "unhealthy", "shutting_down", "terminated", "new"].map(FluidstackWire.status) == [
            .running, .pending, .pending, .pending, .stopping, .stopped, .failed, .failed, .terminating, .terminated, .unknown,
        ])
        try await withDriver { driver, fake in
            let elsewhere = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dfluid0000003-a1-r0", deployment: "dfluid0000003", region: "JAPAN")) }
            #expect(elsewhere?.kind == .noCapacity(.region("JAPAN")) && elsewhere?.message.contains("CANADA") == true, "\(String(describing: elsewhere))")
            let nowhere = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("dfluid0000003-a1-r1", deployment: "dfluid0000003", type: "H100_PCIE_80GB::2"))
            }
            #expect(nowhere?.kind == .noCapacity(.provider))
            // Listed, then gone before the create (the API's own refusal).
            fake.fail("POST /instances", with: .json(400, ["message": "Configuration H100_PCIE_80GB x1 is out of stock in NORWAY"]))
            let gone = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dfluid0000003-a2-r0", deployment: "dfluid0000003")) }
            #expect(gone?.kind == .noCapacity(.region("NORWAY")), "\(String(describing: gone))")
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 7, "H100: 2 counts × 2 regions; A6000: 3 counts × 1 region")
            let eight = try #require(offers.first { $0.instanceType == "H100_PCIE_80GB::8" && $0.region == "CANADA" })
            #expect(eight.onDemandPrice == 23.12 && eight.gpu == Offer.GPU(model: "H100-PCIE", count: 8, memoryGB: 80), "\(eight)")
        }
        var broke = FakeFluidstack.Settings()
        broke.brokeAccount = true
        try await withDriver(broke) { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dfluid0000004-a1-r0", deployment: "dfluid0000004")) }
            #expect(refused?.kind == .quotaExceeded(.provider))
        }
        try await withDriver(apiKey: "wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
    }
}
