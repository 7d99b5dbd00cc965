import Foundation
import RemoteProvidersCore

/// The fields the optimizer checks, one array per field and numbers only (names become indexes
/// into small tables), so checking 100,000 offers reads no string and copies no offer.
struct OfferColumns: Sendable {
    static let none = UInt32.max

    let provider: [UInt32]
    let region: [UInt32]
    /// `none` where the offer has no zone.
    let zone: [UInt32]
    let arm64: [Bool]
    /// -1 where the offer does not say (sized at rent): fits any requirement.
    let vcpus: [Double]
    let memory: [Double]
    /// -1 for network storage sized at create: fits any requirement.
    let disk: [Double]
    /// `none` without GPUs.
    let gpuModel: [UInt32]
    let gpuCount: [Int]
    let gpuMemory: [Double]
    /// NaN where the offer has no price in that market.
    let onDemand: [Double]
    let spot: [Double]
    let tee: [Bool]
    let observed: [Double]

    /// The names behind the indexes.
    let providers: Names<ProviderID>
    let places: Names<String>
    let models: Names<String>

    init(_ offers: [Offer]) {
        var providers = Names<ProviderID>()
        var places = Names<String>()
        var models = Names<String>()
        var provider: [UInt32] = [], region: [UInt32] = [], zone: [UInt32] = [], gpuModel: [UInt32] = []
        var arm64: [Bool] = [], tee: [Bool] = [], gpuCount: [Int] = []
        var vcpus: [Double] = [], memory: [Double] = [], disk: [Double] = [], gpuMemory: [Double] = []
        var onDemand: [Double] = [], spot: [Double] = [], observed: [Double] = []
        for offer in offers {
            provider.append(providers.index(offer.provider))
            region.append(places.index(offer.region))
            zone.append(offer.zone.map { places.index($0) } ?? Self.none)
            arm64.append(offer.arch == .arm64)
            vcpus.append(offer.vcpus ?? -1)
            memory.append(offer.memoryGB ?? -1)
            disk.append(offer.diskGB ?? -1)
            gpuModel.append(offer.gpu.map { models.index($0.model) } ?? Self.none)
            gpuCount.append(offer.gpu?.count ?? 0)
            gpuMemory.append(offer.gpu?.memoryGB ?? 0)
            onDemand.append(offer.onDemandPrice ?? .nan)
            spot.append(offer.spotPrice ?? .nan)
            tee.append(offer.tee)
            observed.append(offer.observedAt.timeIntervalSinceReferenceDate)
        }
        (self.provider, self.region, self.zone, self.arm64, self.vcpus, self.memory, self.disk) = (provider, region, zone, arm64, vcpus, memory, disk)
        (self.gpuModel, self.gpuCount, self.gpuMemory, self.onDemand, self.spot, self.tee, self.observed) =
            (gpuModel, gpuCount, gpuMemory, onDemand, spot, tee, observed)
        (self.providers, self.places, self.models) = (providers, places, models)
    }
}

/// A table of distinct names, each with the index it was first given.
struct Names<Name: Hashable & Sendable>: Sendable {
    private(set) var all: [Name] = []
    private var indexes: [Name: UInt32] = [:]

    mutating func index(_ name: Name) -> UInt32 {
        if let known = indexes[name] { return known }
        let index = UInt32(all.count)
        indexes[name] = index
        all.append(name)
        return index
    }

    /// One flag per name: whether `accept` says yes to it.
    func flags(_ accept: (Name) -> Bool) -> [Bool] { all.map(accept) }
}
