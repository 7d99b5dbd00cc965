import Foundation
import RemoteProvidersCore
import Testing

@testable import CloudDrivers

@Suite struct AWSCredentialChainTests {
    static func files(credentials: String, config: String) throws -> (home: URL, credentials: String, config: String) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        let credentialsPath = home.appendingPathComponent(".aws/credentials").path
        let configPath = home.appendingPathComponent(".aws/config").path
        try credentials.write(toFile: credentialsPath, atomically: true, encoding: .utf8)
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        return (home, credentialsPath, configPath)
    }

    @Test func theEnvironmentComesFirst() throws {
        let chain = AWSCredentialChain(environment: Environment([
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
            "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2",
        ]))
        let credentials = try chain.credentials()
        #expect(credentials.accessKeyID == "AKIAENV" && credentials.secretAccessKey.revealed == "env-secret")
        #expect(credentials.sessionToken?.revealed == "env-token")
        #expect(try chain.region(flag: nil) == "eu-west-1")
        #expect(try chain.region(flag: "ap-south-1") == "ap-south-1")
        #expect(throws: ProviderError.self) { try AWSCredentialChain(environment: Environment(["AWS_ACCESS_KEY_ID": "x"])).credentials() }
    }

    @Test func thenTheProfileInTheSharedFiles() throws {
        let files = try Self.files(
            credentials: """
                [default]
                aws_access_key_id = AKIADEFAULT
                aws_secret_access_key = default-secret
                # a comment
                [work]
                aws_access_key_id=AKIAWORK
                aws_secret_access_key=work-secret
                aws_session_token=work-token
                """,
            config: """
                [default]
                region = us-east-2
                [profile work]
                region = eu-central-1
                """)
        defer { try? FileManager.default.removeItem(at: files.home) }
        let plain = AWSCredentialChain(environment: Environment(["HOME": files.home.path]))
        #expect(try plain.credentials().accessKeyID == "AKIADEFAULT")
        #expect(try plain.region(flag: nil) == "us-east-2")
        let work = AWSCredentialChain(environment: Environment(["HOME": files.home.path, "AWS_PROFILE": "work"]))
        #expect(try work.credentials().sessionToken?.revealed == "work-token")
        #expect(try work.region(flag: nil) == "eu-central-1")
        let moved = AWSCredentialChain(environment: Environment([
            "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": files.credentials, "AWS_CONFIG_FILE": files.config,
        ]))
        #expect(try moved.credentials().accessKeyID == "AKIADEFAULT")
    }

    @Test func missingCredentialsSayWhereTheyWereLookedFor() {
        let chain = AWSCredentialChain(environment: Environment(["HOME": "/nonexistent", "AWS_PROFILE": "ghost"]))
        let error = #expect(throws: ProviderError.self) { try chain.credentials() }
        #expect(error?.kind == .invalidCredentials)
        for part in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "'ghost'", "/nonexistent/.aws/credentials", "/nonexistent/.aws/config"] {
            #expect(error?.message.contains(part) == true, "\(part)")
        }
        let region = #expect(throws: ValidationError.self) { try chain.region(flag: nil) }
        #expect(region?.field == "region")
        #expect(throws: ValidationError.self) { try chain.region(flag: "us east") }
    }
}
