import Foundation
import RemoteProvidersCore

/// Which market an offer is bought in.
public enum Market: String, Sendable, Codable {
    case onDemand = "on-demand"
    case spot
}

/// An offer that fits, in one market, at that market's price.
public struct Candidate: Sendable, Equatable {
    public let offer: Offer
    public let market: Market
    /// USD per hour for one replica.
    public let pricePerHour: Double
}

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

/// One requirement of a `ResourceSpec`, as the optimizer checks it.
public enum Constraint: Int, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case provider, region, blocked, arch, cpus, memory, disk, gpuPresence, gpuModel, gpuCount, gpuMemory, tee, market, price

    /// The spec's field (or fields) the constraint comes from.
    public var field: String {
        switch self {
        case .provider: "providers / exclude_providers"
        case .region: "regions / exclude_regions"
        case .blocked: "blocked scopes (earlier capacity failures)"
        case .arch: "arch"
        case .cpus: "cpus"
        case .memory: "memory_gb"
        case .disk: "disk_gb"
        case .gpuPresence: "gpus"
        case .gpuModel: "gpu_models"
        case .gpuCount: "gpus"
        case .gpuMemory: "gpu_memory_gb"
        case .tee: "tee"
        case .market: "spot"
        case .price: "max_price_per_hour"
        }
    }

    public var description: String { field }

    var bit: UInt32 { 1 << UInt32(rawValue) }
}

/// What the optimizer found: every fitting candidate, cheapest first, and what ruled the rest out.
///
/// The ranking is kept as small sorted entries pointing into the optimizer's offers (sorting
/// whole offers would move kilobytes per comparison); candidates are made as they are read.
public struct Ranking: Sendable {
    /// One fitting offer in one market: 24 bytes, with what the order compares first.
    struct Entry: Sendable {
        let price: Double
        let observed: Double
        let index: Int32
        let market: Market
    }

    let offers: [Offer]
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

    /// The provider of the candidate at `position`, without making the candidate.
    public func provider(at position: Int) -> ProviderID { offers[Int(entries[position].index)].provider }

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
    /// Every provider with an offer, sorted; found once, as a plan is often made again (with
    /// more scopes blocked) from the same offers.
    public let providers: [ProviderID]

    public init(offers: [Offer]) {
        self.offers = offers
        providers = Set(offers.lazy.map(\.provider)).sorted()
    }

