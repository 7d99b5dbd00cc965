import Foundation
import Testing

@testable import DeploymentStore

/// Many controllers race for the same expired lease; exactly one may win each time.
@Suite struct PostgresLeaseRaceTests {
    @Test func exactlyOneControllerTakesAnExpiredLease() async throws {
        try await withFreshStore(.postgres) { first, handle in
            try await handle.withStore { second in
                let controllers: [any DeploymentStore] = [first, second]
                for round in 0..<40 {
                    let deployment = try await newDeployment(first, "race-\(round)")
                    // Even rounds race over an expired lease, odd rounds over none at all.
                    if round.isMultiple(of: 2) {
                        _ = try await first.acquireLease(deployment.id, holder: "crashed", duration: .milliseconds(1))
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                        for taker in 0..<8 {
                            let store = controllers[taker % 2]
                            group.addTask {
                                do {
                                    _ = try await store.acquireLease(deployment.id, holder: "controller-\(taker)", duration: .seconds(30))
                                    return true
                                } catch StoreError.leaseHeld {
                                    return false
                                }
                            }
                        }
                        return try await group.reduce(into: [Bool]()) { $0.append($1) }
                    }
                    #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
                    let holder = try #require(try await first.lease(deployment.id)).holder
                    #expect(holder.hasPrefix("controller-"))
                }
            }
        }
    }
}
