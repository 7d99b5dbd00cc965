import Foundation
import RemoteProvidersCore

/// Azure's sizes (`Microsoft.Compute/skus`: VM sizes per region, their vCPUs, memory and GPUs, and
/// what is restricted for the subscription) priced from the Retail Prices API (public, no sign-in):
/// Linux pay-as-you-go rows, the `Spot` ones for spot.
enum AzureOffers {
    struct SKU: Decodable {
        struct Capability: Decodable {
            var name: String
            var value: String
        }
        struct Restriction: Decodable {
            var type: String?
            var values: [String]?
            var reasonCode: String?
        }

        var resourceType: String?
        var name: String
        var locations: [String]?
        var capabilities: [Capability]?
        var restrictions: [Restriction]?

        func capability(_ name: String) -> Double? {
            capabilities?.first { $0.name == name }.flatMap { Double($0.value) }
        }

        /// Offered to this subscription in `location` (a location-wide restriction says not).
        func offered(in location: String) -> Bool {
            !(restrictions ?? []).contains { $0.type == "Location" && ($0.values ?? []).contains { $0.lowercased() == location.lowercased() } }
        }
    }

    struct Price: Decodable {
        var armSkuName: String?
        var armRegionName: String?
        var retailPrice: Double
        var skuName: String?
        var productName: String?
        var unitOfMeasure: String?
        var type: String?
    }

    struct PricePage: Decodable, PageLinks {
        var Items: [Price]
        var NextPageLink: String?

        func next(after query: [URLQueryItem]) -> [URLQueryItem]? { AzureWire.next(NextPageLink) }
    }

    /// Hourly Linux prices by size: on demand and spot.
    static func prices(_ items: [Price]) -> [String: (onDemand: Double?, spot: Double?)] {
        var table: [String: (onDemand: Double?, spot: Double?)] = [:]
        for item in items where item.type ?? "Consumption" == "Consumption" && item.unitOfMeasure ?? "1 Hour" == "1 Hour" {
            guard let size = item.armSkuName?.lowercased(), !(item.productName ?? "").contains("Windows"), !(item.skuName ?? "").contains("Low Priority") else { continue }
            if (item.skuName ?? "").hasSuffix("Spot") {
                table[size, default: (nil, nil)].spot = item.retailPrice
            } else {
                table[size, default: (nil, nil)].onDemand = item.retailPrice
            }
        }
        return table
    }

    /// The GPU a size carries, from its name (Azure's sizes name their GPU: `NC4as_T4_v3`, `NV36ads_A10_v5`).
    static func gpu(size: String, count: Double?) -> Offer.GPU? {
        let name = size.lowercased()
        let known: [(String, String, Double)] = [
            ("_t4_", "T4", 16), ("_a10_", "A10", 24), ("a100_v4", "A100-80GB", 80), ("asr_v4", "A100-40GB", 40), ("h100", "H100-NVL", 94), ("_v100", "V100-16GB", 16),
        ]
        guard name.hasPrefix("standard_n"), let match = known.first(where: { name.contains($0.0) }) else { return nil }
        return Offer.GPU(model: match.1, count: max(1, Int(count ?? 1)), memoryGB: match.2)
    }
}
