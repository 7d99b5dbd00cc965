import Foundation
import RemoteProvidersCore

/// How one provider's refresh went.
public struct RefreshOutcome: Sendable, Equatable {
    public let provider: ProviderID
    /// Offers pulled; nil when the refresh failed.
    public let offers: Int?
    public let error: String?
    /// What the cache still holds for the provider after a failure (its older rows, now stale).
    public let keptRows: Int
}

/// Pulls live offers from every listed provider at once, each under its own deadline, and merges
/// them into the cache: a provider that fails or runs out of time keeps its cached rows, marked
/// stale, and never holds up the others past its deadline.
public struct CatalogRefresher: Sendable {
    public let deadline: Duration

    public init(deadline: Duration = .seconds(30)) {
        self.deadline = deadline
    }

    public func refresh(
        _ sources: [any OfferListing], cache: CatalogCache, now: @escaping @Sendable () -> Date = Date.init
    ) async -> (CatalogCache, [RefreshOutcome]) {
        let deadline = deadline
        let results = await withTaskGroup(of: (ProviderID, Result<[Offer], any Error>, Date).self) { group in
            for source in sources {
                group.addTask {
                    let attempted = now()
                    do {
                        let offers = try await withDeadline(deadline, provider: source.provider, operation: "list offers") {
                            try await source.offers(for: ResourceSpec(cpus: 0, memoryGB: 0, diskGB: 0, spot: .auto))
                        }
                        return (source.provider, .success(offers), attempted)
                    } catch {
                        return (source.provider, .failure(error), attempted)
                    }
                }
            }
            var all: [(ProviderID, Result<[Offer], any Error>, Date)] = []
            for await result in group { all.append(result) }
            return all
        }
        // Several sources of one provider (one per region) fold into its one cache entry: rows of
        // the regions that answered are replaced, rows of the others kept.
        var cache = cache
        var outcomes: [RefreshOutcome] = []
        for (provider, attempts) in Dictionary(grouping: results, by: \.0).sorted(by: { $0.key < $1.key }) {
            let attempted = attempts.map(\.2).min() ?? now()
            var entry = cache.providers[provider.rawValue] ?? CatalogCache.Entry(refreshedAt: nil, offers: [], attemptedAt: attempted, error: nil)
            entry.attemptedAt = attempted
            var fresh: [Offer] = []
            var failures: [String] = []
            var answered = false
            for (_, result, _) in attempts {
                switch result {
                case .success(let offers):
                    fresh += offers.map { Self.normalized($0) }
                    answered = true
                case .failure(let error):
                    failures.append(Redactor.standard.redact("\(error)"))
                }
            }
            if answered {
                let regions = Set(fresh.map(\.region))
                entry.offers = (failures.isEmpty ? [] : entry.offers.filter { !regions.contains($0.region) }) + fresh
                entry.refreshedAt = attempted
            }
            entry.error = failures.isEmpty ? nil : failures.joined(separator: "; ")
            outcomes.append(RefreshOutcome(
                provider: provider, offers: failures.isEmpty ? fresh.count : nil, error: entry.error, keptRows: entry.offers.count))
            cache.providers[provider.rawValue] = entry
        }
        return (cache, outcomes)
    }

    /// GPU names as the canonical list has them, so a live row matches requests like a snapshot row.
    static func normalized(_ offer: Offer) -> Offer {
        guard let gpu = offer.gpu, !GPUModel.canonical.contains(gpu.model) else { return offer }
        var offer = offer
        offer.gpu?.model = GPUModel.normalize(gpu.model, memoryGB: gpu.memoryGB) ?? gpu.model
        return offer
    }
}