    public func rank(_ spec: ResourceSpec, blocked: Set<BlockedScope> = []) -> Ranking {
        let filter = OfferFilter(spec: spec, blocked: blocked)
        var fitting: [Ranking.Entry] = []
        var eliminated = [Int](repeating: 0, count: Constraint.allCases.count)
        var alone = [Int](repeating: 0, count: Constraint.allCases.count)
        var cheapestAlone: [Constraint: Candidate] = [:]
        var considered = 0
        for index in offers.indices {
            let (failed, onDemand, spot) = filter.check(offers[index])
            // A GPU machine for a CPU job (or the reverse) is another kind of offer, not a near
            // miss: left out of the explanation, which would otherwise always blame it.
            if failed & Constraint.gpuPresence.bit != 0 { continue }
            considered += 1
            if failed == 0 {
                let observed = offers[index].observedAt.timeIntervalSinceReferenceDate
                if let onDemand { fitting.append(.init(price: onDemand, observed: observed, index: Int32(index), market: .onDemand)) }
                if let spot { fitting.append(.init(price: spot, observed: observed, index: Int32(index), market: .spot)) }
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
                if let price = filter.relaxedPrice(offers[index]), price < (cheapestAlone[constraint]?.pricePerHour ?? .infinity) {
                    cheapestAlone[constraint] = Candidate(offer: offers[index], market: filter.relaxedMarket(offers[index]), pricePerHour: price)
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
            offers: offers, entries: fitting, considered: considered, eliminated: counts(eliminated), eliminatedAlone: counts(alone),
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

/// A `ResourceSpec` turned into cheap checks, computed once per ranking.
struct OfferFilter {
    let spec: ResourceSpec
    let blocked: [BlockedScope]
    let providers: Set<ProviderID>
    let excludedProviders: Set<ProviderID>
    let regions: Set<String>
    let excludedRegions: Set<String>
    /// Canonical models the GPU request accepts; nil for any model.
    let gpuModels: Set<String>?

    init(spec: ResourceSpec, blocked: Set<BlockedScope>) {
        self.spec = spec
        self.blocked = Array(blocked)
        providers = Set(spec.providers)
        excludedProviders = Set(spec.excludedProviders)
        regions = Set(spec.regions)
        excludedRegions = Set(spec.excludedRegions)
        if let gpu = spec.gpu, !gpu.models.isEmpty {
            gpuModels = gpu.models.reduce(into: Set<String>()) { $0.formUnion(GPUModel.matching($1) ?? []) }
        } else {
            gpuModels = nil
        }
    }

    /// The constraints `offer` fails (one bit each) and its price in each market the spot policy
    /// allows, nil where that market has no price or is over the cap.
    func check(_ offer: Offer) -> (UInt32, Double?, Double?) {
        var failed: UInt32 = 0
        if !providers.isEmpty, !providers.contains(offer.provider) { failed |= Constraint.provider.bit }
        if excludedProviders.contains(offer.provider) { failed |= Constraint.provider.bit }
        if !regions.isEmpty, !regions.contains(offer.region), !(offer.zone.map { regions.contains($0) } ?? false) { failed |= Constraint.region.bit }
        if !excludedRegions.isEmpty, excludedRegions.contains(offer.region) || (offer.zone.map { excludedRegions.contains($0) } ?? false) {
            failed |= Constraint.region.bit
        }
        if !blocked.isEmpty, blocked.contains(where: { $0.blocks(offer) }) { failed |= Constraint.blocked.bit }
        if offer.arch != spec.arch { failed |= Constraint.arch.bit }
        if let vcpus = offer.vcpus, vcpus < spec.cpus { failed |= Constraint.cpus.bit }
        if let memory = offer.memoryGB, memory < spec.memoryGB { failed |= Constraint.memory.bit }
        // No local disk listed: network storage, sized at create.
        if let disk = offer.diskGB, disk < spec.diskGB { failed |= Constraint.disk.bit }
        if let wanted = spec.gpu {
            if let gpu = offer.gpu {
                if let models = gpuModels, !models.contains(gpu.model) { failed |= Constraint.gpuModel.bit }
                if gpu.count < wanted.count { failed |= Constraint.gpuCount.bit }
                if let memory = wanted.minimumMemoryGB, gpu.memoryGB < memory { failed |= Constraint.gpuMemory.bit }
            } else {
                failed |= Constraint.gpuPresence.bit
            }
        } else if offer.gpu != nil {
            // A GPU machine for a CPU job wastes scarce capacity (and is often a container, not a VM).
            failed |= Constraint.gpuPresence.bit
        }
        if spec.tee, !offer.tee { failed |= Constraint.tee.bit }
        var onDemand = spec.spot == .only ? nil : offer.onDemandPrice
        var spot = spec.spot == .never ? nil : offer.spotPrice
        if onDemand == nil, spot == nil {
            failed |= Constraint.market.bit
        } else if let cap = spec.maxPricePerHour {
            if let price = onDemand, price > cap { onDemand = nil }
            if let price = spot, price > cap { spot = nil }
            if onDemand == nil, spot == nil { failed |= Constraint.price.bit }
        }
        return (failed, onDemand, spot)
    }

    /// The offer's price in the cheapest market the policy allows, ignoring the cap (for "relaxing
    /// X would admit": a price shown there must be one that could be paid).
    func relaxedPrice(_ offer: Offer) -> Double? {
        let onDemand = spec.spot == .only ? nil : offer.onDemandPrice
        let spot = spec.spot == .never ? nil : offer.spotPrice
        switch (onDemand, spot) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (nil, nil): return offer.onDemandPrice ?? offer.spotPrice
        }
    }

    func relaxedMarket(_ offer: Offer) -> Market {
        let spot = spec.spot == .never ? nil : offer.spotPrice
        guard let spot else { return offer.onDemandPrice == nil ? .spot : .onDemand }
        let onDemand = spec.spot == .only ? nil : offer.onDemandPrice
        return onDemand.map { spot < $0 } ?? true ? .spot : .onDemand
    }
}
