import Foundation
import ProviderTransport
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// The EC2 driver against a real moto (AMI, instance type and key pair validation on). moto's
/// state is global, so these run one at a time.
@Suite(.serialized) struct EC2DriverTests {
    let key = SSHKeyPair(comment: "test").authorizedKey

    @Test func createsDescribesAndTerminatesWithItsSecurityGroup() async throws {
        guard let moto = Moto.validating else { return }
        try await moto.reset()
        try await withEC2Driver(endpoint: moto.url) { driver, _ in
            #expect(try await driver.checkCredentials().hasPrefix("us-east-1: "))
            let created = try await driver.create(ec2Request(key: key))
            #expect(created.id.hasPrefix("i-"))
            #expect(created.provider == .aws && created.instanceType == "t3.micro" && created.sshUser == "ubuntu")
            #expect([.pending, .running].contains(created.status))

            let described = try #require(try await driver.describe([created.id]).first)
            #expect(described.status == .running)
            #expect(described.tags[ResourceTags.ownerKey] == "11111111-2222-3333-4444-555555555555")
            #expect(described.tags[ResourceTags.deploymentKey] == "dtest00000001")
            #expect(described.tags[ResourceTags.expiresKey] == "2033-05-18T03:33:20Z")
            #expect(described.tags["Name"] == "web-dtest00000001")

            // The group opens SSH and the service port to the allowed network only.
            let group = try #require(try await driver.securityGroup(named: "blueprint-remote-dtest00000001"))
            let info = try #require(try await driver.client.call("DescribeSecurityGroups", [("GroupId.1", group)]).items("securityGroupInfo").first)
            let rules = info.items("ipPermissions").map { rule in
                "\(rule.string("fromPort") ?? "")/\(rule.items("ipRanges").compactMap { $0.string("cidrIp") }.joined(separator: ","))"
            }
            #expect(Set(rules) == ["22/203.0.113.0/24", "8080/203.0.113.0/24"])

            try await driver.terminate([created.id])
            #expect(try await driver.describe([created.id]).first?.status == .terminated)
            #expect(try await driver.securityGroup(named: "blueprint-remote-dtest00000001") == nil)
            // Terminating again, or an id EC2 never issued, is success.
            try await driver.terminate([created.id])
            try await driver.terminate(["i-0123456789abcdef0"])
        }
    }

    /// EC2 refuses a whole TerminateInstances when one id does not exist: the others still go.
    @Test func aBatchWithAnUnknownIdTerminatesTheOthers() async throws {
        guard let moto = Moto.validating else { return }
        try await moto.reset()
        try await withEC2Driver(endpoint: moto.url) { driver, _ in
            var ids: [String] = []
            for attempt in 1...3 { ids.append(try await driver.create(ec2Request(deployment: "dbatch0000001", attempt: attempt, key: key)).id) }
            try await driver.terminate(["i-0123456789abcdef0"] + ids + ["i-0fedcba9876543210"])
            #expect(try await driver.describe(ids).allSatisfy { $0.status == .terminated })
            #expect(try await driver.securityGroup(named: "blueprint-remote-dbatch0000001") == nil)
        }
    }

    /// A driver that did not make the instances (another run of the tool) learns from EC2 whether
    /// the deployment's group is still in use.
    @Test func theGroupStaysWhileAnotherInstanceOfItsDeploymentLives() async throws {
        guard let moto = Moto.validating else { return }
        try await moto.reset()
        let ids = try await withEC2Driver(endpoint: moto.url) { driver, _ in
            var ids: [String] = []
            for attempt in 1...2 { ids.append(try await driver.create(ec2Request(deployment: "dshared000001", attempt: attempt, key: key)).id) }
            // This driver made both: terminating one keeps the group without asking.
            try await driver.terminate([ids[0]])
            #expect(try await driver.securityGroup(named: "blueprint-remote-dshared000001") != nil)
            return ids
        }
        try await withEC2Driver(endpoint: moto.url) { driver, _ in
            try await driver.terminate([ids[0]])
            #expect(try await driver.securityGroup(named: "blueprint-remote-dshared000001") != nil)
            try await driver.terminate([ids[1]])
            #expect(try await driver.securityGroup(named: "blueprint-remote-dshared000001") == nil)
        }
    }

