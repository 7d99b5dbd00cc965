/// What kind of thing a provider hands out; a provider may be several (RunPod: gpu and container).
public struct ProviderKinds: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let vm = ProviderKinds(rawValue: 1 << 0)
    public static let gpu = ProviderKinds(rawValue: 1 << 1)
    /// The provider runs the service image itself; there is no runtime to install over SSH.
    public static let container = ProviderKinds(rawValue: 1 << 2)
    public static let kubernetes = ProviderKinds(rawValue: 1 << 3)
    /// Bring-your-own hosts: handed out from a pool, not bought.
    public static let byo = ProviderKinds(rawValue: 1 << 4)

    public static let names: [(ProviderKinds, String)] = [
        (.vm, "vm"), (.gpu, "gpu"), (.container, "container"), (.kubernetes, "kubernetes"), (.byo, "byo"),
    ]

    public var names: [String] { Self.names.filter { contains($0.0) }.map(\.1) }
}

/// One environment variable a provider reads, with the aliases accepted when it is unset.
public struct CredentialVariable: Hashable, Sendable {
    public let name: String
    public let aliases: [String]
    /// What the value is; shown by `providers`.
    public let role: String
    /// Secret values are never printed, only whether they are set.
    public let isSecret: Bool
    /// The value is a file path (a key file, a hosts file).
    public let isPath: Bool

    public init(_ name: String, aliases: [String] = [], role: String, secret: Bool = true, path: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.role = role
        self.isSecret = secret
        self.isPath = path
    }

    public var allNames: [String] { [name] + aliases }
}

/// One complete way to authenticate: every variable listed must be set.
public struct CredentialScheme: Hashable, Sendable {
    public let name: String
    public let required: [CredentialVariable]
    public let optional: [CredentialVariable]
    /// Credentials that come from where the tool runs (a metadata server, a default file) and cannot
    /// be seen from the environment alone; `providers` reports them as possible, not as set.
    public let ambient: String?

    public init(_ name: String, required: [CredentialVariable], optional: [CredentialVariable] = [], ambient: String? = nil) {
        self.name = name
        self.required = required
        self.optional = optional
        self.ambient = ambient
    }
}

/// Everything the tool knows about a provider before any driver exists: the one registry of
/// ids, kinds, endpoints and credential variables (../shared/PROVIDERS.md).
public struct ProviderMetadata: Hashable, Sendable {
    public let id: ProviderID
    public let displayName: String
    public let kinds: ProviderKinds
    /// The real base URL, version path included; `nil` where the provider publishes none.
    public let baseURL: String?
    /// Second endpoints by name (`OAUTH`, `LOGIN`, `METADATA`), each overridable on its own.
    public let secondaryEndpoints: [String: String]
    /// Any one scheme authenticates. Empty means the provider needs no credentials.
    public let credentialSchemes: [CredentialScheme]
    /// Where the wire contract comes from: an OpenAPI document, a client library, documentation.
    public let contractSource: String

    public init(
        id: ProviderID, displayName: String, kinds: ProviderKinds, baseURL: String?,
        secondaryEndpoints: [String: String] = [:], credentialSchemes: [CredentialScheme], contractSource: String
    ) {
        self.id = id
        self.displayName = displayName
        self.kinds = kinds
        self.baseURL = baseURL
        self.secondaryEndpoints = secondaryEndpoints
        self.credentialSchemes = credentialSchemes
        self.contractSource = contractSource
    }

    /// Every variable the provider reads, each once, in declaration order.
    public var credentialVariables: [CredentialVariable] {
        var seen = Set<String>()
        return credentialSchemes.flatMap { $0.required + $0.optional }.filter { seen.insert($0.name).inserted }
    }

    /// `BLUEPRINT_REMOTE_ENDPOINT_<SUFFIX>`, which replaces `baseURL` whole.
    public var endpointVariable: String { "BLUEPRINT_REMOTE_ENDPOINT_\(id.environmentSuffix)" }

    /// `BLUEPRINT_REMOTE_ENDPOINT_<SUFFIX>_<NAME>` for a second endpoint.
    public func endpointVariable(for name: String) -> String { "\(endpointVariable)_\(name.uppercased())" }
}
