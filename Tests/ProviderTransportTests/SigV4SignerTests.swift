import Foundation
import ProviderTransport
import RemoteProvidersCore
import Testing

@Suite struct SigV4SignerTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))

    /// The worked example of AWS's "Signature Version 4 signing process" (IAM ListUsers, 2015-08-30).
    @Test func matchesThePublishedExample() throws {
        let date = try #require(ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z"))
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "iam", clock: { date })
        var request = OutgoingRequest(
            method: "GET", url: try #require(URL(string: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")),
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")])
        signer.signNow(&request)
        #expect(request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(
            request.header("Authorization")
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    struct BotocoreCase: Decodable {
        let method: String
        let url: String
        let headers: [String: String]
        let body: String
        let token: String?
        let authorization: String
        let amz_date: String
    }

    /// botocore (installed here) signs 200 random requests; this signer must produce the same headers.
    @Test func agreesWithBotocoreOnRandomRequests() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/botocore_sign.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "\(Int.random(in: 0...1_000_000))", "200"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "botocore is needed: pip install botocore")
        let cases = try JSONDecoder().decode([BotocoreCase].self, from: data)
        #expect(cases.count == 200)
        let date = try #require(ISO8601DateFormatter().date(from: "2026-11-29T17:30:05Z"))
        for item in cases {
            let credentials = AWSCredentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                sessionToken: item.token.map(Secret.init))
            let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "ec2", clock: { date })
            var request = OutgoingRequest(
                method: item.method, url: try #require(URL(string: item.url)), headers: item.headers.map { ($0.key, $0.value) },
                body: Data(base64Encoded: item.body))
            signer.signNow(&request)
            #expect(request.header("X-Amz-Date") == item.amz_date)
            #expect(request.header("Authorization") == item.authorization, "\(item.method) \(item.url)")
            #expect(request.header("X-Amz-Security-Token") == item.token)
        }
    }

    @Test func theSecretNeverAppearsInTheRequest() throws {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "ec2")
        var request = OutgoingRequest(method: "POST", url: try #require(URL(string: "http://127.0.0.1:5000/")), body: Data("Action=DescribeRegions".utf8))
        signer.signNow(&request)
        let all = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        #expect(!all.contains("wJalrXUtnFEMI"))
        #expect(request.header("Authorization")?.contains("SignedHeaders=host;x-amz-date") == true)
        #expect(!"\(signer)".contains("wJalrXUtnFEMI"))
    }
}
