import RemoteProvidersCore

/// One driver's creates running now, per deployment. A deployment's firewall or security group is
/// made by its first create; when the last create running for it fails and no server of it exists,
/// that resource is removed again — so failing over away from a region or provider leaves nothing
/// behind there, and a deployment whose every create failed leaves nothing at all.
actor CreatesInFlight {
    private var running: [String: Int] = [:]

    private func begin(_ deployment: String) { running[deployment, default: 0] += 1 }

    /// Ends one create; whether it was the deployment's last one running.
    private func end(_ deployment: String) -> Bool {
        let left = (running[deployment] ?? 1) - 1
        running[deployment] = left > 0 ? left : nil
        return left <= 0
    }

    /// Runs `create`. When it fails as the deployment's last create running, `cleanUp` runs (its own
    /// failure is left for `down` or `gc`: the create's error is the one thrown).
    nonisolated func guarding<T: Sendable>(
        _ deployment: String, _ create: () async throws -> T, cleanUp: @Sendable () async throws -> Void
    ) async throws -> T {
        await begin(deployment)
        do {
            let made = try await create()
            _ = await end(deployment)
            return made
        } catch {
            if await end(deployment) { try? await cleanUp() }
            throw error
        }
    }

    /// `guarding`, for a resource its servers share: removed only when `servers` lists none of the
    /// deployment's still alive.
    nonisolated func guarding<T: Sendable>(
        _ deployment: String, _ create: () async throws -> T, servers: @escaping @Sendable () async throws -> [Instance],
        remove: @escaping @Sendable () async throws -> Void
    ) async throws -> T {
        try await guarding(deployment, create, cleanUp: {
            if try await servers().allSatisfy({ $0.status == .terminated }) { try await remove() }
        })
    }
}
