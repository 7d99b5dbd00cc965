import RemoteProvidersCore

/// For clouds that list every pod or machine of the account in one answer (Lium, RunPod;
/// Paperspace and Fluidstack, page after page): describe, list by tag and terminate, all from that
/// one listing. The tags
/// come from the pod's name (`PodNames`), which is all such a pod carries.
struct PodListing: Sendable {
    /// Every pod, as instances.
    let all: @Sendable () async throws -> [Instance]
    /// Deletes one pod; already gone is the deleter's success.
    let delete: @Sendable (String) async throws -> Void

    /// One listing for any number of ids; ids no longer listed are left out.
    func describe(_ ids: [String]) async throws -> [Instance] {
        let wanted = Set(ids)
        guard !wanted.isEmpty else { return [] }
        return try await all().filter { wanted.contains($0.id) }
    }

    func list(tag key: String, value: String) async throws -> [Instance] {
        try await all().filter { $0.tags[key] == value }
    }

    /// A delete for each id still listed and not already terminated or terminating.
    func terminate(_ ids: [String]) async throws {
        let present = Set(try await describe(ids).filter { $0.status != .terminated && $0.status != .terminating }.map(\.id))
        for id in present.sorted() { try await delete(id) }
    }
}
