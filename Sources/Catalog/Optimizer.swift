import Foundation
import RemoteProvidersCore

/// What the optimizer found: every fitting candidate, cheapest first, and what ruled the rest out.
///
/// The ranking is kept as small sorted entries pointing into the optimizer's offers (sorting
/// whole offers would move kilobytes per comparison); candidates are made as they are read.
public struct Ranking: Sendable {
    /// One fitting offer in one market, with what the order compares first.
    struct Entry: Sendable {
        let price: Double
        let observed: Double
        let index: Int32
        /// Into `providerNames`.
        let provider: UInt32
        let market: Market
    }

    let offers: [Offer]
    /// The providers of the offers, in the order the entries' `provider` indexes them.
    let providerNames: [ProviderID]
    let entries: [Entry]
    /// Offers of the kind asked for (with GPUs when GPUs are asked for, else without).
    public let considered: Int
    /// For each constraint, how many offers it ruled out (an offer may fail several).
    public let eliminated: [Constraint: Int]
    /// For each constraint, how many offers it alone ruled out (relaxing it alone would admit
    /// them), and the cheapest of those.
    public let eliminatedAlone: [Constraint: Int]
    public let cheapestAlone: [Constraint: Candidate]

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(position: Int) -> Candidate { candidate(entries[position]) }

    public var first: Candidate? { entries.first.map { candidate($0) } }

    /// Every fitting candidate, cheapest first.
    public var candidates: [Candidate] { entries.map { candidate($0) } }

    /// The index into `providerNames` of the provider of the candidate at `position`.
    func providerIndex(at position: Int) -> Int { Int(entries[position].provider) }

    /// The provider of the candidate at `position`, without making the candidate.
    public func provider(at position: Int) -> ProviderID { providerNames[Int(entries[position].provider)] }

    func candidate(_ entry: Entry) -> Candidate {
        Candidate(offer: offers[Int(entry.index)], market: entry.market, pricePerHour: entry.price)
    }

    /// The constraint that ruled out the most offers.
    public var tightest: Constraint? {
        eliminated.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
    }

    /// Why nothing fits, in a sentence a user can act on; nil when something does.
    public var explanation: String? {
        guard entries.isEmpty else { return nil }
        guard considered > 0 else { return "the catalog has no offers of this kind (with GPUs exactly when gpus is 1 or more)" }
        guard let tightest else { return "no offer fits" }
        var text = "no offer fits: \(tightest.field) ruled out \(eliminated[tightest] ?? 0) of \(considered) offers"
        let relaxable = eliminatedAlone.filter { $0.value > 0 }.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
        if let (constraint, count) = relaxable.first {
            text += "; relaxing \(constraint.field) alone would admit \(count)"
            if let cheapest = cheapestAlone[constraint] {
                text += String(format: " (cheapest: %@ %@ %@ at $%.4f/h)", cheapest.offer.provider.rawValue, cheapest.offer.region, cheapest.offer.instanceType, cheapest.pricePerHour)
            }
        }
        return text
    }
}

/// Picks the cheapest offers that fit a `ResourceSpec`: every field is a filter; the survivors
/// are ranked by price per hour, then by freshness (newer first), then by name so a plan is
/// the same every time it is made.
public struct Optimizer: Sendable {
    public let offers: [Offer]
    /// Every provider with an offer, sorted.
    public let providers: [ProviderID]
    /// Made once: a plan is often made again from the same offers (with more scopes blocked).
    let columns: OfferColumns

    public init(offers: [Offer]) {
        self.offers = offers
        columns = OfferColumns(offers)
        providers = columns.providers.all.sorted()
    }

    public func rank(_ spec: ResourceSpec, blocked: Set<BlockedScope> = []) -> Ranking {
        let filter = OfferFilter(spec: spec, blocked: blocked, columns: columns)
        var fitting: [Ranking.Entry] = []
        var eliminated = [Int](repeating: 0, count: Constraint.allCases.count)
        var alone = [Int](repeating: 0, count: Constraint.allCases.count)
        var cheapestAlone: [Constraint: Candidate] = [:]
        var considered = 0
        for index in offers.indices {
            let (failed, onDemand, spot) = filter.check(index, offers: offers)
            // A GPU machine for a CPU job (or the reverse) is another kind of offer, not a near
            // miss: left out of the explanation, which would otherwise always blame it.
            if failed & Constraint.gpuPresence.bit != 0 { continue }
            considered += 1
            if failed == 0 {
                let (observed, provider) = (columns.observed[index], columns.provider[index])
                if let onDemand { fitting.append(.init(price: onDemand, observed: observed, index: Int32(index), provider: provider, market: .onDemand)) }
                if let spot { fitting.append(.init(price: spot, observed: observed, index: Int32(index), provider: provider, market: .spot)) }
                continue
            }
            var rest = failed
            while rest != 0 {
                eliminated[rest.trailingZeroBitCount] += 1
                rest &= rest - 1
            }
            // Failing one constraint only: the offer would fit if just that were relaxed.
            if failed & (failed - 1) == 0, let constraint = Constraint(rawValue: failed.trailingZeroBitCount) {
                alone[constraint.rawValue] += 1
                if let (price, market) = filter.relaxed(index), price < (cheapestAlone[constraint]?.pricePerHour ?? .infinity) {
                    cheapestAlone[constraint] = Candidate(offer: offers[index], market: market, pricePerHour: price)
                }
            }
        }
        let offers = offers
        fitting.sort { a, b in
            if a.price != b.price { return a.price < b.price }
            if a.observed != b.observed { return a.observed > b.observed }
            return Self.namedFirst(offers[Int(a.index)], a.market, offers[Int(b.index)], b.market)
        }
        func counts(_ values: [Int]) -> [Constraint: Int] {
            Dictionary(uniqueKeysWithValues: Constraint.allCases.compactMap { values[$0.rawValue] > 0 ? ($0, values[$0.rawValue]) : nil })
        }
        return Ranking(
            offers: offers, providerNames: columns.providers.all, entries: fitting, considered: considered, eliminated: counts(eliminated), eliminatedAlone: counts(alone),
            cheapestAlone: cheapestAlone)
    }

    /// The order of candidates: price, then freshness, then names.
    public static func cheaperFirst(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.pricePerHour != b.pricePerHour { return a.pricePerHour < b.pricePerHour }
        if a.offer.observedAt != b.offer.observedAt { return a.offer.observedAt > b.offer.observedAt }
        return namedFirst(a.offer, a.market, b.offer, b.market)
    }

    static func namedFirst(_ a: Offer, _ aMarket: Market, _ b: Offer, _ bMarket: Market) -> Bool {
        if a.provider != b.provider { return a.provider < b.provider }
        if a.region != b.region { return a.region < b.region }
        if a.instanceType != b.instanceType { return a.instanceType < b.instanceType }
        if aMarket != bMarket { return aMarket == .onDemand }
        return (a.zone ?? "") < (b.zone ?? "")
    }
}
