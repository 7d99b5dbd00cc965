import Foundation
import ProviderTransport
import RemoteProvidersCore
import Testing

@testable import TestSupport

@Suite struct EndpointTests {
    let vultr = ProviderDirectory.metadata(for: .vultr)!
    let aws = ProviderDirectory.metadata(for: .aws)!
    let gcp = ProviderDirectory.metadata(for: .gcp)!

    @Test func usesTheRealBaseURLByDefault() throws {
        #expect(try EndpointResolver.resolve(vultr, environment: Environment([:])).absoluteString == "https://api.vultr.com/v2")
        #expect(try EndpointResolver.resolve(aws, region: "eu-west-1", environment: Environment([:])).absoluteString
            == "https://ec2.eu-west-1.amazonaws.com")
        #expect(try EndpointResolver.resolve(gcp, name: "OAUTH", environment: Environment([:])).absoluteString
            == "https://oauth2.googleapis.com/token")
        #expect(throws: ValidationError.self) { try EndpointResolver.resolve(aws, region: "eu west", environment: Environment([:])) }
        let render = ProviderDirectory.metadata(for: .render)!
        let error = #expect(throws: ProviderError.self) { try EndpointResolver.resolve(render, environment: Environment([:])) }
        #expect(error?.kind == .unsupported)
    }

    @Test func anOverrideReplacesTheWholeBaseURL() throws {
        let environment = Environment([
            "BLUEPRINT_REMOTE_ENDPOINT_VULTR": "http://127.0.0.1:8081/v2",
            "BLUEPRINT_REMOTE_ENDPOINT_AWS": "http://127.0.0.1:5000",
            "BLUEPRINT_REMOTE_ENDPOINT_GCP_OAUTH": "http://[::1]:9000/token",
        ])
        #expect(try EndpointResolver.resolve(vultr, environment: environment).absoluteString == "http://127.0.0.1:8081/v2")
        #expect(try EndpointResolver.resolve(aws, region: "us-east-1", environment: environment).absoluteString == "http://127.0.0.1:5000")
        #expect(try EndpointResolver.resolve(gcp, name: "oauth", environment: environment).absoluteString == "http://[::1]:9000/token")
    }

    @Test func plainHTTPOnlyForLoopbackPrivateOrOptIn() throws {
        for allowed in ["http://localhost:1/v2", "http://10.200.0.1:80", "http://192.168.1.1", "https://fake.example.com/v2"] {
            #expect(throws: Never.self) {
                try EndpointResolver.resolve(vultr, environment: Environment(["BLUEPRINT_REMOTE_ENDPOINT_VULTR": allowed]))
            }
        }
        let publicHost = Environment(["BLUEPRINT_REMOTE_ENDPOINT_VULTR": "http://api.example.com/v2"])
        let error = #expect(throws: ValidationError.self) { try EndpointResolver.resolve(vultr, environment: publicHost) }
        #expect(error?.field == "BLUEPRINT_REMOTE_ENDPOINT_VULTR")
        var optedIn = publicHost
        optedIn.values["BLUEPRINT_REMOTE_ALLOW_INSECURE_HTTP"] = "1"
        #expect(try EndpointResolver.resolve(vultr, environment: optedIn).absoluteString == "http://api.example.com/v2")
        for bad in ["ftp://127.0.0.1", "not a url", "https://user:pw@api.example.com", "https://api.example.com/v2?x=1", "/v2"] {
            #expect(throws: ValidationError.self, "\(bad)") {
                try EndpointResolver.resolve(vultr, environment: Environment(["BLUEPRINT_REMOTE_ENDPOINT_VULTR": bad]))
            }
        }
        let leaked = #expect(throws: ValidationError.self) {
            try EndpointResolver.resolve(vultr, environment: Environment(["BLUEPRINT_REMOTE_ENDPOINT_VULTR": "https://u:hunter2secret@x.io"]))
        }
        #expect(leaked?.message.contains("hunter2secret") == false)
    }

    @Test func requestsKeepTheVersionPathAndEncodeQueriesStrictly() async throws {
        try await withServer(handler: { _ in .respond(status: 200) }) { server, transport in
            let base = server.baseURL.appendingPathComponent("v2")
            let client = transport.client(for: .vultr, baseURL: base, signer: BearerSigner(token: Secret("token-abc-123")))
            _ = try await client.send(.get(
                "/instances", query: [URLQueryItem(name: "tag", value: "blueprint-remote-owner:a b&c=d/é")], operation: "instances.list"))
            let request = try #require(server.requests.first)
            #expect(request.path == "/v2/instances")
            #expect(request.uri == "/v2/instances?tag=blueprint-remote-owner%3Aa%20b%26c%3Dd%2F%C3%A9")
            #expect(request.header("Authorization") == "Bearer token-abc-123")
            #expect(request.header("User-Agent")?.hasPrefix("blueprint-remote/") == true)
        }
    }

    @Test func apiKeyHeaderSigner() async throws {
        try await withServer(handler: { _ in .respond(status: 200) }) { server, transport in
            let client = transport.client(for: .fluidstack, baseURL: server.baseURL, signer: APIKeyHeaderSigner(header: "api-key", key: Secret("fs-key-42")))
            _ = try await client.send(.get("/instances", operation: "instances.list"))
            #expect(server.requests.first?.header("api-key") == "fs-key-42")
            #expect(server.requests.first?.header("Authorization") == nil)
        }
    }
}

@Suite struct TLSTests {
    @Test func verifiesCertificatesAndTrustsAnExtraCABundle() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let server = try await TestHTTPServer(tls: certificates) { _ in .respond(status: 200, body: "secure") }
        defer { Task { try? await server.shutdown() } }

        // Without the CA, verification fails at once and is not retried.
        let untrusting = try makeTransport()
        let error = await #expect(throws: ProviderError.self) {
            try await untrusting.client(for: .vultr, baseURL: server.baseURL).send(.get("/", operation: "probe"))
        }
        #expect(error?.message.contains("BLUEPRINT_REMOTE_CA_BUNDLE") == true)
        #expect(server.requests.isEmpty)
        try await untrusting.shutdown()

        let trusting = try HTTPTransport(configuration: TransportConfiguration(
            environment: Environment(["BLUEPRINT_REMOTE_CA_BUNDLE": certificates.caPath])))
        let response = try await trusting.client(for: .vultr, baseURL: server.baseURL).send(.get("/", operation: "probe"))
        #expect(response.text == "secure")
        try await trusting.shutdown()
    }

    @Test func rejectsAnUnreadableCABundle() {
        let error = #expect(throws: ValidationError.self) {
            _ = try HTTPTransport(configuration: TransportConfiguration(caBundlePath: "/nonexistent/ca.pem"))
        }
        #expect(error?.field == "BLUEPRINT_REMOTE_CA_BUNDLE")
    }
}
