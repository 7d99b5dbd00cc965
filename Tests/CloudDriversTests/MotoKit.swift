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


/// moto as `scripts/test-services` runs it, reset before each use.
struct Moto {
    let url: String

    static var validating: Moto? { requiredService("BLUEPRINT_TEST_MOTO_URL", "moto").map(Moto.init) }
    static var faults: String? { requiredService("BLUEPRINT_TEST_MOTO_FAULTS_URL", "the moto fault proxy") }

    func reset() async throws {
        _ = try await post(url + "/moto-api/reset", body: Data())
    }

    @discardableResult
    func post(_ address: String, body: Data, method: String = "POST") async throws -> Data {
        var request = URLRequest(url: try #require(URL(string: address)))
        request.httpMethod = method
        request.httpBody = body
        let (data, _) = try await URLSession.shared.data(for: request)
        return data
    }
}

/// The fault proxy's control endpoint.
struct FaultProxy {
    let url: String

    func clear() async throws {
        try await Moto(url: url).post(url + "/_faults", body: Data(), method: "DELETE")
    }

    func queue(
        _ action: String, mode: String = "error", code: String = "", message: String = "", status: Int = 400, count: Int = 1,
        forgetToken: Bool = false
    ) async throws {
        let fault: [String: Any] = [
            "action": action, "mode": mode, "code": code, "message": message, "status": status, "count": count,
            "forget_token": forgetToken,
        ]
        try await Moto(url: url).post(url + "/_faults", body: try JSONSerialization.data(withJSONObject: fault))
    }

    /// The EC2 Actions the proxy saw since it was last cleared.
    func seen() async throws -> [String] {
        let data = try await Moto(url: url).post(url + "/_faults", body: Data(), method: "GET")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return object["seen"] as? [String] ?? []
    }
}

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
