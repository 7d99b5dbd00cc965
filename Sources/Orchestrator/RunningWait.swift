import Foundation
import RemoteProvidersCore

/// Waits for instances to run: batched describes, each a little further apart (from 0.5 s,
/// doubling to 10 s), until every one runs with an address. One that stops or ends first fails
/// the wait, as does the deadline.
public enum RunningWait {
    /// The instances as last seen running, by id.
    public static func until(_ ids: [String], driver: any CloudDriver, within timeout: Duration) async throws -> [String: Instance] {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(500)
        while true {
            let seen = Dictionary(try await driver.describe(ids).map { ($0.id, $0) }) { first, _ in first }
            var waiting: [String] = []
            for id in ids {
                guard let instance = seen[id] else {
                    // Not listed yet: a fresh instance can take a moment to appear.
                    waiting.append(id)
                    continue
                }
                if [.terminated, .terminating, .failed, .stopped, .stopping].contains(instance.status) {
                    throw ProviderError(
                        .transient, provider: driver.provider, operation: "wait", message: "instance \(id) is \(instance.status.rawValue) before it ever ran")
                }
                if instance.status != .running || (instance.publicAddress ?? instance.privateAddress) == nil { waiting.append(id) }
            }
            if waiting.isEmpty { return seen }
            guard ContinuousClock.now + pause < deadline else {
                throw ProviderError(.timeout, provider: driver.provider, operation: "wait", message: "\(waiting.joined(separator: ", ")) not running after \(timeout)")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(10))
        }
    }
}
