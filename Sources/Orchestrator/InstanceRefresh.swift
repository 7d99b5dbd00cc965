import DeploymentStore
import Foundation
import RemoteProvidersCore

/// Holds recorded instances against what their provider says now, and records the difference: an
/// instance the provider no longer knows is `lost`, one terminated outside the tool `terminated`,
/// a new public address kept; a healthy deployment left with nothing running is marked failed.
/// Used by `status --refresh` and by `gc` for the instances a listing missed.
public struct InstanceRefresh: Sendable {
    /// One recorded instance whose record changed (or, on a dry run, would).
    public struct Change: Sendable, Codable, Equatable {
        public var deploymentID: String?
        public var provider: ProviderID
        public var region: String
        public var instance: String
        /// The record's new state, when it changed.
        public var state: InstanceRecordState?
        public var address: String?
        public var detail: String

        enum CodingKeys: String, CodingKey {
            case provider, region, instance, state, address, detail
            case deploymentID = "deployment"
        }
    }

    let store: any DeploymentStore
    let drivers: DriverSource

    public init(store: any DeploymentStore, drivers: @escaping DriverSource) {
        self.store = store
        self.drivers = drivers
    }

    /// The active cloud instances among `records`, asked about provider and region at a time
    /// (one batched describe each, all at once).
    public func refresh(_ records: [InstanceRecord], dryRun: Bool = false) async throws -> [Change] {
        let live = records.filter { $0.state == .active && !$0.provider.isPool }
        let places = Dictionary(grouping: live, by: { GarbageCollector.Place($0.provider, $0.region) })
        return try await withThrowingTaskGroup(of: [Change].self) { group in
            for (place, records) in places {
                group.addTask { try await refresh(records, driver: try await drivers(place.provider, place.region), dryRun: dryRun) }
            }
            var all: [Change] = []
            for try await changes in group { all += changes }
            return all.sorted { ($0.deploymentID ?? "", $0.instance) < ($1.deploymentID ?? "", $1.instance) }
        }
    }

    /// `records` are of one provider and region, which `driver` serves.
    func refresh(_ records: [InstanceRecord], driver: any CloudDriver, dryRun: Bool) async throws -> [Change] {
        guard !records.isEmpty else { return [] }
        let seen = Dictionary(try await driver.describe(records.map(\.providerInstanceID)).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [Change] = []
        var emptied: Set<String> = []
        for record in records {
            let instance = seen[record.providerInstanceID]
            var change = Change(
                deploymentID: record.deploymentID, provider: record.provider, region: record.region, instance: record.providerInstanceID, detail: "")
            switch instance?.status {
            case nil: (change.state, change.detail) = (.lost, "the provider no longer knows it")
            case .terminated?: (change.state, change.detail) = (.terminated, "terminated outside this tool")
            default:
                // Still there: only an address that moved (a VM stopped and started again) is news.
                guard let address = instance?.publicAddress, address != record.address, !address.isEmpty else { continue }
                (change.address, change.detail) = (address, "its public address is now \(address)")
            }
            if dryRun {
                changes.append(change)
                continue
            }
            if let state = change.state {
                // Another controller may have settled it meanwhile: then it is theirs to report.
                guard try await store.claimInstance(record.id, from: .active, to: state) != nil else { continue }
                if let id = record.deploymentID { emptied.insert(id) }
            } else {
                try await store.updateInstance(record.id, InstanceUpdate(address: change.address))
            }
            changes.append(change)
        }
        for id in emptied.sorted() {
            guard let deployment = try await store.deployment(id: id), deployment.state == .healthy,
                !(try await store.instances(deploymentID: id)).contains(where: \.holdsSomething)
            else { continue }
            try await store.transition(id, to: .failed, reason: "its instances are gone from \(driver.provider) (found by a refresh)")
        }
        return changes
    }
}
