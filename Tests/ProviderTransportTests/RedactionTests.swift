import Foundation
import Logging
import ProviderTransport
@testable import RemoteProvidersCore
import Testing

@testable import TestSupport

/// Credentials shaped like the real thing. None may appear in a log line, an error or a description.
enum Fixture {
    static let awsKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let awsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let doToken = "dop_v1_" + String(repeating: "0123456789abcdef", count: 4)
    static let pem = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDExampleExampleExampleExampleExampleExampleAAAAAAAAAAA==
        -----END OPENSSH PRIVATE KEY-----
        """
    static let pemBody = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"

    static let all = [awsKeyID, awsSecret, doToken, pemBody]

    static func expectClean(_ text: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in all {
            #expect(!text.contains(secret), "\(context) leaks \(secret.prefix(8))…: \(text)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct RedactionTests {
    @Test func theRedactorMasksEveryKnownShape() {
        // The AWS secret has no recognisable shape: it is caught because it was registered as a Secret.
        _ = Secret(Fixture.awsSecret)
        let text = """
            key \(Fixture.awsKeyID) secret \(Fixture.awsSecret) token \(Fixture.doToken)
            Authorization: Bearer abc.def.ghi
            x-api-key: plainkey123
            https://api.example.com/x?api_key=zzz111&token=yyy222&page=2
            {"password": "p@ss\\"word", "name": "ok"}
            \(Fixture.pem)
            """
        let redacted = Redactor.standard.redact(text)
        Fixture.expectClean(redacted, "redacted text")
        for leaked in ["abc.def.ghi", "plainkey123", "zzz111", "yyy222", "p@ss"] { #expect(!redacted.contains(leaked), "\(leaked)") }
        #expect(redacted.contains("page=2"))
        #expect(redacted.contains(#""name": "ok""#))
        #expect(redacted.contains("-----BEGIN OPENSSH PRIVATE KEY-----"))
    }

    @Test func everyRuleCompiles() {
        #expect(RedactionRule.allCompile)
    }

    @Test func secretsHaveNoDescription() {
        let secret = Secret(Fixture.doToken)
        var dumped = ""
        dump(secret, to: &dumped)
        for text in ["\(secret)", String(reflecting: secret), dumped, "\(BearerSigner(token: secret))", "\([secret])"] {
            Fixture.expectClean(text, "description")
        }
        let encoded = String(decoding: (try? JSONEncoder().encode([secret])) ?? Data(), as: UTF8.self)
        Fixture.expectClean(encoded, "JSON")
    }

    @Test func providerErrorsAreRedactedWhenMade() {
        let error = ProviderError(.invalidRequest, provider: .aws, message: "bad: \(Fixture.awsKeyID) \(Fixture.doToken)\n\(Fixture.pem)")
        Fixture.expectClean(error.message, "error message")
        Fixture.expectClean("\(error)", "error description")
    }

    @Test func noSecretLeaksThroughLogsErrorsOrDescriptionsOfARealCall() async throws {
        _ = Secret(Fixture.awsSecret)
        let log = CapturedLog()
        let transport = try makeTransport(logger: log.logger)
        // A provider that echoes what it was sent, as some error pages do.
        try await withServer(transport: transport, handler: { request in
            let echoed = "you sent \(request.uri) with \(request.header("Authorization") ?? "") and \(String(decoding: request.body, as: UTF8.self))"
            return .respond(status: request.path == "/fail" ? 400 : 503, body: #"{"message": \#(jsonString(echoed + " " + Fixture.pem))}"#)
        }) { server, transport in
            let client = transport.client(for: .digitalocean, baseURL: server.baseURL, signer: BearerSigner(token: Secret(Fixture.doToken)))
            var request = ProviderRequest.json(
                "POST", "/fail", body: Data(#"{"aws_secret_access_key": "\#(Fixture.awsSecret)"}"#.utf8), operation: "create",
                safety: .idempotent)
            request.query = [URLQueryItem(name: "api_key", value: Fixture.awsKeyID)]
            Fixture.expectClean("\(request)", "request description")
            let error = await #expect(throws: ProviderError.self) { try await client.send(request) }
            let thrown = try #require(error)
            Fixture.expectClean(thrown.message, "thrown error")
            Fixture.expectClean("\(thrown)", "thrown error description")
            Fixture.expectClean(String(reflecting: thrown), "thrown error debug description")

            let retried = await #expect(throws: ProviderError.self) { try await client.send(.get("/retry", operation: "list")) }
            Fixture.expectClean(retried?.message ?? "", "error after retries")
        }
        #expect(!log.text.isEmpty)
        Fixture.expectClean(log.text, "logs")
    }
}

private func jsonString(_ text: String) -> String {
    String(decoding: (try? JSONEncoder().encode(text)) ?? Data(), as: UTF8.self)
}