    @Test func spotAsksForTheSpotMarket() async throws {
        guard let moto = Moto.validating else { return }
        try await moto.reset()
        try await withEC2Driver(endpoint: moto.url) { driver, _ in
            var request = ec2Request(deployment: "dspot00000001", key: key)
            request.spot = true
            let created = try await driver.create(request)
            let raw = try await driver.client.call("DescribeInstances", [("InstanceId.1", created.id)])
            #expect(raw.all("instanceLifecycle").first?.text == "spot")
        }
    }

    @Test func aTunnelOpensSSHAlone() async throws {
        guard let moto = Moto.validating else { return }
        try await moto.reset()
        try await withEC2Driver(endpoint: moto.url) { driver, _ in
            let tunnel = Exposure(mode: .tunnel, allowedCIDRs: [try CIDR.parse("198.51.100.7/32").get()])
            _ = try await driver.create(ec2Request(deployment: "dtunnel000001", exposure: tunnel, key: key))
            let group = try #require(try await driver.securityGroup(named: "blueprint-remote-dtunnel000001"))
            let info = try #require(try await driver.client.call("DescribeSecurityGroups", [("GroupId.1", group)]).items("securityGroupInfo").first)
            #expect(info.items("ipPermissions").compactMap { $0.string("fromPort") } == ["22"])
        }
    }

    /// Through the proxy, which answers a repeated ClientToken as EC2 does.
    @Test func theSameRequestTwiceMakesOneInstance() async throws {
        guard let moto = Moto.validating, let faults = Moto.faults else { return }
        try await moto.reset()
        try await FaultProxy(url: faults).clear()
        try await withEC2Driver(endpoint: faults) { driver, _ in
            let first = try await driver.create(ec2Request(key: key))
            let again = try await driver.create(ec2Request(key: key))
            #expect(again.id == first.id)
            let owned = try await driver.list(tag: ResourceTags.ownerKey, value: "11111111-2222-3333-4444-555555555555")
            #expect(owned.map(\.id) == [first.id])
            let keys = try await driver.client.call("DescribeKeyPairs").items("keySet")
            #expect(keys.count == 1)
        }
    }

    @Test func describesManyInOneCallAndLeavesOutUnknownIds() async throws {
        guard let moto = Moto.validating, let faults = Moto.faults else { return }
        try await moto.reset()
        let proxy = FaultProxy(url: faults)
        try await proxy.clear()
        try await withEC2Driver(endpoint: faults) { driver, _ in
            var ids: [String] = []
            for attempt in 1...20 { ids.append(try await driver.create(ec2Request(attempt: attempt, key: key)).id) }
            try await proxy.clear()
            let described = try await driver.describe(ids + ["i-0000000000000000f"])
            #expect(Set(described.map(\.id)) == Set(ids))
            #expect(try await proxy.seen() == ["DescribeInstances"])
        }
    }

    @Test func findsTheNewestCanonicalUbuntuImage() async throws {
        guard let moto = Moto.validating else { return }
        try await moto.reset()
        try await withEC2Driver(endpoint: moto.url) { driver, _ in
            let (image, user) = try await driver.image(for: ec2Request())
            #expect(user == "ubuntu")
            let described = try #require(try await driver.client.call("DescribeImages", [("ImageId.1", image)]).items("imagesSet").first)
            #expect(described.string("imageOwnerId") == EC2Driver.canonical)
            #expect(described.string("name")?.contains("amd64-server") == true)
        }
        try await withEC2Driver(endpoint: moto.url, environment: ["BLUEPRINT_REMOTE_AWS_IMAGE": "ami-00000000000000000"]) { driver, _ in
            let error = await #expect(throws: ProviderError.self) { try await driver.create(ec2Request(key: key)) }
            #expect(error?.kind == .notFound)
        }
    }

