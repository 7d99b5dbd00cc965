import RemoteProvidersCore

/// A place the orchestrator stopped trying after a capacity or quota failure: a whole provider,
/// one of its regions, or one zone, optionally for one instance type only.
public struct BlockedScope: Sendable, Hashable, CustomStringConvertible {
    public let provider: ProviderID
    public let scope: FailureScope
    public let instanceType: String?

    public init(provider: ProviderID, scope: FailureScope, instanceType: String? = nil) {
        self.provider = provider
        self.scope = scope
        self.instanceType = instanceType
    }

    public func blocks(_ offer: Offer) -> Bool {
        guard offer.provider == provider, instanceType == nil || instanceType == offer.instanceType else { return false }
        switch scope {
        case .provider: return true
        case .region(let region): return offer.region == region
        case .zone(let zone): return offer.zone == zone
        }
    }

    public var description: String {
        let type = instanceType.map { " for \($0)" } ?? ""
        switch scope {
        case .provider: return "\(provider)\(type)"
        default: return "\(provider) \(scope)\(type)"
        }
    }
}
