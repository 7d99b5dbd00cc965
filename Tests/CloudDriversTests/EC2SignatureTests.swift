import Foundation
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import CloudDrivers

/// Against a moto that recomputes every SigV4 signature with botocore: the signer is right only
/// if every call the driver makes passes, and a wrong secret is refused as bad credentials.
@Suite(.serialized) struct EC2SignatureTests {
    static var server: (url: String, keyID: String, secret: String)? {
        guard let url = requiredService("BLUEPRINT_TEST_MOTO_AUTH_URL", "signature-checking moto"),
            let keyID = requiredService("BLUEPRINT_TEST_MOTO_AUTH_KEY_ID", "the EC2-only IAM user"),
            let secret = requiredService("BLUEPRINT_TEST_MOTO_AUTH_SECRET", "the EC2-only IAM user")
        else { return nil }
        return (url, keyID, secret)
    }

    @Test func everyCallOfTheDriverPassesSignatureChecks() async throws {
        guard let server = Self.server else { return }
        let environment = ["AWS_ACCESS_KEY_ID": server.keyID, "AWS_SECRET_ACCESS_KEY": server.secret]
        try await withEC2Driver(endpoint: server.url, environment: environment) { driver, _ in
            #expect(try await driver.checkCredentials().hasPrefix("us-east-1"))
            let key = SSHKeyPair(comment: "signed").authorizedKey
            let request = ec2Request(deployment: "dsigned\(Int.random(in: 100_000...999_999))", key: key)
            let created = try await driver.create(request)
            #expect(try await driver.describe([created.id]).first?.status == .running)
            #expect(try await driver.list(tag: ResourceTags.deploymentKey, value: request.tags.deployment).map(\.id) == [created.id])
            #expect(try await !driver.offers(for: ResourceSpec(spot: .auto)).isEmpty)
            try await driver.terminate([created.id])
            #expect(try await driver.describe([created.id]).first?.status == .terminated)
        }
    }

    @Test func aWrongSecretIsRefusedAsInvalidCredentials() async throws {
        guard let server = Self.server else { return }
        let environment = ["AWS_ACCESS_KEY_ID": server.keyID, "AWS_SECRET_ACCESS_KEY": server.secret + "x"]
        try await withEC2Driver(endpoint: server.url, environment: environment) { driver, _ in
            let error = await #expect(throws: ProviderError.self) { try await driver.checkCredentials() }
            #expect(error?.kind == .invalidCredentials)
            #expect(error?.code == .credentials)
            #expect(error?.message.contains(server.secret) == false)
        }
    }
}
