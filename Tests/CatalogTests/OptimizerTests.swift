import Foundation
import RemoteProvidersCore
import Testing

@testable import Catalog

/// A seeded generator, so a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random offers and specs over small value sets, so that fits, near misses and ties all happen.
enum Synthetic {
    static let providers: [ProviderID] = [.aws, .gcp, .lambda, .runpod, .hetzner]
    static let regions = ["r1", "r2", "r3"]
    static let models = ["H100-SXM", "H100-PCIE", "A100-40GB", "A100-80GB", "L4", "RTX4090"]

    static func offers(_ count: Int, _ rng: inout SplitMix64) -> [Offer] {
        (0..<count).map { index in
            let gpu: Offer.GPU? = Bool.random(using: &rng) ? nil : Offer.GPU(
                model: models.randomElement(using: &rng) ?? "L4", count: [1, 2, 4, 8].randomElement(using: &rng) ?? 1,
                memoryGB: [24, 40, 80, 94].randomElement(using: &rng) ?? 24)
            let onDemand: Double? = Int.random(in: 0..<10, using: &rng) == 0 ? nil : Double(Int.random(in: 1...400, using: &rng)) / 100
            let spot: Double? = Bool.random(using: &rng) ? nil : (onDemand ?? 4) * 0.4
            return Offer(
                provider: providers.randomElement(using: &rng) ?? .aws, region: regions.randomElement(using: &rng) ?? "r1",
                zone: Bool.random(using: &rng) ? "z\(Int.random(in: 1...2, using: &rng))" : nil, instanceType: "t\(index)",
                vcpus: Int.random(in: 0..<8, using: &rng) == 0 ? nil : Double([1, 2, 4, 8, 16].randomElement(using: &rng) ?? 1),
                memoryGB: Double([1, 4, 16, 64].randomElement(using: &rng) ?? 1),
                diskGB: Bool.random(using: &rng) ? nil : Double([20, 100, 500].randomElement(using: &rng) ?? 20), gpu: gpu,
                arch: Int.random(in: 0..<4, using: &rng) == 0 ? .arm64 : .x86_64, onDemandPrice: onDemand,
                spotPrice: onDemand == nil && spot == nil ? 1 : spot, tee: Int.random(in: 0..<5, using: &rng) == 0,
                source: "synthetic", observedAt: Date(timeIntervalSince1970: Double(Int.random(in: 0...3, using: &rng)) * 86_400))
        }
    }

    static func spec(_ rng: inout SplitMix64) -> ResourceSpec {
        var spec = ResourceSpec(
            cpus: Double([1, 2, 4, 8].randomElement(using: &rng) ?? 1), memoryGB: Double([1, 4, 16].randomElement(using: &rng) ?? 1),
            diskGB: Double([10, 100, 300].randomElement(using: &rng) ?? 10), spot: SpotPolicy.allCases.randomElement(using: &rng) ?? .never,
            tee: Int.random(in: 0..<6, using: &rng) == 0, arch: Int.random(in: 0..<5, using: &rng) == 0 ? .arm64 : .x86_64)
        if Bool.random(using: &rng) {
            let requested = ["H100", "A100", "A100-80GB", "L4", "RTX4090"].filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
            spec.gpu = GPURequirement(
                count: [1, 2, 4].randomElement(using: &rng) ?? 1, models: requested,
                minimumMemoryGB: Bool.random(using: &rng) ? nil : Double([24, 80].randomElement(using: &rng) ?? 24))
        }
        if Int.random(in: 0..<3, using: &rng) == 0 { spec.providers = Array(providers.shuffled(using: &rng).prefix(2)) }
        if Int.random(in: 0..<4, using: &rng) == 0 { spec.excludedProviders = [providers.randomElement(using: &rng) ?? .aws] }
        if Int.random(in: 0..<4, using: &rng) == 0 { spec.regions = [regions.randomElement(using: &rng) ?? "r1"] }
        if Int.random(in: 0..<4, using: &rng) == 0 { spec.excludedRegions = [regions.randomElement(using: &rng) ?? "r1"] }
        if Bool.random(using: &rng) { spec.maxPricePerHour = Double(Int.random(in: 10...300, using: &rng)) / 100 }
        return spec
    }
}

