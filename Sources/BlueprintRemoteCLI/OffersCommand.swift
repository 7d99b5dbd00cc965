import ArgumentParser
import Foundation
import RemoteProviders

struct OffersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "List what can be bought that fits, cheapest first, from the catalog (never the network).",
        discussion: """
            Reads the bundled price snapshot and whatever `catalog refresh` merged over it; works \
            offline and without credentials. Each row says where its price comes from and how fresh \
            it is. Without --gpus, --gpu-model or --gpu-memory, only machines without GPUs are             listed (as plan chooses). The table folds regions with the same offer and price into one             row; --json lists every region.

            Examples:
              blueprint-remote offers --cpus 4 --memory 16
              blueprint-remote offers --gpu-model H100 --gpus 8 --json
              blueprint-remote offers --gpu-model A100-80GB --spot --max-price 2
            """)

    @Option(name: .long, help: "At least this many vCPUs.") var cpus: Double?
    @Option(name: .long, help: "At least this much memory, in GB.") var memory: Double?
    @Option(name: .long, help: "At least this much local disk, in GB (network disks fit any size).") var disk: Double?
    @Option(name: .long, help: "At least this many GPUs.") var gpus: Int?
    @Option(name: .long, help: "A GPU model or family (H100, A100-80GB, RTX4090); repeat or comma-separate for several.")
    var gpuModel: [String] = []
    @Option(name: .long, help: "At least this much memory per GPU, in GB.") var gpuMemory: Double?
    @Flag(name: .long, help: "Spot (interruptible) prices only.") var spot = false
    @Flag(name: .long, help: "Only offers with a trusted execution environment.") var tee = false
    @Option(name: .long, help: "x86_64 or arm64 (default: both).") var arch: CPUArchitecture?
    @Option(name: .long, help: "Only this provider; repeat or comma-separate for several.") var provider: [String] = []
    @Option(name: .long, help: "Only this region; repeat or comma-separate for several.") var region: [String] = []
    @Option(name: .long, help: "At most this many USD per hour.") var maxPrice: Double?
    @Option(name: .long, help: "Rows to show (default 25 as a table, all with --json).") var limit: Int?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let environment = Environment.process
        let config = try ToolConfig.load(environment: environment)
        let catalog = try CatalogAccess.load(environment, config: config)
        let spec = try requirements()
        let optimizer = Optimizer(offers: catalog.offers)
        var candidates: [Candidate]
        var ranking: Ranking
        if let arch {
            ranking = optimizer.rank(spec.with(arch: arch))
            candidates = ranking.candidates
        } else {
            // Both architectures: one ranking each, merged in price order.
            ranking = optimizer.rank(spec.with(arch: .x86_64))
            let arm = optimizer.rank(spec.with(arch: .arm64))
            candidates = (ranking.candidates + arm.candidates).sorted(by: Optimizer.cheaperFirst)
            if candidates.isEmpty { ranking = arm.candidates.isEmpty ? ranking : arm }
        }
        if output.json {
            if let limit { candidates = Array(candidates.prefix(limit)) }
            try Terminal.json("offers", candidates.map { OfferRow($0, catalog: catalog) })
            return
        }
        guard !candidates.isEmpty else {
            Terminal.err(ranking.explanation ?? "no offer fits")
            return
        }
        let groups = Self.folded(candidates)
        let shown = groups.prefix(limit ?? 25)
        var rows = [["PROVIDER", "REGION", "INSTANCE TYPE", "VCPU", "MEM GB", "GPU", "PRICE/H", "SPOT/H", "SOURCE"]]
        for group in shown {
            let offer = group[0].offer
            let place = offer.zone ?? offer.region
            let gpu = offer.gpu.map { "\($0.count)x \($0.model)" } ?? "-"
            rows.append([
                offer.provider.rawValue, group.count == 1 ? place : "\(place) +\(group.count - 1)", offer.instanceType, Money.amount(offer.vcpus),
                Money.amount(offer.memoryGB), gpu, Money.perHour(group[0].pricePerHour), offer.spotPrice.map(Money.perHour) ?? "-",
                CatalogAccess.freshness(offer, catalog: catalog),
            ])
        }
        Terminal.out(Terminal.table(rows))
        if groups.count > shown.count {
            Terminal.err("\(shown.count) of \(groups.count) rows shown (\(candidates.count) offers counting each region); --limit N or --json for more")
        }
    }

    /// Offers that differ only in region (same provider, type, market, prices and source), as
    /// one group each, in the order of their cheapest member.
    static func folded(_ candidates: [Candidate]) -> [[Candidate]] {
        var groups: [[Candidate]] = []
        var index: [String: Int] = [:]
        for candidate in candidates {
            let offer = candidate.offer
            let key = "\(offer.provider)|\(offer.instanceType)|\(candidate.market)|\(candidate.pricePerHour)|\(offer.spotPrice ?? -1)|\(offer.source)"
            if let position = index[key] {
                groups[position].append(candidate)
            } else {
                index[key] = groups.count
                groups.append([candidate])
            }
        }
        return groups
    }

    /// The flags as a `ResourceSpec`: unset sizes ask for nothing.
    func requirements() throws -> ResourceSpec {
        for (value, field) in [(cpus, "cpus"), (memory, "memory"), (disk, "disk"), (gpuMemory, "gpu-memory"), (maxPrice, "max-price")] {
            if let value, !(value >= 0 && value.isFinite) { throw UsageError("--\(field) must be a number of 0 or more", field: field) }
        }
        if let gpus, !(0...ResourceLimits.maxGPUs).contains(gpus) {
            throw UsageError("--gpus must be between 0 and \(ResourceLimits.maxGPUs)", field: "gpus")
        }
        if let limit, limit < 1 { throw UsageError("--limit must be 1 or more", field: "limit") }
        let models = gpuModel.flatMap { $0.split(separator: ",").map(String.init) }
        for model in models where GPUModel.matching(model) == nil {
            throw UsageError("--gpu-model \(model) is not a GPU model or family this tool knows: \(GPUModel.knownNames)", field: "gpu-model")
        }
        let count = gpus ?? (models.isEmpty && gpuMemory == nil ? 0 : 1)
        return ResourceSpec(
            cpus: cpus ?? 0, memoryGB: memory ?? 0, diskGB: disk ?? 0,
            gpu: count > 0 ? GPURequirement(count: count, models: models, minimumMemoryGB: gpuMemory) : nil,
            spot: spot ? .only : .never, tee: tee, providers: try CatalogAccess.providers(provider),
            regions: region.flatMap { $0.split(separator: ",").map(String.init) }, maxPricePerHour: maxPrice)
    }
}

extension CPUArchitecture: ExpressibleByArgument {}

extension ResourceSpec {
    func with(arch: CPUArchitecture) -> ResourceSpec {
        var spec = self
        spec.arch = arch
        return spec
    }
}
