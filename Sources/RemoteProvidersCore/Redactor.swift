import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Every secret text this process has seen, so redaction also catches values no pattern knows.
public final class SecretRegistry: Sendable {
    public static let shared = SecretRegistry()

    /// Shorter values would mask innocent words; such secrets are still masked by the patterns.
    static let minimumLength = 6

    private let values = Mutex<Set<String>>([])

    public init() {}

    public func register(_ value: String) {
        guard value.count >= Self.minimumLength else { return }
        values.withLock { _ = $0.insert(value) }
    }

    public var all: [String] {
        // Longest first, so a secret that contains another is masked whole.
        values.withLock { Array($0) }.sorted { $0.count > $1.count }
    }
}

/// Removes secrets from text bound for a log line, an error message or a description.
///
/// Two nets: the exact values registered as `Secret`s, and patterns for credentials whose shape is
/// known (AWS key ids, DigitalOcean tokens, PEM private keys, Authorization headers, tokens in
/// query strings and JSON bodies).
public struct Redactor: Sendable {
    public static let mask = "[REDACTED]"
    public static let standard = Redactor(registry: .shared)

    private let registry: SecretRegistry

    public init(registry: SecretRegistry) {
        self.registry = registry
    }

    public func redact(_ text: String) -> String {
        var result = text
        let bytes = Array(text.utf8)
        for secret in registry.all where ByteSearch.contains(bytes, secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        // Case-folded once, so each rule's trigger test is one byte search.
        let folded = Array(result.lowercased().utf8)
        for rule in RedactionRule.all where rule.triggers.contains(where: { ByteSearch.contains(folded, $0) }) {
            result = rule.apply(to: result)
        }
        return result
    }
}

/// One credential shape: what to find and which capture groups to keep around the mask.
/// `NSRegularExpression` is immutable once made and documented as safe to share between threads.
struct RedactionRule: @unchecked Sendable {
    let expression: NSRegularExpression?
    /// The text that replaces a match; `$1`… keep captured context such as a header name.
    let template: String
    /// Words every match contains (in lower case): a text with none of them skips the expression,
    /// which keeps redacting large documents cheap.
    let triggers: [String]

    /// The patterns are literals of this file; a typo in one is caught by the redaction tests.
    init(pattern: String, template: String, triggers: [String]) {
        self.expression = try? NSRegularExpression(pattern: pattern)
        self.template = template
        self.triggers = triggers.map { $0.lowercased() }
    }

    func apply(to text: String) -> String {
        guard let expression else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return expression.stringByReplacingMatches(in: text, range: range, withTemplate: template)
    }

    static var allCompile: Bool { all.allSatisfy { $0.expression != nil } }

    static let all: [RedactionRule] = [
        // PEM private keys of any kind, including the OpenSSH format.
        RedactionRule(
            pattern: #"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"#,
            template: "-----BEGIN $1PRIVATE KEY-----\(Redactor.mask)-----END $1PRIVATE KEY-----", triggers: ["PRIVATE KEY"]),
        // Authorization-style headers, whatever follows the scheme.
        RedactionRule(
            pattern: #"(?i)\b(authorization|proxy-authorization|x-api-key|api-key|x-amz-security-token|x-auth-token)(["']?\s*[:=]\s*["']?)[^\r\n"',}]+"#,
            template: "$1$2\(Redactor.mask)",
            triggers: ["authorization", "api-key", "x-amz-security-token", "x-auth-token"]),
        RedactionRule(
            pattern: #"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=:-]{6,}"#, template: "$1 \(Redactor.mask)", triggers: ["bearer", "basic"]),
        // AWS access key ids and SigV4 credential scopes.
        RedactionRule(
            pattern: #"\b(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b"#,
            template: Redactor.mask, triggers: ["AKIA", "ASIA", "AIDA", "AROA", "AGPA", "ANPA", "ANVA", "AIPA", "ABIA", "ACCA"]),
        // DigitalOcean personal, OAuth and refresh tokens.
        RedactionRule(pattern: #"\bdo[opr]_v1_[a-f0-9]{64}\b"#, template: Redactor.mask, triggers: ["_v1_"]),
        // Credentials in query strings and form bodies.
        RedactionRule(
            pattern: #"(?i)([?&;]|^|\s)((?:x-amz-)?(?:signature|credential|security-token)|token|access_token|refresh_token|id_token|api_key|apikey|api-key|key|secret|client_secret|password|passwd|aws_secret_access_key|aws_access_key_id|aws_session_token)=[^&\s"']+"#,
            template: "$1$2=\(Redactor.mask)", triggers: ["="]),
        // Credentials in JSON bodies.
        RedactionRule(
            pattern: #"(?i)("(?:token|access_token|refresh_token|id_token|api_key|apikey|api-key|secret|client_secret|password|private_key|privatekey|secret_access_key|secretaccesskey|session_token)"\s*:\s*)"(?:[^"\\]|\\.)*""#,
            template: "$1\"\(Redactor.mask)\"", triggers: ["token", "key", "secret", "password"]),
    ]
}

/// Substring search over bytes with the C library's `memchr` and `memcmp`: Swift's generic
/// `contains` walks characters and costs a second per few megabytes, and the JSON documents
/// `status` prints run to megabytes.
enum ByteSearch {
    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        return haystack.withUnsafeBytes { hay -> Bool in
            pattern.withUnsafeBytes { pat -> Bool in
                guard let base = hay.baseAddress, let needleBase = pat.baseAddress else { return false }
                var offset = 0
                while offset + pat.count <= hay.count {
                    guard let found = memchr(base + offset, Int32(first), hay.count - offset) else { return false }
                    let position = base.distance(to: UnsafeRawPointer(found))
                    if position + pat.count > hay.count { return false }
                    if memcmp(base + position, needleBase, pat.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }
}
