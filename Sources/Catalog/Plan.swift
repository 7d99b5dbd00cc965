import Foundation
import RemoteProvidersCore

/// One provider's place in a plan: its cheapest fitting offer, and whether `up` may use it.
public struct ProviderStanding: Sendable {
    public let provider: ProviderID
    public let cheapest: Candidate?
    /// Why `up` will not use this provider; nil when it may.
    public let notDeployable: String?
}

/// What `up` would buy, before anything is bought: the chosen offer, the order the orchestrator
/// falls back in on capacity errors, the price and the worst-case cost under the TTL.
public struct Plan: Sendable {
    public let spec: ResourceSpec
    public let replicas: Int
    public let ttl: TimeSpan?
    /// The cheapest deployable candidate, then the ones tried after it, in order.
    public let chosen: Candidate?
    public let fallbacks: [Candidate]
    /// Fitting offers cheaper than `chosen` on providers `up` cannot use (the best per provider).
    public let cheaperElsewhere: [Candidate]
    /// Every provider with offers in the catalog, cheapest fitting first.
    public let providers: [ProviderStanding]
    /// Why nothing fits (or nothing deployable does); nil when `chosen` is set.
    public let explanation: String?

    /// USD per hour for all replicas at the chosen offer.
    public var hourlyPrice: Double? { chosen.map { $0.pricePerHour * Double(replicas) } }

    /// Cost over the whole TTL at the chosen offer; nil without a TTL.
    public var expectedCost: Double? { cost(at: chosen?.pricePerHour) }

    /// Cost over the whole TTL if failover ends on the dearest fallback.
    public var worstCaseCost: Double? { cost(at: ([chosen].compactMap { $0 } + fallbacks).map(\.pricePerHour).max()) }

    private func cost(at price: Double?) -> Double? {
        guard let price, let ttl else { return nil }
        return price * Double(replicas) * Double(ttl.seconds) / 3600
    }
}

/// Turns a ranking into a plan: which candidates `up` may use, in what order.
public struct Planner: Sendable {
    public let optimizer: Optimizer
    /// Why a provider cannot be deployed to (no driver, no credentials); nil when it can.
    public let notDeployable: @Sendable (ProviderID) -> String?

    public init(optimizer: Optimizer, notDeployable: @escaping @Sendable (ProviderID) -> String?) {
        self.optimizer = optimizer
        self.notDeployable = notDeployable
    }

    public func plan(
        _ spec: ResourceSpec, replicas: Int = 1, ttl: TimeSpan? = nil, blocked: Set<BlockedScope> = [], fallbacks: Int = 5
    ) -> Plan {
        let ranking = optimizer.rank(spec, blocked: blocked)
        // Per provider, by the ranking's provider index: asked once each, no name hashed per entry.
        let names = ranking.providerNames
        var reasons = [String??](repeating: nil, count: names.count)
        func reason(_ index: Int) -> String? {
            if let known = reasons[index] { return known }
            let found = notDeployable(names[index])
            reasons[index] = .some(found)
            return found
        }
        var deployable: [Candidate] = []
        var cheapestByIndex = [Candidate?](repeating: nil, count: names.count)
        for position in 0..<ranking.count {
            let provider = ranking.providerIndex(at: position)
            let first = cheapestByIndex[provider] == nil
            let wanted = deployable.count <= fallbacks && reason(provider) == nil
            guard first || wanted else { continue }
            let candidate = ranking[position]
            if first { cheapestByIndex[provider] = candidate }
            if wanted { deployable.append(candidate) }
        }
        var cheapest: [ProviderID: Candidate] = [:]
        for (index, candidate) in cheapestByIndex.enumerated() { cheapest[names[index]] = candidate }
        func reason(_ provider: ProviderID) -> String? { names.firstIndex(of: provider).map(reason) ?? notDeployable(provider) }
        let chosen = deployable.first
        let cheaper = cheapest.values.filter { candidate in
            reason(candidate.offer.provider) != nil && candidate.pricePerHour < (chosen?.pricePerHour ?? .infinity)
        }.sorted(by: Optimizer.cheaperFirst)
        let providers = optimizer.providers.map { provider in
            ProviderStanding(provider: provider, cheapest: cheapest[provider], notDeployable: reason(provider))
        }.sorted { a, b in
            switch (a.cheapest, b.cheapest) {
            case (let x?, let y?): Optimizer.cheaperFirst(x, y)
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.provider < b.provider
            }
        }
        var explanation = ranking.explanation
        if explanation == nil, chosen == nil {
            let names = cheapest.keys.sorted().map(\.rawValue).joined(separator: ", ")
            explanation = "offers fit only on providers up cannot use here (\(names)): see why below"
        }
        return Plan(
            spec: spec, replicas: replicas, ttl: ttl, chosen: chosen, fallbacks: Array(deployable.dropFirst()),
            cheaperElsewhere: cheaper, providers: providers, explanation: explanation)
    }
}
