import Foundation
import RemoteProvidersCore

/// Compute Engine prices from the Cloud Billing catalog (`services/6F81-5844-456A/skus`): a
/// machine costs its family's vCPU price times its vCPUs, its memory price times its GiB, and for
/// the accelerator-optimized families its GPUs' price times their count — on demand, and the
/// Preemptible SKUs for spot. Shared-core types (billed by fractions) are left to the bundled catalog.
struct GCEPricing {
    struct SKU: Decodable {
        struct Category: Decodable {
            var resourceGroup: String?
            var usageType: String?
        }
        struct Pricing: Decodable {
            struct Expression: Decodable {
                struct Rate: Decodable {
                    struct Money: Decodable {
                        var units: String?
                        var nanos: Int?
                    }
                    var unitPrice: Money
                }
                var tieredRates: [Rate]
            }
            var pricingExpression: Expression
        }

        var description: String
        var category: Category?
        var serviceRegions: [String]?
        var pricingInfo: [Pricing]?

        /// The first tier's price (USD per unit-hour).
        var price: Double? {
            guard let rate = pricingInfo?.first?.pricingExpression.tieredRates.last?.unitPrice else { return nil }
            return Double(rate.units ?? "0").map { $0 + Double(rate.nanos ?? 0) / 1e9 }
        }
    }

    struct Page: Decodable, PageLinks {
        var skus: [SKU]?
        var nextPageToken: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? { GCEDriver.Pages(nextPageToken: nextPageToken).next(after: query) }
    }

    /// The SKUs by what they price and how (`E2 Instance Core|OnDemand`): the real catalog holds
    /// thousands, and every machine type of every zone asks for two or three of them.
    let index: [String: [SKU]]

    init(skus: [SKU]) {
        var index: [String: [SKU]] = [:]
        for sku in skus {
            var name = Substring(sku.description)
            for marker in ["Spot ", "Preemptible "] where name.hasPrefix(marker) { name = name.dropFirst(marker.count) }
            guard let cut = name.range(of: " running in") else { continue }
            index["\(name[..<cut.lowerBound])|\(sku.category?.usageType ?? "OnDemand")", default: []].append(sku)
        }
        self.index = index
    }

    /// The SKU description a family's vCPUs and memory go by (`N1 Predefined Instance Core`, `G2 Instance Ram`).
    static func resource(_ family: String, _ what: String) -> String {
        let name = family.uppercased()
        return name == "N1" ? "N1 Predefined Instance \(what)" : "\(name) Instance \(what)"
    }

    /// An accelerator type as its SKU names it (`nvidia-l4` → `Nvidia L4 GPU`).
    static func gpu(_ accelerator: String) -> String {
        let known = [
            "nvidia-l4": "Nvidia L4 GPU", "nvidia-tesla-t4": "Nvidia Tesla T4 GPU", "nvidia-tesla-a100": "Nvidia Tesla A100 GPU",
            "nvidia-a100-80gb": "Nvidia Tesla A100 80GB GPU", "nvidia-h100-80gb": "Nvidia H100 80GB GPU", "nvidia-tesla-v100": "Nvidia Tesla V100 GPU",
        ]
        return known[accelerator] ?? accelerator
    }

    /// The per-hour price of the SKU named `what` (`E2 Instance Core`) in `region`, on demand or
    /// spot (whose SKUs say `Spot Preemptible E2 Instance Core running in …`).
    func price(_ what: String, region: String, spot: Bool) -> Double? {
        index["\(what)|\(spot ? "Preemptible" : "OnDemand")"]?.first { ($0.serviceRegions ?? []).contains(region) }?.price
    }

    /// The machine's price per hour, or `nil` when a part of it has no SKU here.
    func machine(family: String, vcpus: Int, memoryGiB: Double, gpu: (type: String, count: Int)?, region: String, spot: Bool) -> Double? {
        guard let core = price(Self.resource(family, "Core"), region: region, spot: spot),
            let ram = price(Self.resource(family, "Ram"), region: region, spot: spot)
        else { return nil }
        var total = core * Double(vcpus) + ram * memoryGiB
        if let gpu {
            guard let each = price(Self.gpu(gpu.type), region: region, spot: spot) else { return nil }
            total += each * Double(gpu.count)
        }
        return (total * 1_000_000).rounded() / 1_000_000
    }
}
