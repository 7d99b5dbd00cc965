/// Where a capacity or quota failure applies, so the orchestrator blocks exactly that and moves on.
public enum FailureScope: Sendable, Hashable, CustomStringConvertible {
    case zone(String)
    case region(String)
    case provider

    public var description: String {
        switch self {
        case .zone(let zone): "zone \(zone)"
        case .region(let region): "region \(region)"
        case .provider: "provider"
        }
    }
}

/// A typed failure from a provider's API (or from reaching it), with what was being done.
///
/// The message is redacted when the error is made, so no path that prints an error can leak a secret.
public struct ProviderError: CodedError, Sendable {
    public enum Kind: Sendable, Equatable {
        case noCapacity(FailureScope)
        case quotaExceeded(FailureScope)
        case invalidCredentials
        /// The provider asked us to slow down; `retryAfter` in seconds when it said how long.
        case rateLimited(retryAfter: Double?)
        case notFound
        case invalidRequest
        case conflict
        /// Worth retrying later: 5xx, 408, a dropped connection before the request was sent.
        case transient
        case timeout
        /// The request may or may not have taken effect (a create whose answer was lost) and it
        /// could not be retried safely. Whoever made it must look before trying again.
        case outcomeUnknown
        /// The provider (or this driver) does not offer the operation.
        case unsupported
    }

    public let kind: Kind
    public let provider: ProviderID?
    public let operation: String?
    public let httpStatus: Int?
    public let message: String

    public init(
        _ kind: Kind, provider: ProviderID? = nil, operation: String? = nil, httpStatus: Int? = nil, message: String
    ) {
        self.kind = kind
        self.provider = provider
        self.operation = operation
        self.httpStatus = httpStatus
        self.message = Redactor.standard.redact(message)
    }

    public static func unsupported(_ operation: String, provider: ProviderID, reason: String) -> ProviderError {
        ProviderError(.unsupported, provider: provider, operation: operation, message: reason)
    }

    public var code: ErrorCode {
        switch kind {
        case .noCapacity: .noCapacity
        case .quotaExceeded: .quota
        case .invalidCredentials: .credentials
        case .rateLimited: .rateLimited
        case .notFound: .notFound
        case .invalidRequest, .transient, .outcomeUnknown: .provider
        case .conflict: .conflict
        case .timeout: .timeout
        case .unsupported: .unsupported
        }
    }

    /// Whether the same call may simply be made again later.
    public var isTransient: Bool {
        switch kind {
        case .transient, .rateLimited, .timeout: true
        default: false
        }
    }

    public var description: String {
        var prefix = ""
        if let provider { prefix += provider.rawValue }
        if let operation { prefix += prefix.isEmpty ? operation : " \(operation)" }
        if let httpStatus { prefix += " (HTTP \(httpStatus))" }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }
}
