import Foundation

/// How long a lease lasts and how often it is renewed. Short and renewed, so a controller that
/// dies leaves a lease that lapses within a minute, and `gc` can take its work over.
public struct LeaseTerms: Sendable {
    public var duration: Duration
    public var heartbeat: Duration

    public init(duration: Duration, heartbeat: Duration) {
        self.duration = duration
        self.heartbeat = heartbeat
    }

    /// A minute, renewed every 15 seconds: three renewals can fail before it lapses.
    public static let standard = LeaseTerms(duration: .seconds(60), heartbeat: .seconds(15))
}

extension DeploymentStore {
    /// Runs `body` holding the deployment's lease, renewed every heartbeat, and releases it
    /// however `body` ends. The heartbeat outlives the caller's cancellation, so the cleanup an
    /// interrupted `body` still does stays covered. A lease another controller took over
    /// (after renewals kept failing) cancels `body` and ends in `StoreError.leaseLost`.
    public func withLease<T: Sendable>(
        _ deploymentID: String, holder: String, terms: LeaseTerms = .standard, staleAfter: Duration? = nil,
        _ body: @escaping @Sendable (Lease) async throws -> T
    ) async throws -> T {
        let lease = try await acquireLease(deploymentID, holder: holder, duration: terms.duration, staleAfter: staleAfter)
        let work = Task { try await body(lease) }
        let heartbeat = Task { await keepAlive(lease, terms: terms, onLost: { work.cancel() }) }
        let result = await withTaskCancellationHandler { await work.result } onCancel: { work.cancel() }
        heartbeat.cancel()
        let held = await heartbeat.value
        guard held else { throw StoreError.leaseLost(deploymentID: deploymentID) }
        // Released outside a cancelled caller too, or the next controller waits the lease out.
        await Task { try? await releaseLease(lease) }.value
        return try result.get()
    }

    /// Renews until cancelled; returns whether the lease was still held. A renewal that fails
    /// for another reason (the store briefly away) is retried until the lease would lapse.
    private func keepAlive(_ lease: Lease, terms: LeaseTerms, onLost: @Sendable () -> Void) async -> Bool {
        var current = lease
        while true {
            try? await Task.sleep(for: terms.heartbeat)
            if Task.isCancelled { return true }
            do {
                current = try await renewLease(current, duration: terms.duration)
            } catch StoreError.leaseLost {
                onLost()
                return false
            } catch {
                if current.expiresAt <= Date() {
                    onLost()
                    return false
                }
            }
        }
    }
}
