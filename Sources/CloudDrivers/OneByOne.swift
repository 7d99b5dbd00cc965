import RemoteProvidersCore

/// For APIs that read and delete servers one id at a time (DigitalOcean, Vultr): the calls made a
/// few at once, and the question a terminate ends with — which deployments just lost their last
/// server, and so their firewall.
enum OneByOne {
    /// `read` for each id, `width` at a time; `nil` (gone, or not an id of this provider) is left out.
    static func describe(_ ids: [String], width: Int = 8, _ read: @escaping @Sendable (String) async throws -> Instance?) async throws -> [Instance] {
        try await collect(ids, width: width, read).compactMap { $0 }
    }

    /// `work` for each item, `width` at a time; the answers in the order they came.
    static func collect<T: Sendable>(_ items: [String], width: Int = 8, _ work: @escaping @Sendable (String) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            var pending = items.makeIterator()
            var found: [T] = []
            for _ in 0..<width {
                guard let item = pending.next() else { break }
                group.addTask { try await work(item) }
            }
            while let result = try await group.next() {
                found.append(result)
                if let item = pending.next() { group.addTask { try await work(item) } }
            }
            return found
        }
    }

    /// `work` for each id, `width` at a time.
    static func each(_ ids: [String], width: Int = 8, _ work: @escaping @Sendable (String) async throws -> Void) async throws {
        _ = try await describe(ids, width: width) { id in
            try await work(id)
            return nil
        }
    }

    /// Deletes `ids` (already gone is the deleter's success), all at once; returns the deployments
    /// of `doomed` (the servers as they were) that have no other live server left, as `list` says.
    static func terminate(
        _ ids: [String], doomed: [Instance], delete: @escaping @Sendable (String) async throws -> Void,
        list: (_ deployment: String) async throws -> [Instance]
    ) async throws -> [String] {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids { group.addTask { try await delete(id) } }
            try await group.waitForAll()
        }
        let gone = Set(ids)
        var emptied: [String] = []
        for deployment in Set(doomed.compactMap { $0.tags[ResourceTags.deploymentKey] }).sorted() {
            let others = try await list(deployment).filter { !gone.contains($0.id) && $0.status != .terminated }
            if others.isEmpty { emptied.append(deployment) }
        }
        return emptied
    }
}
