import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Azure driver against the stateful fake of Resource Manager (which Azure's own clients drive
/// in ProviderClientPeerTests), with Entra ID's token endpoint and the metadata service in it.
@Suite struct AzureDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    enum Auth {
        case token(String)
        case secret(String)
        case identity
    }

    func withDriver(_ settings: FakeAzure.Settings = .init(), auth: Auth = .token(FakeAzure.Settings().staticToken), _ body: (AzureDriver, CloudFake<FakeAzure>) async throws -> Void)
        async throws
    {
        try await withFakeDriver(FakeAzure(settings), provider: .azure, environment: { url in
            var environment = [
                "AZURE_SUBSCRIPTION_ID": settings.subscription, "BLUEPRINT_REMOTE_ENDPOINT_AZURE": url.absoluteString,
                "BLUEPRINT_REMOTE_ENDPOINT_AZURE_PRICES": url.absoluteString + "/api/retail",
            ]
            switch auth {
            case .token(let token): environment["AZURE_ACCESS_TOKEN"] = token
            case .secret(let secret):
                environment["AZURE_TENANT_ID"] = settings.tenant
                environment["AZURE_CLIENT_ID"] = settings.clientID
                environment["AZURE_CLIENT_SECRET"] = secret
                environment["BLUEPRINT_REMOTE_ENDPOINT_AZURE_LOGIN"] = url.absoluteString
            case .identity: environment["BLUEPRINT_REMOTE_ENDPOINT_AZURE_METADATA"] = url.absoluteString + "/metadata"
            }
            return environment
        }) { driver, fake in try await body(try #require(driver as? AzureDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dazure0000001", size: String = "Standard_D2s_v5", region: String = "eastus", spot: Bool = false) throws -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: size, diskGB: 20, spot: spot,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#!/bin/sh\necho boot\n",
            exposure: Exposure(mode: .public, allowedCIDRs: [try CIDR.parse("198.51.100.0/24").get()]), ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    @Test func aVMIsMadeWithItsNetworkRunsAndTerminatingLeavesNothing() async throws {
        var settings = FakeAzure.Settings()
        settings.address = { _ in "10.200.0.12" }
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(try Self.request("dazure0000001-a1-r0", spot: true))
            #expect(made.id == "blueprint-remote-dazure0000001-eastus/bp-dazure0000001-a1-r0" && made.status == .pending && made.sshUser == "azureuser")
            let vm = try #require(fake.api.properties(of: "Microsoft.Compute/virtualMachines", "bp-dazure0000001-a1-r0"))
            #expect(vm["priority"] as? String == "Spot" && ((vm["storageProfile"] as? [String: Any])?["osDisk"] as? [String: Any])?["deleteOption"] as? String == "Delete")
            #expect(((vm["storageProfile"] as? [String: Any])?["imageReference"] as? [String: String])?["offer"] == "ubuntu-24_04-lts")
            let gpu = try await driver.create(try Self.request("dazure0000001-a2-r0", size: "Standard_NC4as_T4_v3"))
            let gpuVM = try #require(fake.api.properties(of: "Microsoft.Compute/virtualMachines", "bp-dazure0000001-a2-r0"))
            let gpuStorage = gpuVM["storageProfile"] as? [String: Any]
            #expect(gpuStorage?["imageReference"] as? [String: String] == AzureDriver.gpuImage, "a GPU size boots an image with the NVIDIA driver")
            #expect((gpuStorage?["osDisk"] as? [String: Any])?["diskSizeGB"] == nil, "a 20 GB request keeps the larger image's own disk size")
            #expect(AzureDriver.image("Canonical:ubuntu-24_04-lts:server:latest", size: "Standard_NC4as_T4_v3")["offer"] == "ubuntu-24_04-lts", "an image asked for wins")
            #expect(AzureDriver.image(nil, size: "Standard_ND96isr_MI300X_v5")["publisher"] == "Canonical", "AMD GPUs get no NVIDIA image")
            try await driver.terminate([gpu.id])
            let nsg = try #require(fake.api.properties(of: "Microsoft.Network/networkSecurityGroups", "blueprint-remote"))
            let rules = (nsg["securityRules"] as? [[String: Any]] ?? []).compactMap { $0["properties"] as? [String: Any] }
            #expect(rules.map { $0["destinationPortRange"] as? String } == ["22", "8080"] && rules.allSatisfy { $0["sourceAddressPrefixes"] as? [String] == ["198.51.100.0/24"] })
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.region == "eastus")
            #expect(running.tags[ResourceTags.expiresKey] == "2027-01-15T08:00:00Z" && running.instanceType == "Standard_D2s_v5")
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            try await driver.terminate([made.id])
            try await driver.terminate([made.id])
            #expect(fake.api.resources.isEmpty, "VM, disk, NIC, IP, security group, network and group all gone: \(fake.api.resources)")
            #expect(try await driver.describe([made.id]).isEmpty)
        }
    }

    @Test func aLostAnswerIsAResentPutOfTheSameVM() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("PUT /subscriptions/\(FakeAzure.Settings().subscription)/resourceGroups/blueprint-remote-dazure0000002-eastus/providers/Microsoft.Compute/virtualMachines/bp-dazure0000002-a1-r0")
            let made = try await driver.create(try Self.request("dazure0000002-a1-r0", deployment: "dazure0000002"))
            // A second run adopts the VM without a PUT: a failing re-PUT (the first run's VM still
            // busy) could otherwise lead its cleanup to remove the VM the first run made.
            let puts = fake.calls.filter { $0.hasPrefix("PUT ") }.count
            let route = "PUT /subscriptions/\(FakeAzure.Settings().subscription)/resourceGroups/blueprint-remote-dazure0000002-eastus/providers/Microsoft.Compute/virtualMachines/bp-dazure0000002-a1-r0"
            fake.fail(route, with: FakeAzure.error(409, "OperationNotAllowed", "Operation 'PUT' is not allowed while another operation is in progress."))
            let again = try await driver.create(try Self.request("dazure0000002-a1-r0", deployment: "dazure0000002"))
            #expect(Array(fake.api.virtualMachines.keys) == ["bp-dazure0000002-a1-r0"] && again.id == made.id)
            #expect(fake.calls.filter { $0.hasPrefix("PUT ") }.count == puts, "nothing put again")
            var stranger = try Self.request("dazure0000002-a1-r0", deployment: "dazure0000002")
            stranger.tags = ResourceTags(deployment: "dazure0000002", owner: "0f0f0f0f-0000-4000-8000-000000000000", expires: stranger.tags.expires)
            let taken = await #expect(throws: ProviderError.self) { try await driver.create(stranger) }
            #expect(taken?.kind == .conflict && fake.calls.filter { $0.hasPrefix("PUT ") }.count == puts, "another owner's VM is neither adopted nor put over")
            try await driver.terminate([made.id])
            #expect(fake.api.resources.isEmpty)
        }
    }

    /// An operation to follow on another host, or on another port of this one, is refused before
    /// anything is sent there: the bearer token goes to the API's own origin only.
    @Test func anOperationURLOffTheAPIsOriginIsNeverFollowed() async throws {
        try await withDriver { driver, fake in
            let host = try #require(fake.baseURL.host)
            let group = "/subscriptions/\(FakeAzure.Settings().subscription)/resourceGroups/blueprint-remote-dazure0000006-eastus"
            for (index, elsewhere) in ["https://management.invalid/op/1", "https://\(host):1/subscriptions/x/operationresults/1"].enumerated() {
                let name = "bp-dazure0000006-a\(index)-r0"
                fake.fail(
                    "PUT \(group)/providers/Microsoft.Network/publicIPAddresses/\(name)-ip",
                    with: .json(201, ["id": "\(group)/providers/Microsoft.Network/publicIPAddresses/\(name)-ip", "name": "\(name)-ip", "location": "eastus"],
                        headers: [("Azure-AsyncOperation", elsewhere)]))
                let refused = await #expect(throws: ProviderError.self) {
                    try await driver.create(try Self.request("dazure0000006-a\(index)-r0", deployment: "dazure0000006"))
                }
                #expect(refused?.kind == .invalidRequest && refused?.message.contains("another host") == true, "\(String(describing: refused))")
            }
            try await driver.terminate([])
        }
    }

    @Test func capacityAndQuotaAreTypedAndAFailedAllocationLeavesNothing() async throws {
        #expect(AzureErrors.quotaScope("… Location: westeurope, Current Limit: 10") == .region("westeurope"))
        var settings = FakeAzure.Settings()
        settings.unavailable = ["eastus/standard_d4s_v5"]
        settings.allocationFails = ["westus2/standard_d2s_v5"]
        settings.coreQuota = 3
        try await withDriver(settings) { driver, fake in
            let sku = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dazure0000003-a1-r0", deployment: "dazure0000003", size: "Standard_D4s_v5")) }
            #expect(sku?.kind == .noCapacity(.region("eastus")), "\(String(describing: sku))")
            let allocation = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dazure0000004-a1-r0", deployment: "dazure0000004", region: "westus2")) }
            #expect(allocation?.kind == .noCapacity(.region("westus2")) && allocation?.message.contains("AllocationFailed") == true, "\(String(describing: allocation))")
            #expect(fake.api.resources.isEmpty, "the failed VM, its NIC and IP, and the deployment's group removed: \(fake.api.resources)")
            let made = try await driver.create(try Self.request("dazure0000005-a1-r0", deployment: "dazure0000005"))
            let quota = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dazure0000005-a1-r1", deployment: "dazure0000005")) }
            #expect(quota?.kind == .quotaExceeded(.region("eastus")), "\(String(describing: quota))")
            try await driver.terminate([made.id])
            #expect(fake.api.resources.isEmpty)
        }
    }

    @Test func offersAreTheSubscriptionsSizesPricedFromTheRetailPricesAPI() async throws {
        try await withDriver { driver, fake in
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 9, "five sizes in eastus, four in westus2 where one is restricted: \(offers.map { "\($0.region) \($0.instanceType)" })")
            let d2 = try #require(offers.first { $0.instanceType == "Standard_D2s_v5" && $0.region == "eastus" })
            #expect(d2.onDemandPrice == 0.096 && d2.spotPrice == 0.0192 && d2.vcpus == 2 && d2.memoryGB == 8, "Linux and Spot rows, not Windows or Low Priority: \(d2)")
            let t4 = try #require(offers.first { $0.instanceType == "Standard_NC4as_T4_v3" && $0.region == "westus2" })
            #expect(t4.gpu == Offer.GPU(model: "T4", count: 1, memoryGB: 16))
            let prices = fake.exchanges.filter { $0.request.path == "/api/retail/prices" }
            #expect(prices.count > 2 && prices.allSatisfy { $0.request.header("Authorization") == nil }, "pages followed; no token sent to the public price list")
        }
    }

    @Test func aClientSecretAndAManagedIdentityGiveTokensAndAWrongOneIsACredentialError() async throws {
        try await withDriver(auth: .secret(FakeAzure.Settings().clientSecret)) { driver, fake in
            let checked = try await driver.checkCredentials()
            #expect(checked == "subscription \(FakeAzure.Settings().subscription)")
            _ = try await driver.describe(["nothere/vm"])
            #expect(fake.calls.filter { $0.hasSuffix("/oauth2/v2.0/token") }.count == 1, "one token, cached")
            fake.api.revokeTokens()
            _ = try await driver.describe(["nothere/vm"])
            #expect(fake.calls.filter { $0.hasSuffix("/oauth2/v2.0/token") }.count == 2, "a token refused before its expiry is fetched anew, the call sent once more")
            fake.api.revokeTokens()
            let refusedAgain = await #expect(throws: ProviderError.self) { try await driver.describe(["nothere/vm"]) }
            #expect(refusedAgain?.kind == .invalidCredentials)
            #expect(fake.calls.filter { $0.hasSuffix("/oauth2/v2.0/token") }.count == 2, "a credential refused again within a minute is not renewed on every call")
        }
        try await withDriver(auth: .identity) { driver, fake in
            _ = try await driver.checkCredentials()
            #expect(fake.exchanges.contains { $0.request.path.hasSuffix("/identity/oauth2/token") && $0.request.header("Metadata") == "true" })
        }
        try await withDriver(auth: .secret("wrong")) { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
        try await withDriver(auth: .token("wrong")) { driver, fake in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
            #expect(fake.calls.filter { $0.contains("/subscriptions/") }.count == 1, "a fixed token is not sent again once refused")
        }
    }
}

