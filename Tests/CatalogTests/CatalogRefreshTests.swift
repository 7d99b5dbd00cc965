import DeploymentStore
import Foundation
import Logging
import ProviderTransport
import RemoteProvidersCore
import TestSupport
import Testing
import Workloads

@testable import Catalog
@testable import CloudDrivers

/// `catalog refresh` against real listings: EC2 on moto, this machine, and an EC2 endpoint that
/// accepts connections and never answers.
@Suite(.timeLimit(.minutes(2))) struct CatalogRefreshTests {
    static let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_REGION": "us-east-1", "HOME": "/nonexistent",
    ]

    func withEC2(endpoint: String, _ body: (any OfferListing) async throws -> Void) async throws {
        let transport = try HTTPTransport(configuration: TransportConfiguration(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(20))))
        let environment = Environment(Self.credentials.merging(["BLUEPRINT_REMOTE_ENDPOINT_AWS": endpoint]) { $1 })
        do {
            let driver = try EC2Driver.factory(DriverContext(environment: environment, transport: transport, logger: Logger(label: "test")))
            try await body(try #require(driver as? any OfferListing))
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
    }

    @Test func liveEC2TypesMergeOverTheSnapshotAndBorrowItsPrices() async throws {
        guard let motoURL = requiredService("BLUEPRINT_TEST_MOTO_URL", "moto") else { return }
        try await withEC2(endpoint: motoURL) { ec2 in
            let (cache, outcomes) = await CatalogRefresher(deadline: .seconds(60)).refresh([ec2], cache: CatalogCache())
            let outcome = try #require(outcomes.first)
            #expect(outcome.provider == .aws && outcome.error == nil && (outcome.offers ?? 0) > 100)

            let catalog = Catalog.load(cache: cache)
            let state = catalog.state(of: .aws)
            #expect(state.liveRows == outcome.offers && !state.stale && state.refreshedAt != nil)
            // Moto lists t3.micro live; its on-demand price comes from the snapshot row, which says so.
            let micro = try #require(catalog.offers.first { $0.provider == .aws && $0.region == "us-east-1" && $0.instanceType == "t3.micro" })
            #expect(micro.source.hasPrefix("aws DescribeInstanceTypes (live)") && micro.source.contains("on-demand price from snapshot https://"))
            #expect(micro.onDemandPrice == Snapshot.load().offers.first { $0.provider == .aws && $0.region == "us-east-1" && $0.instanceType == "t3.micro" }?.onDemandPrice)
            #expect(micro.vcpus == 2 && micro.memoryGB == 1)
            // A live GPU name becomes canonical, so GPU requests match it.
            let g4 = try #require(catalog.offers.first { $0.provider == .aws && $0.region == "us-east-1" && $0.instanceType == "g4dn.xlarge" })
            #expect(g4.gpu?.model == "T4")
            // Offers of other regions stay as the snapshot has them.
            #expect(catalog.offers.contains { $0.provider == .aws && $0.region == "eu-west-1" && $0.source.hasPrefix("snapshot ") })
            // Past the maximum age the live rows stop counting and the snapshot speaks alone.
            let later = Catalog.load(cache: cache, maxAge: .hours(1), now: Date().addingTimeInterval(7_200))
            #expect(later.state(of: .aws).expired && later.state(of: .aws).liveRows == 0)
            #expect(!later.offers.contains { $0.source.contains("(live)") })
        }
    }

    @Test func aProviderThatHangsIsCutOffAtItsDeadlineKeepsItsRowsStaleAndHoldsNobodyUp() async throws {
        let silent = try SilentPort()
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeAll(folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
        let local = LocalDriver(store: store)
        // An earlier refresh left rows for aws.
        let old = Offer(
            provider: .aws, region: "us-east-1", instanceType: "m5.large", vcpus: 2, memoryGB: 8, onDemandPrice: 0.096,
            source: "aws DescribeInstanceTypes (live)", observedAt: Date().addingTimeInterval(-600))
        let earlier = CatalogCache(providers: [
            "aws": .init(refreshedAt: old.observedAt, offers: [old], attemptedAt: old.observedAt, error: nil)
        ])
        try await withEC2(endpoint: "http://127.0.0.1:\(silent.port)") { ec2 in
            let (cache, outcomes) = await CatalogRefresher(deadline: .seconds(2)).refresh([ec2, local], cache: earlier)
            let aws = try #require(outcomes.first { $0.provider == .aws })
            #expect(aws.offers == nil && aws.keptRows == 1)
            #expect(aws.error?.contains("no answer within 2s") == true)
            let here = try #require(outcomes.first { $0.provider == .local })
            #expect(here.error == nil && here.offers == 1)

            let entry = try #require(cache.providers["aws"])
            #expect(entry.offers == [old] && entry.refreshedAt == old.observedAt && entry.attemptedAt > old.observedAt)
            let catalog = Catalog.load(cache: cache)
            #expect(catalog.state(of: .aws).stale && catalog.state(of: .aws).lastError != nil)
            #expect(catalog.offers.contains { $0.provider == .aws && $0.instanceType == "m5.large" && $0.source.hasPrefix("aws DescribeInstanceTypes") })
            #expect(!catalog.state(of: .local).stale && catalog.state(of: .local).liveRows == 1)
        }
    }

    @Test func theCacheRoundTripsThroughItsFileWithOwnerOnlyPermissions() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeAll(folder) }
        let path = folder.appendingPathComponent("state/catalog-cache.json").path
        #expect(try CatalogCache.load(path: path) == CatalogCache(), "no file yet is an empty cache")
        let offer = Offer(
            provider: .gcp, region: "us-central1", instanceType: "e2-small", vcpus: nil, memoryGB: 2, gpu: .init(model: "L4", count: 1, memoryGB: 24),
            onDemandPrice: nil, spotPrice: 0.01, source: "gcp (live)", observedAt: Date(timeIntervalSince1970: 1_790_000_000.5))
        let cache = CatalogCache(providers: ["gcp": .init(refreshedAt: offer.observedAt, offers: [offer], attemptedAt: offer.observedAt, error: "x")])
        try cache.save(path: path)
        #expect(try CatalogCache.load(path: path) == cache)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ValidationError.self) { try CatalogCache.load(path: path) }
    }
}

extension FileManager {
    func removeAll(_ url: URL) throws { try removeItem(at: url) }
}
