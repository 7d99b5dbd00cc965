/// What a driver already looked up (an image, a registered key, a firewall), by key: each lookup
/// runs once; callers that come while it runs wait for the same result. A failure is not kept, so
/// the next caller tries again.
actor LookupCache {
    private var shared: [String: Task<String, any Error>] = [:]

    func once(_ key: String, _ work: @escaping @Sendable () async throws -> String) async throws -> String {
        if let running = shared[key] { return try await running.value }
        let task = Task { try await work() }
        shared[key] = task
        do {
            return try await task.value
        } catch {
            shared[key] = nil
            throw error
        }
    }

    func forget(_ key: String) { shared[key] = nil }

    /// What `once` found for `key`, if it ran and succeeded.
    func value(_ key: String) async -> String? {
        try? await shared[key]?.value
    }
}
