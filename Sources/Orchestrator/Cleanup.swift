import DeploymentStore
import Foundation
import RemoteProvidersCore

/// Terminates instances and proves it: terminate, then describe until each is terminated or gone,
/// with growing pauses. What cannot be proven gone stays `terminating` in the store (work for
/// `gc`) and is reported, never forgotten.
struct Cleanup: Sendable {
    let store: any DeploymentStore
    /// How long to keep asking before leaving the rest to `gc`.
    let verifyFor: Duration

    /// Terminates the deployment's live instances, provider and region at a time; returns those
    /// that could not be proven terminated.
    func release(_ deploymentID: String, drivers: DriverSource, timeline: Timeline) async -> [InstanceRecord] {
        let live = ((try? await store.instances(deploymentID: deploymentID)) ?? []).filter(\.holdsSomething)
        var leftovers: [InstanceRecord] = []
        for (place, records) in Dictionary(grouping: live, by: { "\($0.provider.rawValue) \($0.region)" }) {
            guard let first = records.first else { continue }
            do {
                let driver = try await drivers(first.provider, first.region)
                leftovers += await terminate(records, driver: driver, timeline: timeline)
            } catch {
                await timeline.record(.error, "could not reach \(place) to terminate \(records.map(\.providerInstanceID).joined(separator: ", ")): \(error)")
                leftovers += records
            }
        }
        return leftovers
    }

    /// Returns the records that could not be proven terminated. Runs to the end even when the
    /// caller was cancelled (an interrupted `up` is exactly when it must).
    @discardableResult
    func terminate(_ records: [InstanceRecord], driver: any CloudDriver, timeline: Timeline) async -> [InstanceRecord] {
        await Task { await terminateNow(records, driver: driver, timeline: timeline) }.value
    }

    private func terminateNow(_ records: [InstanceRecord], driver: any CloudDriver, timeline: Timeline) async -> [InstanceRecord] {
        let live = records.filter { $0.state != .terminated }
        guard !live.isEmpty else { return [] }
        let ids = live.map(\.providerInstanceID)
        var done: Set<String> = []
        do {
            for record in live where record.state != .terminating {
                try await store.updateInstance(record.id, InstanceUpdate(state: .terminating))
            }
            try await driver.terminate(ids)
            let deadline = ContinuousClock.now + verifyFor
            var pause = Duration.milliseconds(500)
            var remaining = Set(ids)
            while true {
                let seen = try await driver.describe(Array(remaining))
                remaining = Set(seen.filter { !$0.status.isFinal }.map(\.id))
                if remaining.isEmpty { break }
                guard ContinuousClock.now + pause < deadline else {
                    throw ProviderError(
                        .timeout, provider: driver.provider, operation: "terminate",
                        message: "\(remaining.sorted().joined(separator: ", ")) not terminated after \(verifyFor)")
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
            }
            for record in live {
                try await store.updateInstance(record.id, InstanceUpdate(state: .terminated))
                done.insert(record.id)
            }
            await timeline.record(.instance, "terminated \(ids.joined(separator: ", ")) (verified)")
            return []
        } catch {
            await timeline.record(.error, "could not prove \(ids.joined(separator: ", ")) terminated: \(error); they stay recorded as terminating for gc")
            return live.filter { !done.contains($0.id) }
        }
    }
}
