import Foundation
import RemoteProvidersCore
import Testing

@testable import Catalog

@Suite struct SnapshotTests {
    @Test func everyLineOfTheBundledSnapshotReads() {
        let (offers, problems) = Snapshot.load()
        #expect(problems == [])
        #expect(offers.count > 500)
    }

    @Test func everyCloudOfTheRegistryIsPricedOrSaysWhyNot() {
        let offers = Snapshot.load().offers
        let priced = Set(offers.map(\.provider))
        let clouds = ProviderDirectory.all.filter { $0.kinds.isDisjoint(with: [.byo]) && $0.id != .kubernetes }.map(\.id)
        #expect(clouds.count == 19)
        for cloud in clouds {
            #expect(priced.contains(cloud) || Snapshot.unpriced[cloud] != nil, "\(cloud) has neither rows nor a reason")
            #expect(!(priced.contains(cloud) && Snapshot.unpriced[cloud] != nil), "\(cloud) has rows and a reason")
        }
    }

    @Test func everyRowCitesAListAndItsDateAndHasAUsablePrice() {
        let today = Date()
        for offer in Snapshot.load().offers {
            #expect(offer.source.hasPrefix("snapshot https://"), "\(offer.provider) \(offer.instanceType): \(offer.source)")
            #expect(offer.observedAt < today && offer.observedAt > Date(timeIntervalSince1970: 1_577_836_800))
            let prices = [offer.onDemandPrice, offer.spotPrice].compactMap { $0 }
            #expect(!prices.isEmpty && prices.allSatisfy { $0 > 0 && $0 < ResourceLimits.maxPricePerHour })
            if let spot = offer.spotPrice, let onDemand = offer.onDemandPrice { #expect(spot <= onDemand, "\(offer.instanceType) spot above on-demand") }
            if let gpu = offer.gpu { #expect(GPUModel.canonical.contains(gpu.model) && gpu.count > 0) }
        }
    }

    @Test func aForeignCurrencyIsConvertedAtTheStoredRate() throws {
        let file = SnapshotFile(provider: .hetzner, text: """
            # provider: hetzner
            # currency: EUR
            # source list https://example.test/prices 2026-10-01
            region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
            fsn1 nbg1,,cx23,x86_64,2,4,40,,0,,0.01,,false,list
            """)
        let rates = CurrencyRates(["EUR": .init(usd: 1.5, date: "2026-10-01", source: "test")])
        let (offers, problems) = file.parse(rates: rates)
        #expect(problems == [])
        #expect(offers.map(\.region) == ["fsn1", "nbg1"])
        #expect(try #require(offers.first?.onDemandPrice) == 0.015)
    }

    @Test func aBadLineIsReportedWithItsNumberNeverSkippedSilently() {
        let file = SnapshotFile(provider: .aws, text: """
            # provider: aws
            # currency: USD
            # source list https://example.test/prices 2026-10-01
            region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
            us-east-1,,m5.large,x86_64,2,8,,,0,,0.096,,false,list
            us-east-1,,p9.huge,x86_64,8,64,,QUANTUM,1,80,9.0,,false,list
            us-east-1,,m5.xlarge,x86_64,4,16,,,0,,-1,,false,list
            us-east-1,,m5.2xlarge,x86_64,8,32,,,0,,0.384,,false,nosuch
            """)
        let (offers, problems) = file.parse(rates: CurrencyRates([:]))
        #expect(offers.map(\.instanceType) == ["m5.large"])
        #expect(problems.count == 3)
        #expect(problems[0].contains("line 6") && problems[0].contains("gpu_model"))
        #expect(problems[1].contains("line 7") && problems[1].contains("price"))
        #expect(problems[2].contains("line 8") && problems[2].contains("nosuch"))
    }
}

@Suite struct SnapshotDayTests {
    @Test func daysAreMidnightUTC() {
        #expect(SnapshotFile.day("1970-01-01") == Date(timeIntervalSince1970: 0))
        #expect(SnapshotFile.day("2026-11-29") == Date(timeIntervalSince1970: 1_795_910_400))
        #expect(SnapshotFile.day("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(SnapshotFile.day("2000-03-01") == Date(timeIntervalSince1970: 951_868_800))
        #expect(SnapshotFile.day("2026-13-01") == nil && SnapshotFile.day("yesterday") == nil)
    }
}
