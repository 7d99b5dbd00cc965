import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Vultr driver against the stateful fake, every exchange checked against Vultr's own API document.
@Suite struct VultrDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    func withDriver(_ settings: FakeVultr.Settings = .init(), apiKey: String? = nil, _ body: (VultrDriver, CloudFake<FakeVultr>) async throws -> Void) async throws {
        try await withFakeDriver(FakeVultr(settings), provider: .vultr, environment: {
            ["VULTR_API_KEY": apiKey ?? settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_VULTR": $0.absoluteString + "/v2"]
        }) { driver, fake in try await body(try #require(driver as? VultrDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dvultr000001", plan: String = "vc2-1c-1gb") throws -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: "ewr", instanceType: plan, diskGB: 25,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#!/bin/sh\necho hi\n",
            exposure: Exposure(mode: .public, allowedCIDRs: [try CIDR.parse("198.51.100.0/24").get(), try CIDR.parse("2001:db8::/32").get()]),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    @Test func anInstanceIsCreatedRunsWithItsAddressAndTerminatingRemovesItAndItsFirewallGroup() async throws {
        var settings = FakeVultr.Settings()
        settings.address = { _ in "10.200.0.12" }
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(try Self.request("dvultr000001-a1-r0"))
            #expect(made.status == .pending && made.publicAddress == nil && made.region == "ewr" && made.instanceType == "vc2-1c-1gb")
            #expect(made.tags[ResourceTags.ownerKey] == Self.owner && made.tags[ResourceTags.expiresKey] == "2027-01-15T08:00:00Z")
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.sshUser == "root")
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            #expect(fake.api.firewallDescriptions == ["blueprint-remote-dvultr000001"])
            #expect(fake.calls.filter { $0 == "POST /v2/firewalls/\(fake.api.firewallIDs.first ?? "")/rules" }.count == 4, "SSH and 8080, from each allowed CIDR")
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty)
            #expect(fake.api.firewallDescriptions.isEmpty && fake.api.keyCount == 1)
        }
    }

    @Test func aLostAnswerToCreateLeavesExactlyOneInstance() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /v2/instances")
            let made = try await driver.create(try Self.request("dvultr000002-a1-r0", deployment: "dvultr000002"))
            #expect(Array(fake.api.liveInstances.keys) == [made.id])
            #expect(fake.calls.filter { $0 == "POST /v2/instances" }.count == 1, "found by label, not made again")
        }
    }

    @Test func capacityLimitsAndCredentialsComeBackTypedAndPagesAreFollowed() async throws {
        var settings = FakeVultr.Settings()
        settings.soldOut = ["vc2-2c-4gb"]
        settings.maxPerPage = 2
        try await withDriver(settings) { driver, fake in
            let soldOut = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dvultr000003-a1-r0", deployment: "dvultr000003", plan: "vc2-2c-4gb")) }
            #expect(soldOut?.kind == .noCapacity(.region("ewr")), "\(String(describing: soldOut))")
            #expect(fake.api.firewallDescriptions.isEmpty, "the deployment's only create failed: its firewall group went with it")
            fake.fail("POST /v2/instances", with: FakeVultr.error(400, "You have reached the maximum monthly fee limit or instance limit for this account."))
            let limit = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dvultr000003-a1-r1", deployment: "dvultr000003")) }
            #expect(limit?.kind == .quotaExceeded(.provider))
            var made: [String] = []
            for index in 0..<5 { made.append(try await driver.create(try Self.request("dvultr000003-a2-r\(index)", deployment: "dvultr000003")).id) }
            #expect(Set(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id)) == Set(made))
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 9 && offers.allSatisfy { ($0.onDemandPrice ?? 0) > 0 })
            try await driver.terminate(made)
            #expect(fake.api.liveInstances.isEmpty && fake.api.firewallDescriptions.isEmpty)
        }
        try await withDriver(apiKey: "wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
    }
}
