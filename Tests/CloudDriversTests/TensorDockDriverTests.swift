import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The TensorDock driver against the stateful fake, which plays the API v2 as its pages show it.
@Suite struct TensorDockDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")
    static let austin = "1a779525-4c04-4f2c-aa45-58b47d54bb38"
    static let helsinki = "9d2a6c3e-0b7f-4f1e-8c5d-2e4f6a8b0c1d"

    func withDriver(_ settings: FakeTensorDock.Settings = .init(), token: String? = nil, _ body: (TensorDockDriver, CloudFake<FakeTensorDock>) async throws -> Void)
        async throws
    {
        try await withFakeDriver(FakeTensorDock(settings), provider: .tensordock, environment: {
            ["TENSORDOCK_API_KEY": token ?? settings.token, "BLUEPRINT_REMOTE_ENDPOINT_TENSORDOCK": $0.absoluteString + "/api/v2"]
        }) { driver, fake in try await body(try #require(driver as? TensorDockDriver), fake) }
    }

    static func request(
        _ id: String, deployment: String = "dtensor000001", type: String = "1x-geforcertx4090-pcie-24gb", region: String = austin,
        cidrs: [CIDR] = [.anywhereIPv4]
    ) -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 40,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#!/bin/sh\nset -e\necho boot\n", exposure: Exposure(mode: .public, allowedCIDRs: cidrs),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    @Test func aMachineIsCreatedOnADedicatedIPWithTheKeyTwiceRunsAndTerminates() async throws {
        var settings = FakeTensorDock.Settings()
        settings.address = { _ in "10.200.0.12" }
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(Self.request("dtensor000001-a1-r0"))
            #expect(made.status == .pending && made.region == Self.austin && made.sshUser == "user")
            #expect(made.tags == [ResourceTags.ownerKey: Self.owner, ResourceTags.deploymentKey: "dtensor000001"], "owner and deployment ride in the name")
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.sshPort == 22 && running.sshUser == "user")
            let create = try #require(fake.exchanges.first { $0.request.route == "POST /api/v2/instances" }?.request.json)
            let attributes = try #require((create["data"] as? [String: Any])?["attributes"] as? [String: Any])
            let resources = try #require(attributes["resources"] as? [String: Any])
            #expect(resources["vcpu_count"] as? Int == 8 && resources["ram_gb"] as? Int == 32 && resources["storage_gb"] as? Int == 100, "\(resources)")
            #expect(attributes["useDedicatedIp"] as? Bool == true && attributes["image"] as? String == "ubuntu2404")
            let boot = try #require(fake.api.boot(of: made.id))
            #expect(boot.sshKey == Self.key.authorizedKey && boot.runcmd.count == 2 && boot.runcmd[0].contains("authorized_keys"))
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty && fake.api.liveInstances.isEmpty)
        }
    }

    @Test func aLostAnswerLeavesOneMachineAndASecondRunFindsIt() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /api/v2/instances")
            let made = try await driver.create(Self.request("dtensor000002-a1-r0", deployment: "dtensor000002"))
            let again = try await driver.create(Self.request("dtensor000002-a1-r0", deployment: "dtensor000002"))
            #expect(Array(fake.api.liveInstances.keys) == [made.id] && again.id == made.id)
            #expect(fake.calls.filter { $0 == "POST /api/v2/instances" }.count == 1)
            try await driver.terminate([made.id])
        }
    }

    @Test func stockBalanceAndCredentialsComeBackTypedAndOffersArePricedWhole() async throws {
        #expect(["running", "creating", "Stopped", "StoppedDisassociated", "stopped_disassociated", "deleting", "deleted", "error", "mystery"].map(TensorDockWire.status) == [
            .running, .pending, .stopped, .stopped, .stopped, .terminating, .terminated, .failed, .unknown,
        ])
        try await withDriver { driver, fake in
            let tooMany = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dtensor000003-a1-r0", deployment: "dtensor000003", type: "8x-geforcertx4090-pcie-24gb")) }
            #expect(tooMany?.kind == .noCapacity(.provider), "no location lists eight: \(String(describing: tooMany))")
            let noIP = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dtensor000003-a1-r1", deployment: "dtensor000003", region: Self.helsinki)) }
            #expect(noIP?.kind == .noCapacity(.region(Self.helsinki)) && noIP?.message.contains(Self.austin) == true, "Austin has it: \(String(describing: noIP))")
            let narrowed = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("dtensor000003-a1-r2", deployment: "dtensor000003", cidrs: [try CIDR.parse("198.51.100.0/24").get()]))
            }
            #expect(narrowed?.kind == .unsupported && narrowed?.message.contains("allowed_cidrs") == true)
            // The listing said yes; the create meets an empty location (TensorDock's stale stock), answered with HTTP 200.
            fake.fail("POST /api/v2/instances", with: .json(200, ["status": 400, "error": "No available nodes found"]))
            let stale = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dtensor000003-a2-r0", deployment: "dtensor000003")) }
            #expect(stale?.kind == .noCapacity(.region(Self.austin)), "\(String(describing: stale))")
            let catalogs = try await driver.create(Self.request("dtensor000003-a3-r0", deployment: "dtensor000003", type: "1x-RTX4090", region: "any"))
            #expect(catalogs.region == Self.austin, "the bundled catalog's type and region: the cheapest location with the GPU")
            try await driver.terminate([catalogs.id])
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 7, "1, 2, 4 of the 4090s and 1–8 H100s in Austin; Helsinki has no dedicated IPs")
            let one = try #require(offers.first { $0.instanceType == "1x-geforcertx4090-pcie-24gb" })
            #expect(one.onDemandPrice == 0.4430 && one.gpu?.model == "RTX4090" && one.vcpus == 8 && one.memoryGB == 32, "0.35 + 8×0.003 + 32×0.002 + 100×0.00005: \(one)")
        }
        var broke = FakeTensorDock.Settings()
        broke.brokeAccount = true
        try await withDriver(broke) { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dtensor000004-a1-r0", deployment: "dtensor000004")) }
            #expect(refused?.kind == .quotaExceeded(.provider))
        }
        try await withDriver(token: "wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
    }
}
