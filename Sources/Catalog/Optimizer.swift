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
public struct Ranking: Sendable {
    public let candidates: [Candidate]
    /// Offers of the kind asked for (with GPUs when GPUs are asked for, else without).
    public let considered: Int
    /// For each constraint, how many offers it ruled out (an offer may fail several).
    public let eliminated: [Constraint: Int]
    /// For each constraint, how many offers it alone ruled out (relaxing it alone would admit
    /// them), and the cheapest of those.
    public let eliminatedAlone: [Constraint: Int]
    public let cheapestAlone: [Constraint: Candidate]

    /// The constraint that ruled out the most offers.
    public var tightest: Constraint? {
        eliminated.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
    }

    /// Why nothing fits, in a sentence a user can act on; nil when something does.
    public var explanation: String? {
        guard candidates.isEmpty else { return nil }
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

    public init(offers: [Offer]) {
        self.offers = offers
    }

    public func rank(_ spec: ResourceSpec, blocked: Set<BlockedScope> = []) -> Ranking {
        let filter = OfferFilter(spec: spec, blocked: blocked)
        var fitting: [Candidate] = []
        var eliminated = [Int](repeating: 0, count: Constraint.allCases.count)
        var alone = [Int](repeating: 0, count: Constraint.allCases.count)
        var cheapestAlone: [Constraint: Candidate] = [:]
        var considered = 0
        for offer in offers {
            let (failed, onDemand, spot) = filter.check(offer)
            // A GPU machine for a CPU job (or the reverse) is another kind of offer, not a near
            // miss: left out of the explanation, which would otherwise always blame it.
            if failed & Constraint.gpuPresence.bit != 0 { continue }
            considered += 1
            if failed == 0 {
                if let onDemand { fitting.append(Candidate(offer: offer, market: .onDemand, pricePerHour: onDemand)) }
                if let spot { fitting.append(Candidate(offer: offer, market: .spot, pricePerHour: spot)) }
                continue
            }
            var rest = failed
            while rest != 0 {
                let index = rest.trailingZeroBitCount
                eliminated[index] += 1
                rest &= rest - 1
            }
            // Failing one constraint only: the offer would fit if just that were relaxed.
            if failed & (failed - 1) == 0, let constraint = Constraint(rawValue: failed.trailingZeroBitCount) {
                alone[constraint.rawValue] += 1
                if let price = filter.relaxedPrice(offer), price < (cheapestAlone[constraint]?.pricePerHour ?? .infinity) {
                    cheapestAlone[constraint] = Candidate(offer: offer, market: filter.relaxedMarket(offer), pricePerHour: price)
                }
            }
        }
        fitting.sort(by: Self.cheaperFirst)
        func counts(_ values: [Int]) -> [Constraint: Int] {
            Dictionary(uniqueKeysWithValues: Constraint.allCases.compactMap { values[$0.rawValue] > 0 ? ($0, values[$0.rawValue]) : nil })
        }
        return Ranking(candidates: fitting, considered: considered, eliminated: counts(eliminated), eliminatedAlone: counts(alone), cheapestAlone: cheapestAlone)
    }

    public static func cheaperFirst(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.pricePerHour != b.pricePerHour { return a.pricePerHour < b.pricePerHour }
        if a.offer.observedAt != b.offer.observedAt { return a.offer.observedAt > b.offer.observedAt }
        if a.offer.provider != b.offer.provider { return a.offer.provider < b.offer.provider }
        if a.offer.region != b.offer.region { return a.offer.region < b.offer.region }
        if a.offer.instanceType != b.offer.instanceType { return a.offer.instanceType < b.offer.instanceType }
        if a.market != b.market { return a.market == .onDemand }
        return (a.offer.zone ?? "") < (b.offer.zone ?? "")
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
        if !regions.isEmpty, !regions.contains(offer.region), !(offer.zone.map(regions.contains) ?? false) { failed |= Constraint.region.bit }
        if excludedRegions.contains(offer.region) || (offer.zone.map(excludedRegions.contains) ?? false) { failed |= Constraint.region.bit }
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
