import Foundation
import ProviderTransport
import RemoteProvidersCore

/// Where AWS credentials and the region come from, in the order the AWS CLI looks:
/// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, then the profile
/// (`AWS_PROFILE`, default `default`) in the shared credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`) and config file
/// (`AWS_CONFIG_FILE`, default `~/.aws/config`).
public struct AWSCredentialChain: Sendable {
    public let environment: Environment

    public init(environment: Environment) {
        self.environment = environment
    }

    var profile: String { environment["AWS_PROFILE"] ?? "default" }
    var home: String { environment["HOME"] ?? NSHomeDirectory() }
    var credentialsFile: String { environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials" }
    var configFile: String { environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config" }

    public func credentials() throws -> AWSCredentials {
        if let keyID = environment["AWS_ACCESS_KEY_ID"] {
            guard let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
                throw ProviderError(
                    .invalidCredentials, provider: .aws, operation: "credentials",
                    message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return AWSCredentials(
                accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: environment["AWS_SESSION_TOKEN"].map(Secret.init))
        }
        let section = INIFile.read(credentialsFile)[profile] ?? [:]
        let configSection = INIFile.read(configFile)[profile == "default" ? "default" : "profile \(profile)"] ?? [:]
        let merged = configSection.merging(section) { _, credentials in credentials }
        guard let keyID = merged["aws_access_key_id"], let secret = merged["aws_secret_access_key"] else {
            throw ProviderError(
                .invalidCredentials, provider: .aws, operation: "credentials",
                message: "no AWS credentials: looked for AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then profile '\(profile)' in \(credentialsFile) and \(configFile)")
        }
        return AWSCredentials(
            accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: merged["aws_session_token"].map(Secret.init))
    }

    /// The flag's region, else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    public func region(flag: String?) throws -> String {
        let configSection = INIFile.read(configFile)[profile == "default" ? "default" : "profile \(profile)"] ?? [:]
        guard let region = flag ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? configSection["region"] else {
            throw ValidationError(
                field: "region", value: nil,
                rule: "is required for AWS: pass --region, or set AWS_REGION, AWS_DEFAULT_REGION or region in profile '\(profile)' of \(configFile)")
        }
        guard Grammar.isRegion(region) else { throw ValidationError(field: "region", value: region, rule: "must be a region id such as us-east-1") }
        return region
    }
}

/// The INI dialect of the AWS shared files: `[section]`, `key = value`, `#` and `;` comments.
enum INIFile {
    static func read(_ path: String) -> [String: [String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return parse(String(decoding: data, as: UTF8.self))
    }

    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current, default: [:]][key] = value
        }
        return sections
    }
}
