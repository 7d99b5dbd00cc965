import RemoteProvidersCore

/// For marketplaces whose offers another renter can take between listing and renting (Lium, Vast.ai):
/// the candidates are tried cheapest first, at most three; one taken meanwhile (a no-capacity answer
/// that names no place) moves on to the next. When none is left, the last race lost, scoped to the
/// request's region, or `nothing` when there was no candidate at all.
enum MarketplaceRace {
    static func rent<Candidate: Sendable>(
        _ candidates: [Candidate], region: String, nothing: ProviderError, _ attempt: (Candidate) async throws -> Instance?
    ) async throws -> Instance {
        var lastRace: ProviderError?
        for candidate in candidates.prefix(3) {
            do {
                if let made = try await attempt(candidate) { return made }
            } catch let error as ProviderError where error.kind == .noCapacity(.region("")) {
                lastRace = error.scoped(toRegion: region)
            }
        }
        throw lastRace ?? nothing
    }
}
