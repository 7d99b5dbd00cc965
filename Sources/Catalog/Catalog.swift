import Foundation
import RemoteProvidersCore

/// Every offer the tool knows: the bundled snapshot with the live offers of `catalog refresh`
/// merged over it. Reading it never touches a network.
public struct Catalog: Sendable {
    /// How one provider's rows stand.
    public struct ProviderState: Sendable, Equatable {
        public var snapshotRows = 0
        public var liveRows = 0
        /// When its live rows were pulled (nil: never, or they expired).
        public var refreshedAt: Date?
        /// The last refresh failed: live rows, if any, are older than they should be.
        public var stale = false
        public var lastError: String?
        /// Live rows were dropped for being older than the maximum age.
        public var expired = false
    }

    public let offers: [Offer]
    public let providers: [ProviderID: ProviderState]
    /// Lines of the snapshot that could not be read (empty in a good build).
    public let problems: [String]

    /// How long live offers count: a day by default (`catalog.max_age` in the config file).
    public static let defaultMaxAge = TimeSpan(seconds: 86_400)

    public init(offers: [Offer], providers: [ProviderID: ProviderState] = [:], problems: [String] = []) {
        self.offers = offers
        self.providers = providers
        self.problems = problems
    }

    /// The snapshot, with `cache`'s live rows younger than `maxAge` merged over it.
    public static func load(cache: CatalogCache = CatalogCache(), maxAge: TimeSpan = defaultMaxAge, now: Date = Date()) -> Catalog {
        let snapshot = Snapshot.load()
        var offers = snapshot.offers
        var states: [ProviderID: ProviderState] = [:]
        for offer in offers { states[offer.provider, default: ProviderState()].snapshotRows += 1 }
        guard !cache.providers.isEmpty else { return Catalog(offers: offers, providers: states, problems: snapshot.problems) }

        var index: [String: Int] = [:]
        for (position, offer) in offers.enumerated() { index[key(offer)] = position }
        for (name, entry) in cache.providers.sorted(by: { $0.key < $1.key }) {
            guard let provider = ProviderID(rawValue: name) else { continue }
            var state = states[provider] ?? ProviderState()
            state.stale = entry.error != nil
            state.lastError = entry.error
            if let refreshed = entry.refreshedAt, now.timeIntervalSince(refreshed) <= TimeInterval(maxAge.seconds) {
                state.refreshedAt = refreshed
                state.liveRows = entry.offers.count
                for live in entry.offers where live.provider == provider {
                    if let position = index[key(live)] {
                        offers[position] = merged(live, over: offers[position])
                    } else {
                        index[key(live)] = offers.count
                        offers.append(live)
                    }
                }
            } else if entry.refreshedAt != nil {
                state.expired = true
            }
            states[provider] = state
        }
        return Catalog(offers: offers, providers: states, problems: snapshot.problems)
    }

    public func state(of provider: ProviderID) -> ProviderState { providers[provider] ?? ProviderState() }

    static func key(_ offer: Offer) -> String {
        "\(offer.provider.rawValue)|\(offer.region)|\(offer.zone ?? "")|\(offer.instanceType)"
    }

    /// A live row over its snapshot row: the live shape and prices win; a price the listing does
    /// not carry (EC2 lists types but not on-demand prices) comes from the snapshot, which says so.
    static func merged(_ live: Offer, over known: Offer) -> Offer {
        var offer = live
        var borrowed: [String] = []
        if offer.onDemandPrice == nil, let price = known.onDemandPrice {
            offer.onDemandPrice = price
            borrowed.append("on-demand")
        }
        if offer.spotPrice == nil, let price = known.spotPrice {
            offer.spotPrice = price
            borrowed.append("spot")
        }
        offer.tee = offer.tee || known.tee
        if !borrowed.isEmpty { offer.source += "; \(borrowed.joined(separator: " and ")) price from \(known.source)" }
        return offer
    }
}
