import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Hetzner driver against the stateful fake, every exchange checked against Hetzner's document.
@Suite struct HetznerDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    func withDriver(
        _ settings: FakeHetzner.Settings = .init(), token: String? = nil, extra: [String: String] = [:],
        _ body: (HetznerDriver, CloudFake<FakeHetzner>) async throws -> Void
    ) async throws {
        try await withFakeDriver(FakeHetzner(settings), provider: .hetzner, environment: {
            ["HCLOUD_TOKEN": token ?? settings.token, "BLUEPRINT_REMOTE_ENDPOINT_HETZNER": $0.absoluteString + "/v1"].merging(extra) { $1 }
        }) { driver, fake in try await body(try #require(driver as? HetznerDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dhetzner00001", type: String = "cx23", region: String = "fsn1", owner: String = owner) throws -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 40,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#!/bin/sh\necho hi\n",
            exposure: Exposure(mode: .public, allowedCIDRs: [try CIDR.parse("198.51.100.0/24").get(), try CIDR.parse("2001:db8::/32").get()]),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    static func untilRunning(_ driver: HetznerDriver, _ made: Instance) async throws -> Instance {
        var running = made
        for _ in 0..<40 where running.status != .running {
            try await Task.sleep(for: .milliseconds(100))
            running = try await driver.describe([made.id]).first ?? running
        }
        return running
    }

    @Test func aServerIsCreatedRunsWithItsAddressAndTerminatingRemovesItAndItsFirewall() async throws {
        var settings = FakeHetzner.Settings()
        settings.address = { _ in "10.200.0.12" }
        // Deleting until the test says: the firewall's delete meets the server still holding it.
        settings.deletion = .seconds(3600)
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(try Self.request("dhetzner00001-a1-r0"))
            #expect(made.status == .pending && made.region == "fsn1" && made.instanceType == "cx23")
            #expect(made.tags[ResourceTags.ownerKey] == Self.owner && made.tags[ResourceTags.expiresKey] == "2027-01-15T08:00:00Z", "the expiry reads back as RFC 3339")
            let running = try await Self.untilRunning(driver, made)
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.sshUser == "root")
            #expect(fake.api.liveServers[Int(made.id) ?? 0]?[ResourceTags.expiresKey] == "20270115T080000Z", "a label value cannot hold ':'")
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            #expect(try await driver.list(tag: ResourceTags.expiresKey, value: "2027-01-15T08:00:00Z").map(\.id) == [made.id])
            #expect(fake.api.firewallNames == ["blueprint-remote-dhetzner00001"])
            #expect(
                fake.api.rules(of: "blueprint-remote-dhetzner00001") == ["tcp 22 from 198.51.100.0/24,2001:db8::/32", "tcp 8080 from 198.51.100.0/24,2001:db8::/32"])
            let create = try #require(fake.exchanges.first { $0.request.route == "POST /v1/servers" }?.request.json)
            #expect(create["image"] as? String == "ubuntu-24.04" && (create["firewalls"] as? [[String: Int]])?.count == 1)
            async let terminated: Void = driver.terminate([made.id])
            let refused: @Sendable () -> Bool = { fake.exchanges.contains { $0.request.route.hasPrefix("DELETE /v1/firewalls/") && $0.response?.status == 422 } }
            for _ in 0..<1200 where !refused() { try await Task.sleep(for: .milliseconds(50)) }
            #expect(refused(), "the firewall's delete is refused (resource_in_use) while the server is deleting")
            fake.api.finishDeletions()
            try await terminated
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty)
            #expect(fake.api.liveServers.isEmpty && fake.api.firewallNames.isEmpty, "asked again until the server let go of it")
            #expect(fake.api.keyCount == 1, "the tool's key stays registered")
        }
    }

    @Test func aLostAnswerLeavesOneServerAndASecondRunOfTheRequestAdoptsIt() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /v1/servers")
            let made = try await driver.create(try Self.request("dhetzner00002-a1-r0", deployment: "dhetzner00002"))
            #expect(fake.api.liveServers.keys.map(String.init) == [made.id])
            #expect(fake.calls.filter { $0 == "POST /v1/servers" }.count == 1, "found by name, not made again")
            // The same request once more (a retry of the whole step): the API says the name is taken; it is ours.
            let again = try await driver.create(try Self.request("dhetzner00002-a1-r0", deployment: "dhetzner00002"))
            #expect(again.id == made.id && fake.api.liveServers.count == 1)
            // The same name asked by another deployment is refused, not adopted.
            let stranger = await #expect(throws: ProviderError.self) {
                try await driver.create(try Self.request("dhetzner00002-a1-r0", deployment: "dhetzner00099"))
            }
            #expect(stranger?.kind == .conflict && fake.api.liveServers.count == 1)
            try await driver.terminate([made.id])
        }
    }

    @Test func capacityLimitsRateLimitsAndCredentialsComeBackTypedAndPagesAreFollowed() async throws {
        var settings = FakeHetzner.Settings()
        settings.unavailable = ["ccx13@nbg1"]
        settings.maxPerPage = 2
        settings.serverLimit = 6
        try await withDriver(settings) { driver, fake in
            let soldOut = await #expect(throws: ProviderError.self) {
                try await driver.create(try Self.request("dhetzner00003-a1-r0", deployment: "dhetzner00003", type: "ccx13", region: "nbg1"))
            }
            #expect(soldOut?.kind == .noCapacity(.region("nbg1")), "\(String(describing: soldOut))")
            #expect(fake.api.firewallNames.isEmpty, "the deployment's only create failed: its firewall went with it")
            var made: [String] = []
            for index in 0..<6 { made.append(try await driver.create(try Self.request("dhetzner00003-a2-r\(index)", deployment: "dhetzner00003")).id) }
            let limit = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dhetzner00003-a2-r6", deployment: "dhetzner00003")) }
            #expect(limit?.kind == .quotaExceeded(.provider))
            #expect(Set(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id)) == Set(made), "three pages of two")
            // A rate limit is waited out until RateLimit-Reset, then the call goes through.
            fake.fail("GET /v1/servers", with: FakeHetzner.error(429, "rate_limit_exceeded", "limit of 3600 requests per hour reached"))
            #expect(try await driver.list(tag: ResourceTags.deploymentKey, value: "dhetzner00003").count == 6)
            try await driver.terminate(made)
            #expect(fake.api.firewallNames.isEmpty)
        }
        try await withDriver(token: "wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
    }

    @Test func offersAreTheOrderableTypesPerLocationInDollars() async throws {
        try await withDriver { driver, _ in
            let offers = try await driver.offers(for: ResourceSpec())
            let rows = Set(offers.map { "\($0.instanceType)@\($0.region)" })
            #expect(rows.contains("cx23@fsn1") && rows.contains("cax11@hel1") && rows.contains("ccx13@ash"))
            #expect(!rows.contains("ccx13@hel1"), "listed there as not orderable now")
            #expect(!rows.contains { $0.hasPrefix("cx22@") }, "past its deprecation")
            let cx23 = try #require(offers.first { $0.instanceType == "cx23" && $0.region == "fsn1" })
            #expect(abs((cx23.onDemandPrice ?? 0) - 0.0088 * CurrencyRates.standard.toUSD("EUR")!) < 1e-9 && cx23.vcpus == 2 && cx23.memoryGB == 4)
            #expect(offers.first { $0.instanceType == "cax11" }?.arch == .arm64)
        }
        try await withDriver(extra: ["BLUEPRINT_REMOTE_HETZNER_CURRENCY": "usd"]) { driver, _ in
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.first { $0.instanceType == "cx23" }?.onDemandPrice == 0.0088, "a USD project's prices are dollars")
        }
    }

    @Test func labelsFollowHetznersRules() throws {
        let tags = ResourceTags(deployment: "d1", owner: Self.owner, expires: Date(timeIntervalSince1970: 1_800_000_000))
        let labels = try HetznerLabels.encode(tags)
        #expect(labels[ResourceTags.expiresKey] == "20270115T080000Z" && HetznerLabels.decode(labels) == tags.dictionary)
        #expect(throws: ValidationError.self) { try HetznerLabels.encode(ResourceTags(deployment: "bad/deployment", owner: Self.owner, expires: nil)) }
        #expect(HetznerLabels.selector(ResourceTags.expiresKey, "2027-01-15T08:00:00Z") == "blueprint-remote-expires==20270115T080000Z")
        #expect(HetznerWire.status("deleting") == .terminating && HetznerWire.status("off") == .stopped && HetznerWire.status("rebuilding") == .pending)
        #expect(HetznerWire.status("something-new") == .unknown, "nothing unmapped becomes running")
    }
}
