import Foundation
import RemoteProvidersCore

/// A `ResourceSpec` turned into flags over the columns' name tables, made once per ranking: the
/// check of one offer is then array reads and comparisons.
struct OfferFilter {
    let spec: ResourceSpec
    let columns: OfferColumns
    let blocked: [BlockedScope]
    /// Per provider: whether the allow- and deny-lists rule it out.
    let providerOut: [Bool]
    /// Per provider: whether a blocked scope names it (its offers are then checked by name).
    let providerBlocked: [Bool]
    /// Per place (region or zone name): allowed (nil: any), excluded.
    let placeAllowed: [Bool]?
    let placeExcluded: [Bool]?
    /// Per GPU model: whether the request accepts it (nil: any model).
    let modelAccepted: [Bool]?

    init(spec: ResourceSpec, blocked: Set<BlockedScope>, columns: OfferColumns) {
        self.spec = spec
        self.columns = columns
        self.blocked = Array(blocked)
        let allowed = Set(spec.providers)
        let excluded = Set(spec.excludedProviders)
        providerOut = columns.providers.flags { (!allowed.isEmpty && !allowed.contains($0)) || excluded.contains($0) }
        let blockedProviders = Set(blocked.map(\.provider))
        providerBlocked = columns.providers.flags { blockedProviders.contains($0) }
        let regions = Set(spec.regions)
        let excludedRegions = Set(spec.excludedRegions)
        placeAllowed = regions.isEmpty ? nil : columns.places.flags { regions.contains($0) }
        placeExcluded = excludedRegions.isEmpty ? nil : columns.places.flags { excludedRegions.contains($0) }
        if let gpu = spec.gpu, !gpu.models.isEmpty {
            let accepted = gpu.models.reduce(into: Set<String>()) { $0.formUnion(GPUModel.matching($1) ?? []) }
            modelAccepted = columns.models.flags { accepted.contains($0) }
        } else {
            modelAccepted = nil
        }
    }

    /// The constraints offer `i` fails (one bit each) and its price in each market the spot
    /// policy allows, nil where that market has no price or is over the cap.
    func check(_ i: Int, offers: [Offer]) -> (UInt32, Double?, Double?) {
        let c = columns
        var failed: UInt32 = 0
        let provider = Int(c.provider[i])
        if providerOut[provider] { failed |= Constraint.provider.bit }
        let region = Int(c.region[i])
        let zone = c.zone[i] == OfferColumns.none ? nil : Int(c.zone[i])
        if let placeAllowed, !placeAllowed[region], !(zone.map { placeAllowed[$0] } ?? false) { failed |= Constraint.region.bit }
        if let placeExcluded, placeExcluded[region] || (zone.map { placeExcluded[$0] } ?? false) { failed |= Constraint.region.bit }
        if providerBlocked[provider], blocked.contains(where: { $0.blocks(offers[i]) }) { failed |= Constraint.blocked.bit }
        if c.arm64[i] != (spec.arch == .arm64) { failed |= Constraint.arch.bit }
        // -1: not said (sized at rent, or network storage sized at create): fits.
        if c.vcpus[i] >= 0, c.vcpus[i] < spec.cpus { failed |= Constraint.cpus.bit }
        if c.memory[i] >= 0, c.memory[i] < spec.memoryGB { failed |= Constraint.memory.bit }
        if c.disk[i] >= 0, c.disk[i] < spec.diskGB { failed |= Constraint.disk.bit }
        let model = c.gpuModel[i]
        if let wanted = spec.gpu {
            if model == OfferColumns.none {
                failed |= Constraint.gpuPresence.bit
            } else {
                if let modelAccepted, !modelAccepted[Int(model)] { failed |= Constraint.gpuModel.bit }
                if c.gpuCount[i] < wanted.count { failed |= Constraint.gpuCount.bit }
                if let memory = wanted.minimumMemoryGB, c.gpuMemory[i] < memory { failed |= Constraint.gpuMemory.bit }
            }
        } else if model != OfferColumns.none {
            // A GPU machine for a CPU job wastes scarce capacity (and is often a container, not a VM).
            failed |= Constraint.gpuPresence.bit
        }
        if spec.tee, !c.tee[i] { failed |= Constraint.tee.bit }
        var onDemand = spec.spot == .only || c.onDemand[i].isNaN ? nil : c.onDemand[i]
        var spot = spec.spot == .never || c.spot[i].isNaN ? nil : c.spot[i]
        if onDemand == nil, spot == nil {
            failed |= Constraint.market.bit
        } else if let cap = spec.maxPricePerHour {
            if let price = onDemand, price > cap { onDemand = nil }
            if let price = spot, price > cap { spot = nil }
            if onDemand == nil, spot == nil { failed |= Constraint.price.bit }
        }
        return (failed, onDemand, spot)
    }

    /// Offer `i`'s price in the cheapest market the policy allows, ignoring the cap (for
    /// "relaxing X would admit": a price shown there must be one that could be paid), and that market.
    func relaxed(_ i: Int) -> (Double, Market)? {
        let onDemand = columns.onDemand[i].isNaN ? nil : columns.onDemand[i]
        let spot = columns.spot[i].isNaN ? nil : columns.spot[i]
        let allowedOnDemand = spec.spot == .only ? nil : onDemand
        let allowedSpot = spec.spot == .never ? nil : spot
        switch (allowedOnDemand, allowedSpot) {
        case (let a?, let b?): return b < a ? (b, .spot) : (a, .onDemand)
        case (let a?, nil): return (a, .onDemand)
        case (nil, let b?): return (b, .spot)
        // The market itself is what failed: the price there is.
        case (nil, nil): return onDemand.map { ($0, .onDemand) } ?? spot.map { ($0, .spot) }
        }
    }
}