/// The constraints written out once more, plainly, as the oracle the optimizer is checked against.
func oraclePrice(_ offer: Offer, _ spec: ResourceSpec, blocked: Set<BlockedScope> = []) -> Double? {
    if !spec.providers.isEmpty && !spec.providers.contains(offer.provider) { return nil }
    if spec.excludedProviders.contains(offer.provider) { return nil }
    let places = [offer.region] + (offer.zone.map { [$0] } ?? [])
    if !spec.regions.isEmpty && !places.contains(where: spec.regions.contains) { return nil }
    if places.contains(where: spec.excludedRegions.contains) { return nil }
    for scope in blocked where scope.provider == offer.provider && (scope.instanceType == nil || scope.instanceType == offer.instanceType) {
        switch scope.scope {
        case .provider: return nil
        case .region(let region): if offer.region == region { return nil }
        case .zone(let zone): if offer.zone == zone { return nil }
        }
    }
    if offer.arch != spec.arch { return nil }
    if let vcpus = offer.vcpus, vcpus < spec.cpus { return nil }
    if let memory = offer.memoryGB, memory < spec.memoryGB { return nil }
    if let disk = offer.diskGB, disk < spec.diskGB { return nil }
    switch (spec.gpu, offer.gpu) {
    case (nil, nil): break
    case (nil, .some), (.some, nil): return nil
    case (let wanted?, let gpu?):
        if gpu.count < wanted.count { return nil }
        if let memory = wanted.minimumMemoryGB, gpu.memoryGB < memory { return nil }
        if !wanted.models.isEmpty {
            let accepted = wanted.models.contains { requested in
                requested == gpu.model || GPUModel.family(of: gpu.model) == requested
            }
            if !accepted { return nil }
        }
    }
    if spec.tee && !offer.tee { return nil }
    var prices: [Double] = []
    if spec.spot != .only, let price = offer.onDemandPrice { prices.append(price) }
    if spec.spot != .never, let price = offer.spotPrice { prices.append(price) }
    if let cap = spec.maxPricePerHour { prices = prices.filter { $0 <= cap } }
    return prices.min()
}