    @Test func offersDescribeInstanceTypesWithGPUs() async throws {
        guard let moto = Moto.validating else { return }
        try await moto.reset()
        try await withEC2Driver(endpoint: moto.url) { driver, _ in
            let offers = try await driver.offers(for: ResourceSpec(spot: .auto))
            let micro = try #require(offers.first { $0.instanceType == "t3.micro" })
            #expect(micro.vcpus == 2 && micro.memoryGB == 1 && micro.gpu == nil && micro.arch == .x86_64)
            let gpu = try #require(offers.first { $0.instanceType == "g4dn.xlarge" })
            #expect(gpu.gpu?.count == 1 && gpu.gpu?.model == "T4" && gpu.gpu?.memoryGB == 16)
            #expect(offers.contains { $0.arch == .arm64 })
            #expect(offers.contains { $0.spotPrice != nil })
        }
    }

    // MARK: Faults

    @Test func aCapacityErrorNamesTheZone() async throws {
        guard let moto = Moto.validating, let faults = Moto.faults else { return }
        try await moto.reset()
        let proxy = FaultProxy(url: faults)
        try await proxy.clear()
        try await proxy.queue(
            "RunInstances", code: "InsufficientInstanceCapacity",
            message: "We currently do not have sufficient t3.micro capacity in the Availability Zone you requested (us-east-1b).",
            status: 500)
        try await withEC2Driver(endpoint: faults) { driver, _ in
            let error = await #expect(throws: ProviderError.self) { try await driver.create(ec2Request(zone: "us-east-1b", key: key)) }
            #expect(error?.kind == .noCapacity(.zone("us-east-1b")))
            #expect(error?.code == .noCapacity)
            let group = try await driver.securityGroup(named: "blueprint-remote-dtest00000001")
            #expect(group == nil, "the deployment's only create failed: its group went with it")
        }
        #expect(try await proxy.seen().filter { $0 == "RunInstances" }.count == 1)
    }

    @Test func throttlingIsRetriedAndSucceeds() async throws {
        guard let moto = Moto.validating, let faults = Moto.faults else { return }
        try await moto.reset()
        let proxy = FaultProxy(url: faults)
        try await proxy.clear()
        try await withEC2Driver(endpoint: faults) { driver, _ in
            let created = try await driver.create(ec2Request(key: key))
            try await proxy.clear()
            try await proxy.queue("DescribeInstances", code: "RequestLimitExceeded", message: "Request limit exceeded.", status: 503, count: 2)
            #expect(try await driver.describe([created.id]).map(\.id) == [created.id])
            #expect(try await proxy.seen() == ["DescribeInstances", "DescribeInstances", "DescribeInstances"])
        }
    }

    @Test func aLostRunInstancesAnswerIsRetriedWithTheSameTokenAndMakesOneInstance() async throws {
        guard let moto = Moto.validating, let faults = Moto.faults else { return }
        try await moto.reset()
        let proxy = FaultProxy(url: faults)
        try await proxy.clear()
        try await proxy.queue("RunInstances", mode: "drop")
        try await withEC2Driver(endpoint: faults) { driver, _ in
            let created = try await driver.create(ec2Request(deployment: "ddrop00000001", key: key))
            let all = try await driver.list(tag: ResourceTags.deploymentKey, value: "ddrop00000001")
            #expect(all.map(\.id) == [created.id])
        }
        // The lost answer is looked up by its request tag; a resend (when the lookup finds nothing
        // yet, as EC2's eventual consistency allows) carries the same ClientToken and changes nothing.
        #expect(try await proxy.seen().filter { $0 == "RunInstances" }.count >= 1)
    }

