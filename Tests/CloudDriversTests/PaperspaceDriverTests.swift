import CloudFakes
import Foundation
import Logging
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The Paperspace driver against the stateful fake, every exchange checked against Paperspace's own document.
@Suite struct PaperspaceDriverTests {
    static let owner = "8c1d4a0e-5f7b-4e2a-9d3c-1b2a3c4d5e6f"
    static let key = SSHKeyPair(comment: "blueprint-remote test")

    func withDriver(_ settings: FakePaperspace.Settings = .init(), apiKey: String? = nil, _ body: (PaperspaceDriver, CloudFake<FakePaperspace>) async throws -> Void)
        async throws
    {
        try await withFakeDriver(FakePaperspace(settings), provider: .paperspace, environment: {
            ["PAPERSPACE_API_KEY": apiKey ?? settings.apiKey, "BLUEPRINT_REMOTE_ENDPOINT_PAPERSPACE": $0.absoluteString + "/v1"]
        }) { driver, fake in try await body(try #require(driver as? PaperspaceDriver), fake) }
    }

    static func request(_ id: String, deployment: String = "dpaper0000001", type: String = "P4000", region: String = "ny2") -> InstanceRequest {
        InstanceRequest(
            requestID: id, name: "web", region: region, instanceType: type, diskGB: 80,
            tags: ResourceTags(deployment: deployment, owner: owner, expires: Date(timeIntervalSince1970: 1_800_000_000)),
            sshPublicKey: key.authorizedKey, userData: "#!/bin/sh\nset -e\necho boot\n", exposure: Exposure(mode: .public),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)])
    }

    @Test func aMachineIsCreatedFromTheNewestUbuntuWithTheKeyInItsStartupScriptRunsAndIsDeleted() async throws {
        var settings = FakePaperspace.Settings()
        settings.address = { _ in "10.200.0.12" }
        settings.maxPerPage = 1
        try await withDriver(settings) { driver, fake in
            let made = try await driver.create(Self.request("dpaper0000001-a1-r0"))
            #expect(made.status == .pending && made.region == "ny2" && made.instanceType == "P4000" && made.sshUser == "paperspace")
            var running = made
            for _ in 0..<40 where running.status != .running {
                try await Task.sleep(for: .milliseconds(100))
                running = try await driver.describe([made.id]).first ?? running
            }
            #expect(running.status == .running && running.publicAddress == "10.200.0.12" && running.sshPort == 22)
            #expect(running.tags == [ResourceTags.ownerKey: Self.owner, ResourceTags.deploymentKey: "dpaper0000001"])
            let create = try #require(fake.exchanges.first { $0.request.route == "POST /v1/machines" }?.request.json)
            #expect(create["templateId"] as? String == "t0nspur5" && create["diskSize"] as? Int == 100 && create["publicIpType"] as? String == "dynamic",
                "the newest Ubuntu that has P4000; 80 GB rounded up to a listed size: \(create)")
            let script = try #require(fake.api.script(of: made.id))
            #expect(script.hasPrefix("#!/bin/sh\n") && script.contains(Self.key.authorizedKey) && script.contains("echo boot"))
            // A second machine with the same key and boot script reuses its startup script, found across pages.
            let second = try await driver.create(Self.request("dpaper0000001-a1-r1"))
            #expect(fake.api.scriptCount == 1 && fake.calls.filter { $0 == "POST /v1/startup-scripts" }.count == 1)
            #expect(Set(try await driver.list(tag: ResourceTags.ownerKey, value: Self.owner).map(\.id)) == [made.id, second.id], "pages followed")
            try await driver.terminate([made.id, second.id])
            try await driver.terminate([made.id])
            #expect(try await driver.describe([made.id]).isEmpty && fake.api.liveMachines.isEmpty)
        }
    }

    @Test func aLostAnswerLeavesOneMachineAndASecondRunFindsIt() async throws {
        try await withDriver { driver, fake in
            fake.dropAnswer("POST /v1/machines")
            let made = try await driver.create(Self.request("dpaper0000002-a1-r0", deployment: "dpaper0000002"))
            let again = try await driver.create(Self.request("dpaper0000002-a1-r0", deployment: "dpaper0000002"))
            #expect(Array(fake.api.liveMachines.keys) == [made.id] && again.id == made.id)
            #expect(fake.calls.filter { $0 == "POST /v1/machines" }.count == 1)
            try await driver.terminate([made.id])
        }
    }

    @Test func availabilityLimitsAndCredentialsComeBackTypedWithNothingMade() async throws {
        let machine = { (state: String, deleted: String?) in
            PaperspaceWire.Machine(id: "ps1", name: "n", state: state, machineType: "P4000", region: "East Coast (NY2)", dtDeleted: deleted)
        }
        #expect(["off", "starting", "stopping", "restarting", "serviceready", "ready", "upgrading", "provisioning", "?"].map { PaperspaceWire.status(machine($0, nil)) } == [
            .stopped, .pending, .stopping, .pending, .pending, .running, .pending, .pending, .unknown,
        ])
        #expect(PaperspaceWire.status(machine("ready", "2026-12-06T08:00:00Z")) == .terminated && PaperspaceWire.instance(machine("ready", nil)).region == "ny2")
        var settings = FakePaperspace.Settings()
        settings.unavailable = ["A6000@ny2"]
        settings.machineLimit = 1
        try await withDriver(settings) { driver, fake in
            let unavailable = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dpaper0000003-a1-r0", deployment: "dpaper0000003", type: "A6000")) }
            #expect(unavailable?.kind == .noCapacity(.region("ny2")) && !fake.calls.contains("POST /v1/machines"), "asked first, nothing made")
            let made = try await driver.create(Self.request("dpaper0000003-a2-r0", deployment: "dpaper0000003"))
            let limit = await #expect(throws: ProviderError.self) { try await driver.create(Self.request("dpaper0000003-a2-r1", deployment: "dpaper0000003")) }
            #expect(limit?.kind == .quotaExceeded(.provider), "\(String(describing: limit))")
            let narrowed = await #expect(throws: ProviderError.self) {
                var request = Self.request("dpaper0000003-a3-r0", deployment: "dpaper0000003")
                request.exposure = Exposure(mode: .public, allowedCIDRs: [try CIDR.parse("198.51.100.0/24").get()])
                return try await driver.create(request)
            }
            #expect(narrowed?.kind == .unsupported)
            try await driver.terminate([made.id])
        }
        try await withDriver(apiKey: "wrong") { driver, _ in
            let refused = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(refused?.kind == .invalidCredentials)
        }
    }
}
