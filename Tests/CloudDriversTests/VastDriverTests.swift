import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Vast.ai driver against the stateful fake, every exchange checked against Vast's document.
@Suite struct VastDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")
    static let environment = ["GREETING": "it's \"$HOME\" `x` \\ line ✓", "EMPTY": "", "SPACED": "a  b"]

    func withDriver(_ settings: FakeVast.Settings = .init(), apiKey: String? = nil, _ body: (VastDriver, CloudFake<FakeVast>) async throws -> Void) async throws {
        try await withFakeDriver(FakeVast(settings), provider: .vastai, environment: {
            ["VAST_API_KEY": apiKey ?? settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_VASTAI": $0.absoluteString]
        }) { driver, fake in try await body(try #require(driver as? VastDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dvast0000001", type: String = "1x-H100-SXM", region: String = "any", spot: Bool = false) -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 32, spot: spot,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date().addingTimeInterval(3600)),
            sshPublicKey: key.authorizedKey, exposure: Exposure(mode: .public), ports: [PortMapping(hostPort: 8080, containerPort: 8080)],
            container: ContainerLaunch(image: "nginx:1.27", environment: environment, command: ["nginx", "-g", "daemon off;"], ports: [22, 8080]))
    }

    @Test func anInstanceIsRentedRunsWithItsPublishedPortsAndDestroyingReleasesTheOffer() async throws {
        var settings = FakeVast.Settings()
        settings.publish = { _, port in ("10.200.0.13", port == 22 ? 2222 : 18_095) }
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(Self.request("dvast0000001-a1-r0"))
            #expect(made.status == .pending && made.instanceType == "9100002" && made.region == "ca", "the cheapest 1x H100 SXM offer")
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.13" && running.sshPort == 2222 && running.sshUser == "root")
            #expect(running.publishedPorts == [PortMapping(hostPort: 2222, containerPort: 22), PortMapping(hostPort: 18_095, containerPort: 8080)])
            #expect(running.tags[ResourceTags.deploymentKey] == "dvast0000001" && running.tags[ResourceTags.ownerKey] == Self.owner)
            let container = try #require(fake.api.container(of: Int(made.id) ?? 0))
            #expect(container.env == Self.environment, "byte-exact through the document's Docker-flag string")
            #expect(container.ports == [8080] && container.onstart == ShellCommand(["nginx", "-g", "daemon off;"]).text && container.bid == nil)
            #expect(fake.api.keyCount == 1)
            #expect(try await driver.offers(for: ResourceSpec()).allSatisfy { $0.instanceType != "9100002" }, "a rented offer leaves the market")
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty && fake.api.liveInstances.isEmpty)
        }
    }

    @Test func aLostAnswerLeavesOneInstanceAndATakenOfferMovesToTheNext() async throws {
        var settings = FakeVast.Settings()
        settings.maxPerPage = 2
        try await withDriver(settings) { driver, fake in
            fake.dropAnswer("PUT /api/v0/asks/9100002")
            let made = try await driver.create(Self.request("dvast0000002-a1-r0", deployment: "dvast0000002"))
            #expect(fake.api.liveInstances.keys.map(String.init) == [made.id])
            #expect(fake.calls.filter { $0.hasPrefix("PUT /api/v0/asks/") }.count == 1, "found by label, not rented again")
            // The next cheapest (Texas) is taken by someone else between search and rent: the one after it is rented.
            fake.fail("PUT /api/v0/asks/9100001", with: FakeVast.json(404, [
                "success": false, "error": "invalid_args", "msg": "error 404/3603: no_such_ask Instance type by id 9100001 is not available.", "ask_id": 9100001,
            ]))
            let next = try await driver.create(Self.request("dvast0000002-a1-r1", deployment: "dvast0000002"))
            #expect(next.instanceType == "9100006")
            let gone = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("dvast0000002-a1-r2", deployment: "dvast0000002", type: "9100002", region: "ca"))
            }
            #expect(gone?.kind == .noCapacity(.region("ca")), "an offer named by id and gone: \(String(describing: gone))")
            // Three more, so the listing takes pages of two.
            var all = [made.id, next.id]
            for (index, type) in ["1x-H100-PCIE", "8x-H100", "1x-RTX4090"].enumerated() {
                all.append(try await driver.create(Self.request("dvast0000002-a2-r\(index)", deployment: "dvast0000002", type: type)).id)
            }
            #expect(Set(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id)) == Set(all), "every page followed")
            try await driver.terminate(all)
            #expect(fake.api.liveInstances.isEmpty)
        }
    }

    @Test func bidsCredentialsAndOffersAreTheDocumentsWay() async throws {
        try await withDriver { driver, fake in
            let spot = try await driver.create(Self.request("dvast0000003-a1-r0", deployment: "dvast0000003", type: "9100005", spot: true))
            #expect(fake.api.container(of: Int(spot.id) ?? 0)?.bid == 0.18, "an interruptible rental bids the offer's floor")
            let offers = try await driver.offers(for: ResourceSpec())
            let eight = try #require(offers.first { $0.instanceType == "9100003" })
            #expect(eight.gpu == Offer.GPU(model: "H100-SXM", count: 8, memoryGB: 81_559.0 / 1024) && eight.onDemandPrice == 17.60 && eight.spotPrice == 9.00)
            #expect(eight.region == "us" && eight.vcpus == 16 && abs((eight.memoryGB ?? 0) - 125) < 0.1)
            fake.fail("PUT /api/v0/asks/9100004", with: FakeVast.error(400, "invalid_args", "Your account balance is too low to rent this instance."))
            let broke = await #expect(throws: ProviderError.self) {
                try await driver.create(Self.request("dvast0000003-a1-r1", deployment: "dvast0000003", type: "9100004"))
            }
            #expect(broke?.kind == .quotaExceeded(.provider), "\(String(describing: broke))")
            try await driver.terminate([spot.id])
        }
        try await withDriver(apiKey: "wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
        #expect(VastWire.region("Texas, US") == "us" && VastWire.region(nil) == "any")
    }
}
