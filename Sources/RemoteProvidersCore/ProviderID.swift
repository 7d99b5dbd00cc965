/// A provider's id as users type it (`--provider aws`) and `--json` prints it: `[a-z0-9]+`.
///
/// An open value rather than a closed enum, so a provider is added without touching a switch.
public struct ProviderID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only the id grammar; anything else is `nil`.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) })
        else { return nil }
        self.rawValue = rawValue
    }

    /// For the ids this package declares; they are literals checked by the registry's tests.
    init(known rawValue: String) {
        self.rawValue = rawValue
    }

    /// The upper-case suffix that names every per-provider variable (`BLUEPRINT_REMOTE_ENDPOINT_AWS`).
    public var environmentSuffix: String { rawValue.uppercased() }

    public var description: String { rawValue }

    public static func < (lhs: ProviderID, rhs: ProviderID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ProviderID(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "provider id must match [a-z0-9]+"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ProviderID {
    public static let aws = ProviderID(known: "aws")
    public static let gcp = ProviderID(known: "gcp")
    public static let azure = ProviderID(known: "azure")
    public static let digitalocean = ProviderID(known: "digitalocean")
    public static let vultr = ProviderID(known: "vultr")
    public static let hetzner = ProviderID(known: "hetzner")
    public static let lambda = ProviderID(known: "lambda")
    public static let runpod = ProviderID(known: "runpod")
    public static let vastai = ProviderID(known: "vastai")
    public static let lium = ProviderID(known: "lium")
    public static let paperspace = ProviderID(known: "paperspace")
    public static let fluidstack = ProviderID(known: "fluidstack")
    public static let tensordock = ProviderID(known: "tensordock")
    public static let crusoe = ProviderID(known: "crusoe")
    public static let coreweave = ProviderID(known: "coreweave")
    public static let ionet = ProviderID(known: "ionet")
    public static let primeintellect = ProviderID(known: "primeintellect")
    public static let render = ProviderID(known: "render")
    public static let akash = ProviderID(known: "akash")
    public static let ssh = ProviderID(known: "ssh")
    public static let local = ProviderID(known: "local")
    public static let kubernetes = ProviderID(known: "kubernetes")
}

extension ProviderID {
    /// The bring-your-own pools: hosts handed out, not bought.
    public var isPool: Bool { self == .ssh || self == .local }
}
