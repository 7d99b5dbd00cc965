/// Lambda takes one launch request per 12 seconds (five a minute) per account, and answers faster
/// ones with 429. Launches from this process wait their turn instead, whichever driver (region)
/// makes them.
actor LaunchPacing {
    static let shared = LaunchPacing()

    private var nextAllowed: ContinuousClock.Instant?

    /// Returns when a launch may be sent now, `interval` after the previous one.
    func turn(every interval: Duration) async throws {
        let now = ContinuousClock.now
        let at = max(nextAllowed ?? now, now)
        nextAllowed = at + interval
        if at > now { try await Task.sleep(until: at, clock: .continuous) }
    }
}
