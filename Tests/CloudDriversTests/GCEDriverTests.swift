import CloudFakes
import CryptoExtras
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Compute Engine driver against the stateful fake (which Google's own client drives in
/// ProviderClientPeerTests), with Google's token endpoint and metadata server in the same fake.
@Suite struct GCEDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    enum Auth {
        case token(String)
        case keyFile
        case metadata
    }

    /// A service account: its key file for the driver, its public key for the fake's token endpoint.
    struct Account {
        let file: URL
        let email = "blueprint@blueprint-test.iam.gserviceaccount.com"
        let publicKeyPEM: String

        init(tokenURI: String) throws {
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            publicKeyPEM = key.publicKey.pemRepresentation
            let folder = try temporaryDirectory()
            file = folder.appendingPathComponent("key.json")
            let json: [String: String] = [
                "type": "service_account", "project_id": "blueprint-test", "private_key_id": "0123abcd", "private_key": key.pemRepresentation,
                "client_email": email, "client_id": "1", "token_uri": tokenURI,
            ]
            try JSONSerialization.data(withJSONObject: json).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
    }

    func withDriver(_ base: FakeGCE.Settings = .init(), auth: Auth = .token(FakeGCE.Settings().staticToken), _ body: (GCEDriver, CloudFake<FakeGCE>) async throws -> Void) async throws {
        var settings = base
        // The token endpoint is the fake's own: its URL is known once it listens, so the account's
        // key file names the endpoint through the override.
        let account = try Account(tokenURI: "https://oauth2.googleapis.com/token")
        settings.serviceAccount = (account.email, account.publicKeyPEM)
        try await withFakeDriver(FakeGCE(settings), provider: .gcp, environment: { url in
            var environment = ["BLUEPRINT_REMOTE_ENDPOINT_GCP": url.absoluteString + "/compute/v1", "BLUEPRINT_REMOTE_ENDPOINT_GCP_BILLING": url.absoluteString + "/v1"]
            switch auth {
            case .token(let token):
                environment["GCP_ACCESS_TOKEN"] = token
                environment["GOOGLE_CLOUD_PROJECT"] = "blueprint-test"
            case .keyFile:
                environment["GOOGLE_APPLICATION_CREDENTIALS"] = account.file.path
                environment["BLUEPRINT_REMOTE_ENDPOINT_GCP_OAUTH"] = url.absoluteString + "/token"
            case .metadata:
                environment["BLUEPRINT_REMOTE_ENDPOINT_GCP_METADATA"] = url.absoluteString + "/computeMetadata/v1"
            }
            return environment
        }) { driver, fake in try await body(try #require(driver as? GCEDriver), fake) }
    }

    static func request(
        _ id: String, deployment: String = "dgce00000001", type: String = "e2-small", region: String = "us-central1", zone: String? = nil, spot: Bool = false
    ) throws -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, zone: zone, instanceType: type, diskGB: 20, spot: spot,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#!/bin/sh\necho boot\n",
            exposure: Exposure(mode: .public, allowedCIDRs: [try CIDR.parse("198.51.100.0/24").get(), try CIDR.parse("2001:db8::/32").get()]),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    @Test func anInstanceIsInsertedWithLabelsKeyAndFirewallsRunsAndTerminatingRemovesThem() async throws {
        var settings = FakeGCE.Settings()
        settings.address = { _ in "10.200.0.12" }
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(try Self.request("dgce00000001-a1-r0"))
            #expect(made.id == "us-central1-a/bp-dgce00000001-a1-r0" && made.zone == "us-central1-a" && made.region == "us-central1" && made.sshUser == "blueprint")
            #expect(made.tags[ResourceTags.expiresKey] == "2027-01-15T08:00:00Z", "read back from its label, 20270115t080000z")
            #expect(fake.api.liveInstances[made.id]?[ResourceTags.expiresKey] == "20270115t080000z")
            let created = try #require(fake.api.created(made.id))
            #expect(created.metadata["ssh-keys"] == "blueprint:\(Self.key.authorizedKey)" && created.metadata["startup-script"] == "#!/bin/sh\necho boot\n")
            #expect(created.tags == ["bp-dgce00000001"] && fake.api.firewallNames == ["blueprint-remote-dgce00000001", "blueprint-remote-dgce00000001-v6"])
            let wall = try #require(fake.api.firewall("blueprint-remote-dgce00000001"))
            #expect(wall["sourceRanges"] as? [String] == ["198.51.100.0/24"] && wall["targetTags"] as? [String] == ["bp-dgce00000001"])
            #expect((wall["allowed"] as? [[String: Any]])?.first?["ports"] as? [String] == ["22", "8080"])
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.privateAddress != nil)
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            #expect(try await driver.list(tag: ResourceTags.expiresKey, value: "2027-01-15T08:00:00Z").map(\.id) == [made.id])
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(fake.api.liveInstances.isEmpty && fake.api.firewallNames.isEmpty && fake.api.pendingOperations == 0)
            #expect(try await driver.describe([made.id]).isEmpty)
        }
    }

    @Test func aLostAnswerIsAnsweredByTheFirstOperationAndASecondRunAdoptsTheInstance() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /compute/v1/projects/blueprint-test/zones/us-central1-a/instances")
            let made = try await driver.create(try Self.request("dgce00000002-a1-r0", deployment: "dgce00000002"))
            #expect(Array(fake.api.liveInstances.keys) == [made.id])
            let inserts = fake.exchanges.filter { $0.request.route == "POST /compute/v1/projects/blueprint-test/zones/us-central1-a/instances" }
            #expect(inserts.count == 2 && Set(inserts.map { $0.request.query["requestId"] }).count == 1, "resent with the same requestId")
            let again = try await driver.create(try Self.request("dgce00000002-a1-r0", deployment: "dgce00000002"))
            #expect(again.id == made.id && fake.api.liveInstances.count == 1)
            try await driver.terminate([made.id])
        }
    }

    @Test func exhaustedZonesFailOverWithinTheRegionQuotaNamesItsRegionAndGPUsAndSpotAreAskedRight() async throws {
        #expect(["PROVISIONING", "STAGING", "RUNNING", "STOPPING", "TERMINATED", "SUSPENDED", "REPAIRING", "DEPROVISIONING", "X"].map(GCEWire.status) == [
            .pending, .pending, .running, .stopping, .stopped, .stopped, .pending, .terminating, .unknown,
        ])
        var settings = FakeGCE.Settings()
        settings.exhausted = ["us-central1-a/e2-small", "us-east1-b/e2-small"]
        settings.cpuQuota = 10
        try await withDriver(settings) { driver, fake in
            let moved = try await driver.create(try Self.request("dgce00000003-a1-r0", deployment: "dgce00000003"))
            #expect(moved.zone == "us-central1-b", "us-central1-a had no capacity: the next zone")
            let none = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dgce00000004-a1-r0", deployment: "dgce00000004", region: "us-east1")) }
            #expect(none?.kind == .noCapacity(.region("us-east1")) && none?.message.contains("ZONE_RESOURCE_POOL_EXHAUSTED") == true, "\(String(describing: none))")
            #expect(!fake.api.firewallNames.contains { $0.contains("dgce00000004") }, "its only create failed: its firewalls went with it")
            let gpu = try await driver.create(try Self.request("dgce00000003-a2-r0", deployment: "dgce00000003", type: "n1-standard-8+1xnvidia-tesla-t4", spot: true))
            let created = try #require(fake.api.created(gpu.id))
            #expect(created.accelerators == 1 && created.spot)
            #expect(created.image == GCEDriver.gpuImage && created.metadata["install-nvidia-driver"] == "True", "a GPU machine boots an image with the NVIDIA driver")
            #expect(created.diskGB == nil, "a 20 GB request keeps the larger image's own disk size")
            #expect(try #require(fake.api.created(moved.id)).image.hasSuffix("/ubuntu-2404-lts-amd64") && fake.api.created(moved.id)?.metadata["install-nvidia-driver"] == nil)
            let quota = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dgce00000003-a3-r0", deployment: "dgce00000003", type: "e2-standard-4")) }
            #expect(quota?.kind == .quotaExceeded(.region("us-central1")), "\(String(describing: quota))")
            try await driver.terminate([moved.id, gpu.id])
            #expect(fake.api.liveInstances.isEmpty && fake.api.firewallNames.isEmpty)
        }
    }

    @Test func offersAreEveryZonesMachineTypesPricedFromTheBillingCatalog() async throws {
        try await withDriver { driver, _ in
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 10, "shared-core types left out; g2 where L4s are: \(offers.map { "\($0.zone ?? "") \($0.instanceType)" })")
            let e2 = try #require(offers.first { $0.instanceType == "e2-standard-4" && $0.zone == "us-central1-a" })
            #expect(e2.onDemandPrice == 0.134012 && e2.spotPrice == 0.040204 && e2.region == "us-central1" && e2.vcpus == 4 && e2.memoryGB == 16, "4 × 0.021811 + 16 × 0.002923: \(e2)")
            let g2 = try #require(offers.first { $0.instanceType == "g2-standard-4" && $0.zone == "us-central1-a" })
            #expect(g2.gpu == Offer.GPU(model: "L4", count: 1, memoryGB: 24) && g2.onDemandPrice == 0.705, "\(g2)")
        }
    }

    @Test func aServiceAccountKeyAndTheMetadataServerGiveTokensAndAWrongTokenIsACredentialError() async throws {
        try await withDriver(auth: .keyFile) { driver, fake in
            let checked = try await driver.checkCredentials()
            #expect(checked == "project blueprint-test")
            _ = try await driver.describe(["us-central1-a/nothing"])
            #expect(fake.calls.filter { $0 == "POST /token" }.count == 1, "one token, cached for the next calls")
            fake.api.revokeTokens()
            _ = try await driver.describe(["us-central1-a/nothing"])
            #expect(fake.calls.filter { $0 == "POST /token" }.count == 2, "a token refused before its expiry is fetched anew, the call sent once more")
        }
        try await withDriver(auth: .metadata) { driver, fake in
            let checked = try await driver.checkCredentials()
            #expect(checked == "project blueprint-test", "the project asked of the metadata server")
            #expect(fake.exchanges.contains { $0.request.path.hasSuffix("/service-accounts/default/token") && $0.request.header("Metadata-Flavor") == "Google" })
        }
        try await withDriver(auth: .token("wrong")) { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
        let unsigned = try Account(tokenURI: "https://oauth2.googleapis.com/token")
        var settings = FakeGCE.Settings()
        settings.serviceAccount = (unsigned.email, try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey.pemRepresentation)
        let fake = try await CloudFake(FakeGCE(settings))
        let transport = try HTTPTransport(configuration: TransportConfiguration(retry: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(10))))
        let environment = Environment([
            "GOOGLE_APPLICATION_CREDENTIALS": unsigned.file.path, "BLUEPRINT_REMOTE_ENDPOINT_GCP_OAUTH": fake.baseURL.absoluteString + "/token",
            "BLUEPRINT_REMOTE_ENDPOINT_GCP": fake.baseURL.absoluteString + "/compute/v1",
        ])
        let driver = try DriverRegistry.standard.driver(for: .gcp, context: DriverContext(environment: environment, transport: transport, logger: Logger(label: "test")))
        let bad = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
        #expect(bad?.kind == .invalidCredentials, "a JWT the account's public key does not verify")
        try await transport.shutdown()
        try await fake.shutdown()
    }

    /// A built-in-GPU machine (G2) boots the Deep Learning VM image too, unless an image is asked
    /// for: then that image, at the size asked, without the driver-install key.
    @Test func aGPUMachineBootsTheDriverImageUnlessAnImageIsAskedFor() async throws {
        #expect(GCEDriver.image(for: "a4x-highgpu-4g", gpus: true).hasSuffix("ubuntu-2404-lts-arm64"), "the Deep Learning VM image is x86 only")
        try await withDriver { driver, fake in
            let builtIn = try await driver.create(try Self.request("dgce00000006-a1-r0", deployment: "dgce00000006", type: "g2-standard-4"))
            #expect(fake.api.created(builtIn.id)?.image == GCEDriver.gpuImage)
            var mine = try Self.request("dgce00000006-a2-r0", deployment: "dgce00000006", type: "g2-standard-4")
            mine.image = "projects/my-project/global/images/my-cuda"
            let own = try await driver.create(mine)
            let created = try #require(fake.api.created(own.id))
            #expect(created.image == "projects/my-project/global/images/my-cuda" && created.metadata["install-nvidia-driver"] == nil && created.diskGB == "20")
            try await driver.terminate([builtIn.id, own.id])
        }
    }

    /// A zone asked for is the only one tried (and only it is reported out of capacity); a
    /// firewall the last instance's cleanup removed is made anew by the deployment's next create.
    @Test func anAskedZoneIsTheOnlyOneTriedAndARemovedFirewallIsMadeAnew() async throws {
        var settings = FakeGCE.Settings()
        settings.exhausted = ["us-central1-a/e2-small"]
        try await withDriver(settings) { driver, fake in
            let placed = try await driver.create(try Self.request("dgce00000005-a1-r0", deployment: "dgce00000005", zone: "us-central1-b"))
            #expect(placed.zone == "us-central1-b")
            let out = await #expect(throws: ProviderError.self) {
                try await driver.create(try Self.request("dgce00000005-a2-r0", deployment: "dgce00000005", zone: "us-central1-a"))
            }
            #expect(out?.kind == .noCapacity(.zone("us-central1-a")), "\(String(describing: out))")
            #expect(fake.calls.filter { $0.hasSuffix("/zones/us-central1-a/instances") }.count == 1 && fake.calls.filter { $0.hasSuffix("/zones/us-central1-b/instances") }.count == 1)
            let firewall = GCEDriver.firewallName("dgce00000005", v6: false)
            #expect(fake.api.firewallNames.contains(firewall))
            try await driver.terminate([placed.id])
            #expect(fake.api.firewallNames.isEmpty, "the last instance took its firewalls with it")
            let again = try await driver.create(try Self.request("dgce00000005-a3-r0", deployment: "dgce00000005", zone: "us-central1-b"))
            #expect(fake.api.firewallNames.contains(firewall), "made anew, not taken from the cache of the first create")
            try await driver.terminate([again.id])
        }
    }

    /// A list whose next-page token comes back again fails, rather than looping or passing a page
    /// short for the whole list (gc would take the missing instances for gone).
    @Test func aListWhoseNextPageRepeatsFails() async throws {
        try await withDriver { driver, fake in
            let page = FakeResponse.json(200, ["kind": "compute#instanceAggregatedList", "items": [String: Any](), "nextPageToken": "again"])
            fake.fail("GET /compute/v1/projects/blueprint-test/aggregated/instances", with: page, times: 2)
            let error = await #expect(throws: ProviderError.self) { try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner) }
            #expect(error?.message.contains("repeats") == true)
            #expect(fake.calls.filter { $0.hasSuffix("/aggregated/instances") }.count == 2, "the repeated page is not asked for")
        }
    }

    /// The check drawn from the discovery document can fail: a field the document does not have,
    /// nested under a referenced schema, and an answer of the wrong type are caught.
    @Test func theDiscoveryDocumentCheckCatchesAnInventedNestedFieldAndAWrongAnswer() async throws {
        guard requiredService("BLUEPRINT_TEST_CONTRACT_URL", "the contract checker") != nil else { return }
        let settings = FakeGCE.Settings()
        let fake = try await CloudFake(FakeGCE(settings))
        fake.fail("GET /compute/v1/projects/blueprint-test/zones/us-central1-a/instances/vm1", with: .json(200, ["name": 5, "status": "RUNNING"]))
        let insert = #"{"name": "vm1", "machineType": "zones/us-central1-a/machineTypes/e2-small", "disks": [{"boot": true, "sizeGb": 10}], "networkInterfaces": [{}]}"#
        let violations = try #require(
            try await fake.violations(of: [
                ("POST", "/compute/v1/projects/blueprint-test/zones/us-central1-a/instances", insert),
                ("GET", "/compute/v1/projects/blueprint-test/zones/us-central1-a/instances/vm1", ""),
            ], token: settings.staticToken))
        #expect(violations.contains { $0.contains("'disks[0].sizeGb' is not in the document") }, "\(violations)")
        #expect(violations.contains { $0.contains("instances/vm1 -> 200: response") && $0.contains("is not of type 'string'") }, "\(violations)")
        try await fake.shutdown()
    }
}