    /// Where an EC2 ignores the token (moto does), the driver looks up what the lost attempt made.
    @Test func aLostRunInstancesAnswerIsFoundByItsRequestTag() async throws {
        guard let moto = Moto.validating, let faults = Moto.faults else { return }
        try await moto.reset()
        let proxy = FaultProxy(url: faults)
        try await proxy.clear()
        try await proxy.queue("RunInstances", mode: "drop", forgetToken: true)
        try await withEC2Driver(endpoint: faults) { driver, _ in
            let created = try await driver.create(ec2Request(deployment: "dlookup000001", key: key))
            let all = try await driver.list(tag: ResourceTags.deploymentKey, value: "dlookup000001")
            #expect(all.map(\.id) == [created.id])
        }
        let seen = try await proxy.seen()
        #expect(seen.filter { $0 == "RunInstances" }.count == 1)
        #expect(seen.suffix(2) == ["RunInstances", "DescribeInstances"] || seen.contains("DescribeInstances"))
    }

    @Test func errorCodesMapToTypedErrors() {
        let request = ProviderRequest(method: "POST", path: "/", body: Data("Action=RunInstances".utf8), operation: "RunInstances")
        func kind(_ code: String) -> ProviderError.Kind {
            EC2Errors.kind(for: code, message: "", request: request, region: "eu-west-1", retryAfter: nil)
        }
        #expect(kind("InsufficientInstanceCapacity") == .noCapacity(.region("eu-west-1")))
        for code in ["InstanceLimitExceeded", "VcpuLimitExceeded", "MaxSpotInstanceCountExceeded"] {
            #expect(kind(code) == .quotaExceeded(.region("eu-west-1")))
        }
        for code in ["AuthFailure", "UnauthorizedOperation", "InvalidClientTokenId"] { #expect(kind(code) == .invalidCredentials) }
        #expect(kind("RequestLimitExceeded") == .rateLimited(retryAfter: nil))
        #expect(kind("Throttling") == .rateLimited(retryAfter: nil))
        #expect(kind("InvalidInstanceID.NotFound") == .notFound)
        #expect(kind("InvalidParameterValue") == .invalidRequest)
        #expect(kind("IdempotentParameterMismatch") == .conflict)
    }

    /// create + wait until running + terminate for 20 instances of one deployment.
    @Test func twentyInstancesStayWithinTheirCallBudget() async throws {
        guard let moto = Moto.validating, let faults = Moto.faults else { return }
        try await moto.reset()
        let proxy = FaultProxy(url: faults)
        try await proxy.clear()
        try await withEC2Driver(endpoint: faults) { driver, _ in
            var ids: [String] = []
            for attempt in 1...20 { ids.append(try await driver.create(ec2Request(deployment: "dbudget000001", attempt: attempt, key: key)).id) }
            // Wait until running: one batched describe per poll.
            while try await driver.describe(ids).contains(where: { $0.status != .running }) {}
            try await driver.terminate(ids)
        }
        let seen = try await proxy.seen()
        let counts = Dictionary(grouping: seen, by: { $0 }).mapValues(\.count)
        // Budget, 28 calls: 20 RunInstances; the image looked up, the key pair imported, the group
        // made and opened, once each (4); one batched describe to wait (moto runs at once); one
        // batched TerminateInstances; one list of the deployment (is its group still used?) and
        // the group deleted (2).
        #expect(counts["RunInstances"] == 20)
        #expect(counts["TerminateInstances"] == 1)
        #expect(counts["DescribeImages"] == 1 && counts["ImportKeyPair"] == 1 && counts["DescribeKeyPairs"] == nil)
        #expect(counts["CreateSecurityGroup"] == 1 && counts["AuthorizeSecurityGroupIngress"] == 1)
        #expect(counts["DeleteSecurityGroup"] == 1)
        #expect(seen.count <= 28, "\(counts)")
        print("EC2 call budget for 20 instances: \(seen.count) calls: \(counts.sorted { $0.key < $1.key })")
    }
}
