/// Runs `work`, failing with `.timeout` once `limit` passes (the work is then cancelled).
public func withDeadline<T: Sendable>(
    _ limit: Duration, provider: ProviderID? = nil, operation: String? = nil, _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw ProviderError(.timeout, provider: provider, operation: operation, message: "no answer within \(limit.components.seconds)s")
        }
        return value
    }
}
