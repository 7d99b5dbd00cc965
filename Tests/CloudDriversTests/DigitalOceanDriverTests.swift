import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The DigitalOcean driver against the stateful fake, every exchange checked against
/// DigitalOcean's own API document.
@Suite struct DigitalOceanDriverTests {
    static let owner = "0f8fad5b-d9cb-469f-a165-70867728950e"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    /// A fake, a driver pointed at it, and the check of every exchange at the end.
    func withDriver(
        _ settings: FakeDigitalOcean.Settings = .init(), token: String? = nil, _ body: (DigitalOceanDriver, CloudFake<FakeDigitalOcean>) async throws -> Void
    ) async throws {
        try await withFakeDriver(FakeDigitalOcean(settings), provider: .digitalocean, environment: {
            ["DIGITALOCEAN_TOKEN": token ?? settings.token, "BLUEPRINT_REMOTE_ENDPOINT_DIGITALOCEAN": $0.absoluteString]
        }) { driver, fake in try await body(try #require(driver as? DigitalOceanDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dtest0000001", size: String = "s-1vcpu-1gb", ports: [PortMapping] = []) throws -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: "nyc3", instanceType: size, diskGB: 25,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: Self.key.authorizedKey, userData: "#!/bin/sh\necho hi\n",
            exposure: Exposure(mode: .public, allowedCIDRs: [try CIDR.parse("198.51.100.0/24").get()]), ports: ports)
    }

    static func untilRunning(_ driver: DigitalOceanDriver, _ id: String) async throws -> Instance? {
        for _ in 0..<40 {
            if let found = try await driver.describe([id]).first, found.status == .running { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func aDropletIsCreatedRunsWithItsAddressAndTerminatingRemovesItAndItsFirewall() async throws {
        var settings = FakeDigitalOcean.Settings()
        settings.address = { _ in "10.200.0.11" }
        try await withDriver(settings) { driver, fake in
            let request = try Self.request("dtest0000001-a1-r0", ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
            let made = try await driver.create(request)
            #expect(made.status == .pending && made.publicAddress == nil && made.region == "nyc3" && made.instanceType == "s-1vcpu-1gb")
            #expect(made.tags[ResourceTags.ownerKey] == Self.owner && made.tags[ResourceTags.expiresKey] == "2027-01-15T08:00:00Z")
            let running = try #require(try await Self.untilRunning(driver, made.id))
            #expect(running.publicAddress == "10.200.0.11" && running.sshUser == "root")
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: "someone-else").isEmpty)
            #expect(fake.api.firewallNames == ["blueprint-remote-dtest0000001"])
            #expect(fake.api.keyCount == 1)

            try await driver.terminate([made.id])
            try await driver.terminate([made.id])  // already gone is success
            #expect(try await driver.describe([made.id]).isEmpty)
            #expect(fake.api.firewallNames.isEmpty, "the firewall goes with the deployment's last droplet")
            #expect(fake.api.keyCount == 1, "the tool's key stays registered, for reuse")
            #expect(try await driver.describe(["123456789", "not-a-number"]).isEmpty, "unknown ids are left out")
        }
    }

    @Test func aLostAnswerToCreateLeavesExactlyOneDroplet() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /v2/droplets")
            let made = try await driver.create(try Self.request("dtest0000002-a1-r0", deployment: "dtest0000002"))
            #expect(fake.api.liveDroplets.count == 1 && fake.api.liveDroplets.keys.map(String.init) == [made.id])
            #expect(fake.calls.filter { $0 == "POST /v2/droplets" }.count == 1, "found by name, not made again")
            // The key and firewall of a second droplet are looked up once per driver.
            _ = try await driver.create(try Self.request("dtest0000002-a1-r1", deployment: "dtest0000002"))
            #expect(fake.calls.filter { $0 == "POST /v2/firewalls" || $0 == "POST /v2/account/keys" }.count == 2)
        }
    }

    @Test func capacityLimitsCredentialsAndRateLimitsComeBackTyped() async throws {
        var settings = FakeDigitalOcean.Settings()
        settings.soldOut = ["c-4"]
        try await withDriver(settings) { driver, fake in
            let soldOut = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dtest0000003-a1-r0", size: "c-4")) }
            #expect(soldOut?.kind == .noCapacity(.region("nyc3")), "\(String(describing: soldOut))")
            #expect(fake.api.firewallNames.isEmpty, "the deployment's only create failed: its firewall went with it")
            // One create failing while another of the deployment succeeds: the firewall stays, whichever ends first.
            async let failing = try? driver.create(try Self.request("dtest0000004-a1-r0", deployment: "dtest0000004", size: "c-4"))
            async let succeeding = driver.create(try Self.request("dtest0000004-a1-r1", deployment: "dtest0000004"))
            let (lost, kept) = try await (failing, succeeding)
            #expect(lost == nil && fake.api.firewallNames == ["blueprint-remote-dtest0000004"])
            try await driver.terminate([kept.id])
            #expect(fake.api.firewallNames.isEmpty)
            fake.fail("POST /v2/droplets", with: FakeDigitalOcean.error(422, "unprocessable_entity", "creating this/these droplet(s) will exceed your droplet limit"))
            let limit = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dtest0000003-a1-r1")) }
            #expect(limit?.kind == .quotaExceeded(.provider))
            fake.fail("GET /v2/account", with: FakeDigitalOcean.error(429, "too_many_requests", "API rate limit exceeded.", resetIn: 1), times: 3)
            let slow = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            if case .rateLimited? = slow?.kind {} else { Issue.record("expected rateLimited, got \(String(describing: slow))") }
            let account = try await driver.checkCredentials()
            #expect(account.contains("droplet limit 25"))
        }
        try await withDriver(token: "dop_v1_wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials && refused?.message.contains("dop_v1_wrong") == false)
        }
    }

    @Test func listsAreFollowedPageByPage() async throws {
        var settings = FakeDigitalOcean.Settings()
        settings.maxPerPage = 2
        try await withDriver(settings) { driver, fake in
            var made: [String] = []
            for index in 0..<5 { made.append(try await driver.create(try Self.request("dtest0000004-a1-r\(index)", deployment: "dtest0000004")).id) }
            #expect(Set(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id)) == Set(made))
            #expect(fake.calls.filter { $0 == "GET /v2/droplets" }.count >= 3)
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 12 && offers.allSatisfy { $0.onDemandPrice != nil && $0.provider == .digitalocean })
            let gpu = try #require(offers.first { $0.instanceType == "gpu-h100x1-80gb" })
            #expect(gpu.gpu?.model == "H100-SXM" || gpu.gpu?.model == "H100-PCIE" || gpu.gpu?.model == "H100", "\(String(describing: gpu.gpu))")
            #expect(gpu.gpu?.memoryGB == 80)
            try await driver.terminate(made)
            #expect(fake.api.liveDroplets.isEmpty && fake.api.firewallNames.isEmpty)
        }
    }

    /// The check can fail: an invented request field and an answer missing required fields are caught.
    @Test func theContractCheckCatchesAnInventedFieldAndAnIncompleteAnswer() async throws {
        guard requiredService("BLUEPRINT_TEST_CONTRACT_URL", "the contract checker") != nil else { return }
        let settings = FakeDigitalOcean.Settings()
        let fake = try await CloudFake(FakeDigitalOcean(settings))
        fake.fail("GET /v2/account", with: .json(200, ["account": ["status": "active"]]))
        let violations = try #require(
            try await fake.violations(of: [
                ("POST", "/v2/droplets", #"{"name": "bp-x", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "region": "nyc3", "ssh_key_ids": [1]}"#),
                ("GET", "/v2/account", ""),
            ], token: settings.token))
        #expect(violations.contains { $0.contains("POST /v2/droplets") && $0.contains("'ssh_key_ids' is not in the document") }, "\(violations)")
        #expect(violations.contains { $0.contains("GET /v2/account -> 200: response") }, "\(violations)")
        try await fake.shutdown()
    }
}