extension AzureDriverTests {
    /// The check drawn from Azure's REST specifications can fail: another service's api-version
    /// (the disks are not at the VMs' version), a field the VM document does not have nested deep
    /// in its body, and an answer of the wrong type are caught.
    @Test func theSpecificationCheckCatchesAWrongVersionAnInventedFieldAndAWrongAnswer() async throws {
        guard requiredService("BLUEPRINT_TEST_CONTRACT_URL", "the contract checker") != nil else { return }
        let settings = FakeAzure.Settings()
        let fake = try await CloudFake(FakeAzure(settings))
        let group = "/subscriptions/\(settings.subscription)/resourceGroups/g1"
        fake.fail("GET \(group)/providers/Microsoft.Network/publicIPAddresses/ip1", with: .json(200, ["name": "ip1", "properties": ["ipAddress": 5]]))
        let vm = #"{"location": "eastus", "properties": {"hardwareProfile": {"vmSize": "Standard_B1s"}, "osProfile": {"computerName": "vm1", "adminUsername": "azureuser", "linuxConfiguration": {"sshKeys": ["ssh-ed25519 AAAA"]}}}}"#
        let violations = try #require(
            try await fake.violations(of: [
                ("GET", "\(group)/providers/Microsoft.Compute/disks/d1?api-version=2024-11-01", ""),
                ("PUT", "\(group)/providers/Microsoft.Compute/virtualMachines/vm1?api-version=2024-11-01", vm),
                ("GET", "\(group)/providers/Microsoft.Network/publicIPAddresses/ip1?api-version=2024-05-01", ""),
            ], token: settings.staticToken))
        #expect(violations.contains { $0.contains("disks/d1: request") && $0.contains("'2024-11-01' is not one of ['2024-03-02']") }, "\(violations)")
        #expect(violations.contains { $0.contains("'properties.osProfile.linuxConfiguration.sshKeys' is not in the document") }, "\(violations)")
        #expect(violations.contains { $0.contains("publicIPAddresses/ip1 -> 200: response") && $0.contains("is not of type 'string'") }, "\(violations)")
        try await fake.shutdown()
    }
}
