// Times the optimizer over N synthetic offers (seeded, so every run ranks the same catalog), and
// writes that catalog and the bundled snapshot as CSV for the Python peers of
// Benchmarks/optimizer.sh.
//
//   OptimizerBench COUNT RUNS OFFERS_CSV SNAPSHOT_CSV
import Catalog
import Foundation
import RemoteProvidersCore

struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 5, let count = Int(arguments[1]), let runs = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: OptimizerBench COUNT RUNS OFFERS_CSV SNAPSHOT_CSV\n".utf8))
    exit(2)
}

var rng = Generator(state: 42)
let providers = ProviderDirectory.ids.filter { ![.ssh, .local, .kubernetes].contains($0) }
let regions = (1...30).map { "region-\($0)" }
let models = ["H100-SXM", "H100-PCIE", "A100-40GB", "A100-80GB", "L40S", "L4", "T4", "RTX4090", "A10G"]
let now = Date()
let offers: [Offer] = (0..<count).map { index in
    let gpu: Offer.GPU? = Int.random(in: 0..<3, using: &rng) == 0
        ? Offer.GPU(model: models.randomElement(using: &rng) ?? "L4", count: [1, 2, 4, 8].randomElement(using: &rng) ?? 1, memoryGB: [24, 40, 48, 80].randomElement(using: &rng) ?? 24)
        : nil
    let price = Double(Int.random(in: 1...40_000, using: &rng)) / 1_000
    return Offer(
        provider: providers.randomElement(using: &rng) ?? .aws, region: regions.randomElement(using: &rng) ?? "region-1", instanceType: "type-\(index)",
        vcpus: Double([1, 2, 4, 8, 16, 32, 64].randomElement(using: &rng) ?? 1), memoryGB: Double([1, 2, 4, 8, 16, 32, 64, 128, 256].randomElement(using: &rng) ?? 1),
        diskGB: Bool.random(using: &rng) ? nil : 100, gpu: gpu, arch: Int.random(in: 0..<4, using: &rng) == 0 ? .arm64 : .x86_64,
        onDemandPrice: price, spotPrice: Bool.random(using: &rng) ? price * 0.4 : nil, tee: Int.random(in: 0..<8, using: &rng) == 0,
        source: "synthetic", observedAt: now.addingTimeInterval(-Double(Int.random(in: 0..<86_400, using: &rng))))
}

func csv(_ offers: [Offer]) -> String {
    var text = "provider,region,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,observed\n"
    func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
    for offer in offers {
        text += "\(offer.provider),\(offer.region),\(offer.instanceType),\(offer.arch.rawValue),\(number(offer.vcpus)),\(number(offer.memoryGB)),"
        text += "\(number(offer.diskGB)),\(offer.gpu?.model ?? ""),\(offer.gpu?.count ?? 0),\(number(offer.gpu?.memoryGB)),"
        text += "\(number(offer.onDemandPrice)),\(number(offer.spotPrice)),\(offer.tee),\(offer.observedAt.timeIntervalSince1970)\n"
    }
    return text
}
try csv(offers).write(toFile: arguments[3], atomically: true, encoding: .utf8)
try csv(Snapshot.load().offers).write(toFile: arguments[4], atomically: true, encoding: .utf8)

// The same three requests the Python peers answer.
let specs: [(String, ResourceSpec)] = [
    ("cpu 4 vCPU/16 GB", ResourceSpec(cpus: 4, memoryGB: 16, diskGB: 50)),
    ("gpu 1x H100 >=80 GB, spot or on-demand", ResourceSpec(cpus: 8, memoryGB: 32, gpu: GPURequirement(count: 1, models: ["H100"], minimumMemoryGB: 80), spot: .auto)),
    ("cpu 2 vCPU, <= $0.50/h, 5 regions", ResourceSpec(cpus: 2, memoryGB: 4, regions: Array(regions.prefix(5)), maxPricePerHour: 0.5)),
]
// Building the optimizer indexes the offers once (columns of numbers); timed on its own.
var buildTimes: [Double] = []
for _ in 0..<max(1, runs / 4) {
    let start = ContinuousClock.now
    _ = Optimizer(offers: offers)
    let elapsed = ContinuousClock.now - start
    buildTimes.append(Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15)
}
buildTimes.sort()
print(String(format: "index %d offers (once per optimizer)\t%.2f", count, buildTimes[buildTimes.count / 2]))
let optimizer = Optimizer(offers: offers)
// The plan on top of the ranking: chosen, five fallbacks, the cheapest fit of every provider.
let planner = Planner(optimizer: optimizer) { _ in nil }

func milliseconds(_ elapsed: Duration) -> Double {
    Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
}

/// Median rank and plan times for one request (a function: as top-level code, this loop crashed
/// the 6.3 compiler's copy propagation).
func measure(_ name: String, _ spec: ResourceSpec) {
    var rankTimes: [Double] = []
    var planTimes: [Double] = []
    var fitting = 0
    var cheapest = 0.0
    for _ in 0..<runs {
        var start = ContinuousClock.now
        let ranking = optimizer.rank(spec)
        rankTimes.append(milliseconds(ContinuousClock.now - start))
        fitting = ranking.count
        cheapest = ranking.isEmpty ? 0 : ranking[0].pricePerHour
        start = ContinuousClock.now
        let plan = planner.plan(spec)
        planTimes.append(milliseconds(ContinuousClock.now - start))
        if let chosen = plan.chosen, chosen.pricePerHour != cheapest { fatalError("the plan chose another price than the ranking") }
    }
    rankTimes.sort()
    planTimes.sort()
    print(String(format: "%@\t%.2f\t%d\t%.4f\tplan %.2f ms", name, rankTimes[runs / 2], fitting, cheapest, planTimes[runs / 2]))
}

for (name, spec) in specs { measure(name, spec) }