@Suite struct OptimizerTests {
    @Test(arguments: 0..<200)
    func theChosenOfferFitsAndNothingCheaperDoes(seed: Int) {
        var rng = SplitMix64(state: UInt64(seed))
        let offers = Synthetic.offers(300, &rng)
        let spec = Synthetic.spec(&rng)
        let ranking = Optimizer(offers: offers).rank(spec)
        let oracle = offers.compactMap { oraclePrice($0, spec) }
        #expect(Set(ranking.candidates.map(\.offer.instanceType)) == Set(offers.filter { oraclePrice($0, spec) != nil }.map(\.instanceType)))
        if let chosen = ranking.candidates.first {
            #expect(oraclePrice(chosen.offer, spec) == chosen.pricePerHour, "the chosen offer fits, at the price it is ranked at")
            #expect(chosen.pricePerHour == oracle.min(), "no cheaper offer fits")
            #expect(ranking.explanation == nil)
        } else {
            #expect(oracle.isEmpty)
            #expect(ranking.explanation != nil)
        }
        for (a, b) in zip(ranking.candidates, ranking.candidates.dropFirst()) {
            #expect(a.pricePerHour <= b.pricePerHour)
            if a.pricePerHour == b.pricePerHour { #expect(a.offer.observedAt >= b.offer.observedAt, "fresher first at equal price") }
            if let cap = spec.maxPricePerHour { #expect(b.pricePerHour <= cap) }
        }
    }

    @Test(arguments: 0..<50)
    func blockedScopesAreSkipped(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(1_000 + seed))
        let offers = Synthetic.offers(300, &rng)
        var spec = ResourceSpec(cpus: 1, memoryGB: 1, diskGB: 10, spot: .auto)
        spec.gpu = nil
        let optimizer = Optimizer(offers: offers)
        let first = try #require(optimizer.rank(spec).candidates.first)
        let scopes: [BlockedScope] = [
            BlockedScope(provider: first.offer.provider, scope: first.offer.zone.map(FailureScope.zone) ?? .region(first.offer.region), instanceType: first.offer.instanceType),
            BlockedScope(provider: first.offer.provider, scope: .region(first.offer.region)),
            BlockedScope(provider: first.offer.provider, scope: .provider),
        ]
        for scope in scopes {
            let ranking = optimizer.rank(spec, blocked: [scope])
            #expect(!ranking.candidates.contains { scope.blocks($0.offer) }, "\(scope)")
            #expect(ranking.candidates.map(\.offer.instanceType) == optimizer.rank(spec).candidates.filter { !scope.blocks($0.offer) }.map(\.offer.instanceType))
            #expect(ranking.candidates.first.map { oraclePrice($0.offer, spec, blocked: [scope]) == $0.pricePerHour } ?? true)
        }
    }

    @Test func anEmptyResultNamesTheConstraintThatRuledOutMost() throws {
        let now = Date()
        func offer(_ type: String, cpus: Double, price: Double, region: String = "r1") -> Offer {
            Offer(provider: .aws, region: region, instanceType: type, vcpus: cpus, memoryGB: 4, onDemandPrice: price, source: "t", observedAt: now)
        }
        let offers = [offer("a", cpus: 2, price: 0.1), offer("b", cpus: 2, price: 0.2), offer("c", cpus: 64, price: 5), offer("d", cpus: 2, price: 0.3, region: "r2")]
        let spec = ResourceSpec(cpus: 32, memoryGB: 1, diskGB: 1, regions: ["r1"], maxPricePerHour: 1)
        let ranking = Optimizer(offers: offers).rank(spec)
        #expect(ranking.candidates.isEmpty)
        #expect(ranking.tightest == .cpus)
        #expect(ranking.eliminated[.cpus] == 3 && ranking.eliminated[.price] == 1 && ranking.eliminated[.region] == 1)
        #expect(ranking.eliminatedAlone[.price] == 1 && ranking.cheapestAlone[.price]?.offer.instanceType == "c")
        let explanation = try #require(ranking.explanation)
        #expect(explanation.contains("cpus ruled out 3 of 4 offers"))
        #expect(explanation.contains("relaxing cpus alone would admit 2") && explanation.contains("aws r1 a at $0.1000/h"))
    }

    @Test func spotPolicyPicksTheMarketAndAutoOffersBoth() throws {
        let offer = Offer(provider: .gcp, region: "r1", instanceType: "x", vcpus: 4, memoryGB: 16, onDemandPrice: 1, spotPrice: 0.3, source: "t", observedAt: Date())
        let optimizer = Optimizer(offers: [offer])
        let markets: (SpotPolicy) -> [Market] = { policy in
            optimizer.rank(ResourceSpec(cpus: 1, spot: policy)).candidates.map(\.market)
        }
        #expect(markets(.never) == [.onDemand])
        #expect(markets(.only) == [.spot])
        #expect(markets(.auto) == [.spot, .onDemand], "spot first (cheaper), on-demand as its fallback")
        #expect(optimizer.rank(ResourceSpec(cpus: 1, spot: .auto, maxPricePerHour: 0.5)).candidates.map(\.market) == [.spot])
    }

    @Test func aGPUFamilyMatchesItsVariantsAndAVariantOnlyItself() {
        let now = Date()
        let offers = ["H100-SXM", "H100-PCIE", "A100-80GB"].map { model in
            Offer(provider: .lambda, region: "r", instanceType: model, vcpus: 8, memoryGB: 64, gpu: .init(model: model, count: 1, memoryGB: 80), onDemandPrice: 2, source: "t", observedAt: now)
        }
        let optimizer = Optimizer(offers: offers)
        func fitting(_ models: [String]) -> Set<String> {
            Set(optimizer.rank(ResourceSpec(cpus: 1, gpu: GPURequirement(count: 1, models: models))).candidates.map(\.offer.instanceType))
        }
        #expect(fitting(["H100"]) == ["H100-SXM", "H100-PCIE"])
        #expect(fitting(["H100-PCIE"]) == ["H100-PCIE"])
        #expect(fitting(["h100-sxm", "A100"]) == ["H100-SXM", "A100-80GB"])
        #expect(fitting([]) == ["H100-SXM", "H100-PCIE", "A100-80GB"])
        #expect(Optimizer(offers: offers).rank(ResourceSpec(cpus: 1)).candidates.isEmpty, "no GPU machine for a job that asks for none")
    }

    @Test func thePlanFallsBackInPriceOrderAndSaysWhyAProviderIsLeftOut() throws {
        let now = Date()
        func offer(_ provider: ProviderID, _ type: String, _ price: Double) -> Offer {
            Offer(provider: provider, region: "r", instanceType: type, vcpus: 4, memoryGB: 16, onDemandPrice: price, source: "t", observedAt: now)
        }
        let offers = [offer(.lambda, "cheap", 0.1), offer(.aws, "a1", 0.2), offer(.aws, "a2", 0.3), offer(.gcp, "g1", 0.25), offer(.aws, "a3", 0.9)]
        let planner = Planner(optimizer: Optimizer(offers: offers)) { $0 == .lambda ? "no driver" : nil }
        let plan = planner.plan(ResourceSpec(cpus: 2), replicas: 3, ttl: .hours(10), fallbacks: 2)
        #expect(plan.chosen?.offer.instanceType == "a1")
        #expect(plan.fallbacks.map(\.offer.instanceType) == ["g1", "a2"])
        #expect(plan.cheaperElsewhere.map(\.offer.instanceType) == ["cheap"])
        #expect(plan.providers.map(\.provider) == [.lambda, .aws, .gcp])
        #expect(plan.providers.first?.notDeployable == "no driver")
        let hourly = try #require(plan.hourlyPrice)
        #expect(abs(hourly - 0.6) < 1e-9)
        #expect(abs((plan.expectedCost ?? 0) - 6) < 1e-9)
        #expect(abs((plan.worstCaseCost ?? 0) - 9) < 1e-9, "the dearest fallback over the whole ttl")
        let blocked = planner.plan(ResourceSpec(cpus: 2), blocked: [BlockedScope(provider: .aws, scope: .provider)])
        #expect(blocked.chosen?.offer.instanceType == "g1")
        #expect(blocked.fallbacks.isEmpty)
    }
}
