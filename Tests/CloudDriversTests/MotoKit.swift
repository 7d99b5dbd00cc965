import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Logging
import ProviderTransport
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers


/// A driver against `endpoint`, with credentials moto accepts and short retry waits.
func withEC2Driver<T>(
    endpoint: String, environment extra: [String: String] = [:], _ body: (EC2Driver, HTTPTransport) async throws -> T
) async throws -> T {
    let transport = try HTTPTransport(
        configuration: TransportConfiguration(retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))))
    let environment = Environment([
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_REGION": "us-east-1", "BLUEPRINT_REMOTE_ENDPOINT_AWS": endpoint, "HOME": "/nonexistent",
    ].merging(extra) { $1 })
    let context = DriverContext(environment: environment, transport: transport, logger: Logger(label: "test"))
    let driver = try #require(try EC2Driver.factory(context) as? EC2Driver)
    do {
        let result = try await body(driver, transport)
        try await transport.shutdown()
        return result
    } catch {
        try? await transport.shutdown()
        throw error
    }
}

/// What `create` is asked for in these tests.
func ec2Request(
    deployment: String = "dtest00000001", attempt: Int = 1, zone: String? = nil, ports: [PortMapping] = [PortMapping(hostPort: 8080, containerPort: 8080)],
    exposure: Exposure = Exposure(mode: .public, allowedCIDRs: [try! CIDR.parse("203.0.113.0/24").get()]), key: String? = nil
) -> InstanceRequest {
    InstanceRequest(
        requestID: "\(deployment)-\(attempt)", name: "web-\(deployment)", region: "us-east-1", zone: zone, instanceType: "t3.micro",
        diskGB: 12, tags: ResourceTags(deployment: deployment, owner: "11111111-2222-3333-4444-555555555555", expires: Date(timeIntervalSince1970: 2_000_000_000)),
        sshPublicKey: key, userData: "#!/bin/sh\necho hello\n", exposure: exposure, ports: ports)
}
