import Foundation

/// The process environment as a value, so code that reads variables can be given any set of them.
public struct Environment: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    public static var process: Environment { Environment(ProcessInfo.processInfo.environment) }

    /// A variable's value; an empty value counts as unset (an empty token authenticates nobody).
    public subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The first of a variable's names that is set, with its value: the name itself, then its aliases.
    public func lookup(_ variable: CredentialVariable) -> (name: String, value: String)? {
        for name in variable.allNames {
            if let value = self[name] { return (name, value) }
        }
        return nil
    }

    /// Whether `BLUEPRINT_REMOTE_…` boolean switches are on: `1`, `true` or `yes`.
    public func flag(_ name: String) -> Bool {
        guard let value = self[name]?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }
}

/// Which of a provider's credentials are present, without their values.
public struct CredentialStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Every variable of a scheme is set.
        case configured(scheme: String)
        /// Nothing is set, but a scheme may work from where the tool runs (a metadata server, a default file).
        case ambient(scheme: String, source: String)
        /// The provider needs no credentials.
        case notNeeded
        case missing
    }

    public struct Variable: Sendable, Equatable {
        public let name: String
        public let aliases: [String]
        public let role: String
        /// The name under which the value was found (the variable or one of its aliases).
        public let setAs: String?
        public let isSecret: Bool
    }

    public let state: State
    public let variables: [Variable]

    public var isConfigured: Bool {
        switch state {
        case .configured, .notNeeded: true
        case .ambient, .missing: false
        }
    }

    public init(metadata: ProviderMetadata, environment: Environment) {
        variables = metadata.credentialVariables.map { variable in
            Variable(
                name: variable.name, aliases: variable.aliases, role: variable.role,
                setAs: environment.lookup(variable)?.name, isSecret: variable.isSecret)
        }
        if metadata.credentialSchemes.isEmpty {
            state = .notNeeded
        } else if let scheme = metadata.credentialSchemes.first(where: { scheme in
            scheme.ambient == nil && !scheme.required.isEmpty && scheme.required.allSatisfy { environment.lookup($0) != nil }
        }) {
            state = .configured(scheme: scheme.name)
        } else if let scheme = metadata.credentialSchemes.first(where: { scheme in
            scheme.ambient != nil && scheme.required.allSatisfy { environment.lookup($0) != nil }
        }), let source = scheme.ambient {
            state = .ambient(scheme: scheme.name, source: source)
        } else {
            state = .missing
        }
    }
}
