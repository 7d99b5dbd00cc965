import Foundation

/// The small grammars spec values must match. Each check is a whole-string match.
public enum Grammar {
    /// RFC 1123 label: lower-case letters, digits and inner hyphens, 1–63 characters.
    public static func isDNSLabel(_ text: String) -> Bool {
        matches(dnsLabel, text)
    }

    /// POSIX portable environment variable name.
    public static func isEnvironmentName(_ text: String) -> Bool {
        matches(environmentName, text)
    }

    /// The OCI distribution reference grammar: `[host[:port]/]path[:tag][@digest]`, name ≤ 255.
    public static func isImageReference(_ text: String) -> Bool {
        guard matches(imageReference, text) else { return false }
        let name = text.split(separator: "@", maxSplits: 1)[0]
        let withoutTag = name.range(of: #":[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"#, options: .regularExpression)
            .map { name[..<$0.lowerBound] } ?? name
        return withoutTag.count <= 255
    }

    /// A GPU model name as catalogs write them: `H100`, `A100-80GB`, `RTX4090`, `L40S`.
    public static func isGPUModel(_ text: String) -> Bool {
        matches(gpuModel, text)
    }

    /// A cloud region or zone id: `us-east-1`, `fsn1`, `europe-west4-a`, `NY2`.
    public static func isRegion(_ text: String) -> Bool {
        matches(region, text)
    }

    /// A registry host with an optional port: `ghcr.io`, `localhost:5000`, `10.0.0.1:5000`.
    public static func isRegistryHost(_ text: String) -> Bool {
        matches(registryHost, text)
    }

    private static func matches(_ expression: Expression, _ text: String) -> Bool {
        guard let regex = expression.regex else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// `NSRegularExpression` is immutable once made and documented as safe to share between threads.
    private struct Expression: @unchecked Sendable {
        let regex: NSRegularExpression?
        init(_ pattern: String) { regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") }
    }

    private static let dnsLabel = Expression("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
    private static let environmentName = Expression("[A-Za-z_][A-Za-z0-9_]*")
    private static let gpuModel = Expression("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
    private static let region = Expression("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")

    private static let domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    private static let host = "(?:\(domainComponent)(?:\\.\(domainComponent))*|\\[[a-fA-F0-9:]+\\])"
    private static let registryHost = Expression("\(host)(?::[0-9]{1,5})?")
    private static let imageReference: Expression = {
        let alphanumeric = "[a-z0-9]+"
        let separator = "(?:[._]|__|[-]+)"
        let pathComponent = "\(alphanumeric)(?:\(separator)\(alphanumeric))*"
        let domain = "\(host)(?::[0-9]+)?"
        let name = "(?:\(domain)/)?\(pathComponent)(?:/\(pathComponent))*"
        let tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
        let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
        return Expression("\(name)(?::\(tag))?(?:@\(digest))?")
    }()
}
