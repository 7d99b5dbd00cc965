import Crypto
import Foundation
import RemoteProvidersCore

/// AWS credentials: an access key pair, with a session token for temporary credentials.
public struct AWSCredentials: Sendable {
    public let accessKeyID: String
    public let secretAccessKey: Secret
    public let sessionToken: Secret?

    public init(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`): canonical request, string to sign, derived
/// signing key, `Authorization` header. Signs at each attempt, so retries carry a fresh date.
public struct SigV4Signer: RequestSigner {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String
    private let clock: @Sendable () -> Date

    public init(credentials: AWSCredentials, region: String, service: String, clock: @escaping @Sendable () -> Date = Date.init) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.clock = clock
    }

    public func sign(_ request: inout OutgoingRequest) async throws {
        signNow(&request)
    }

    /// The same, synchronously: signing touches no I/O.
    public func signNow(_ request: inout OutgoingRequest) {
        let now = clock()
        let amzDate = Self.timestamp(now, format: "yyyyMMdd'T'HHmmss'Z'")
        let day = String(amzDate.prefix(8))
        let body = request.body ?? Data()
        let payloadHash = Hex.encode(SHA256.hash(data: body))

        request.setHeader("X-Amz-Date", amzDate)
        if let token = credentials.sessionToken { request.setHeader("X-Amz-Security-Token", token.revealed) }

        var signed: [(String, String)] = [("host", Self.hostHeader(request.url))]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            guard !Self.unsigned.contains(lower), lower != "host", lower != "authorization" else { continue }
            signed.append((lower, Self.trimmed(value)))
        }
        // One line per header name; repeated names join their values with commas.
        var merged: [String: [String]] = [:]
        for (name, value) in signed { merged[name, default: []].append(value) }
        let names = merged.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalURI(request.url),
            Self.canonicalQuery(request.url),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Hex.encode(SHA256.hash(data: Data(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        let signature = Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day)))
        request.setHeader(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)")
    }

    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey.revealed)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// Headers proxies and clients may change in flight; botocore leaves them out too.
    static let unsigned: Set<String> = ["user-agent", "expect", "x-amzn-trace-id", "accept", "connection"]

    /// `host` or `host:port` when the port is not the scheme's default, as HTTP clients send it.
    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port = url.port else { return bracketed }
        let defaultPort = url.scheme?.lowercased() == "https" ? 443 : 80
        return port == defaultPort ? bracketed : "\(bracketed):\(port)"
    }

    /// The path as sent, each byte outside the unreserved set encoded once more (AWS services
    /// other than S3 sign the path encoded twice).
    static func canonicalURI(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { QueryEncoding.encode(String($0)) }
            .joined(separator: "/")
    }

    /// Pairs sorted by encoded name, then value; each side encoded with RFC 3986's unreserved set.
    static func canonicalQuery(_ url: URL) -> String {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery, !query.isEmpty else {
            return ""
        }
        let pairs = query.split(separator: "&").map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (QueryEncoding.encode(name), QueryEncoding.encode(value))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Leading and trailing whitespace removed, inner runs of it made one space.
    static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func timestamp(_ date: Date, format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}
