import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Lambda Cloud driver against the stateful fake (which Lambda's generated clients drive in
/// ProviderClientPeerTests).
@Suite struct LambdaDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    func withDriver(
        _ settings: FakeLambda.Settings = .init(), apiKey: String? = nil, interval: String = "0",
        _ body: (LambdaDriver, CloudFake<FakeLambda>) async throws -> Void
    ) async throws {
        try await withFakeDriver(FakeLambda(settings), provider: .lambda, environment: {
            [
                "LAMBDA_API_KEY": apiKey ?? settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_LAMBDA": $0.absoluteString + "/api/v1",
                "BLUEPRINT_REMOTE_LAMBDA_LAUNCH_INTERVAL": interval,
            ]
        }) { driver, fake in try await body(try #require(driver as? LambdaDriver), fake) }
    }

    static func request(
        _ id: String, deployment: String = "dlambda000001", type: String = "gpu_1x_a10", region: String = "us-east-1", owner: String = owner
    ) throws -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 100,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#cloud-config\n",
            exposure: Exposure(mode: .public, allowedCIDRs: [try CIDR.parse("198.51.100.0/24").get(), try CIDR.parse("2001:db8::/32").get()]),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    static func untilRunning(_ driver: LambdaDriver, _ made: Instance) async throws -> Instance {
        var running = made
        for _ in 0..<40 where running.status != .running {
            try await Task.sleep(for: .milliseconds(100))
            running = try await driver.describe([made.id]).first ?? running
        }
        return running
    }

    @Test func anInstanceLaunchesWithOneKeyTagsAndARulesetRunsAndTerminatingRemovesBoth() async throws {
        var settings = FakeLambda.Settings()
        settings.address = { _ in "10.200.0.12" }
        // Terminating until the test says: the ruleset's delete meets the instance still holding it.
        settings.deletion = .seconds(3600)
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(try Self.request("dlambda000001-a1-r0"))
            #expect(made.status == .pending && made.region == "us-east-1" && made.instanceType == "gpu_1x_a10" && made.sshUser == "ubuntu")
            let running = try await Self.untilRunning(driver, made)
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.privateAddress != nil && running.sshPort == 22)
            #expect(running.tags[ResourceTags.ownerKey] == Self.owner && running.tags[ResourceTags.expiresKey] == "2027-01-15T08:00:00Z")
            #expect(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id) == [made.id])
            let launch = try #require(fake.exchanges.first { $0.request.route == "POST /api/v1/instance-operations/launch" }?.request.json)
            #expect((launch["ssh_key_names"] as? [String])?.count == 1 && launch["name"] as? String == "bp-dlambda000001-a1-r0")
            #expect(launch["user_data"] as? String == "#cloud-config\n" && (launch["firewall_rulesets"] as? [[String: String]])?.count == 1)
            #expect(fake.api.rulesetNames == ["blueprint-remote-dlambda000001-us-east-1"])
            #expect(fake.api.rules(of: "blueprint-remote-dlambda000001-us-east-1") == ["tcp 22 from 198.51.100.0/24", "tcp 8080 from 198.51.100.0/24"],
                "IPv4 sources only: Lambda's firewall takes no IPv6")
            async let terminated: Void = driver.terminate([made.id])
            let refused: @Sendable () -> Bool = {
                fake.exchanges.contains { $0.request.route.hasPrefix("DELETE /api/v1/firewall-rulesets/") && $0.response?.status == 400 }
            }
            for _ in 0..<1200 where !refused() { try await Task.sleep(for: .milliseconds(50)) }
            #expect(refused(), "the ruleset's delete is refused (firewall-ruleset-in-use) while the instance terminates")
            fake.api.finishTerminations()
            try await terminated
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty)
            #expect(fake.api.liveInstances.isEmpty && fake.api.rulesetNames.isEmpty && fake.api.keyCount == 1)
        }
    }

    @Test func aLostAnswerLeavesOneInstanceAndASecondRunOfTheRequestFindsIt() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /api/v1/instance-operations/launch")
            let made = try await driver.create(try Self.request("dlambda000002-a1-r0", deployment: "dlambda000002"))
            #expect(Array(fake.api.liveInstances.keys) == [made.id])
            let again = try await driver.create(try Self.request("dlambda000002-a1-r0", deployment: "dlambda000002"))
            #expect(again.id == made.id && fake.api.liveInstances.count == 1, "names are not unique at Lambda: the driver looks first")
            #expect(fake.calls.filter { $0 == "POST /api/v1/instance-operations/launch" }.count == 1)
            try await driver.terminate([made.id])
        }
    }

    @Test func statusesMapWholePreemptedIsTerminalAndCapacityNamesWhereToGoNext() async throws {
        #expect(["booting", "active", "unhealthy", "terminating", "terminated", "preempted"].map(LambdaWire.status) == [
            .pending, .running, .failed, .terminating, .terminated, .terminated,
        ])
        var settings = FakeLambda.Settings()
        settings.instanceLimit = 1
        // Ended instances stay listed (preempted, terminating) until the test says.
        settings.deletion = .seconds(3600)
        try await withDriver(settings) { driver, fake in
            let elsewhere = await #expect(throws: ProviderError.self) {
                try await driver.create(try Self.request("dlambda000003-a1-r0", deployment: "dlambda000003", type: "gpu_1x_h100_pcie", region: "us-east-1"))
            }
            #expect(elsewhere?.kind == .noCapacity(.region("us-east-1")) && elsewhere?.message.contains("us-west-1") == true, "\(String(describing: elsewhere))")
            #expect(fake.api.rulesetNames.isEmpty, "the deployment's only create failed: its ruleset went with it")
            let nowhere = await #expect(throws: ProviderError.self) {
                try await driver.create(try Self.request("dlambda000003-a1-r1", deployment: "dlambda000003", type: "gpu_1x_h100_pcie", region: "europe-central-1"))
            }
            #expect(nowhere?.kind == .noCapacity(.region("europe-central-1")))
            let made = try await driver.create(try Self.request("dlambda000003-a2-r0", deployment: "dlambda000003"))
            let quota = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dlambda000003-a2-r1", deployment: "dlambda000003")) }
            #expect(quota?.kind == .quotaExceeded(.provider))
            fake.api.preempt(made.id)
            #expect(try await driver.describe([made.id]).first?.status == .terminated, "preempted is the end")
            fake.api.finishTerminations()
            try await driver.terminate([made.id])
            let spot = await #expect(throws: ProviderError.self) {
                var request = try Self.request("dlambda000003-a3-r0", deployment: "dlambda000003")
                request.spot = true
                return try await driver.create(request)
            }
            #expect(spot?.kind == .unsupported)
            let offers = try await driver.offers(for: ResourceSpec())
            #expect(offers.count == 5 && offers.allSatisfy { ($0.onDemandPrice ?? 0) > 0 }, "one per type and region with capacity")
            let h100 = try #require(offers.first { $0.instanceType == "gpu_8x_h100_sxm5" })
            #expect(h100.gpu == Offer.GPU(model: "H100-SXM", count: 8, memoryGB: 80) && h100.onDemandPrice == 23.92 && h100.region == "us-east-1")
            #expect(offers.first { $0.instanceType == "gpu_1x_gh200" }?.arch == .arm64)
        }
        var nowhere = FakeLambda.Settings()
        nowhere.capacity = [:]
        try await withDriver(nowhere) { driver, _ in
            let none = await #expect(throws: ProviderError.self) { try await driver.create(try Self.request("dlambda000004-a1-r0", deployment: "dlambda000004")) }
            #expect(none?.kind == .noCapacity(.provider), "no region has the type: not worth another region")
        }
        try await withDriver(apiKey: "wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
    }

    @Test func launchesArePacedToLambdasLimit() async throws {
        var settings = FakeLambda.Settings()
        // The fake refuses launches closer than 0.2 s; the driver paces them 1 s apart.
        settings.launchInterval = .milliseconds(200)
        try await withDriver(settings, interval: "1") { driver, fake in
            var made: [String] = []
            for replica in 0..<2 { made.append(try await driver.create(try Self.request("dlambda000005-a1-r\(replica)", deployment: "dlambda000005")).id) }
            let launches = fake.exchanges.filter { $0.request.route == "POST /api/v1/instance-operations/launch" }
            #expect(launches.count == 2 && launches.allSatisfy { $0.response?.status == 200 }, "the second waited its turn: no 429 from the fake's limit")
            try await driver.terminate(made)
        }
    }
}
