import RemoteProvidersCore

/// For APIs that take a registered key by name and list keys with their text (Lambda, Fluidstack):
/// the tool's key registered once per account and found again by its text, under the name
/// `blueprint-remote-<fingerprint>`.
enum KeyRegistration {
    /// The name the provider knows `publicKey` by. `listed` gives every key as (name, text);
    /// `register` makes one of the name (given `find` for its lost-answer lookup) and returns the
    /// name it got. A refusal of the register (the name taken, by another run meanwhile or by
    /// another key) is looked up once more; if the key is still not there, the refusal stands.
    static func name(
        for publicKey: String, known: LookupCache, listed: @escaping @Sendable () async throws -> [(name: String, text: String)],
        register: @escaping @Sendable (_ name: String, _ find: @escaping @Sendable () async throws -> String?) async throws -> String
    ) async throws -> String {
        let text = KeyFingerprint.text(publicKey)
        let fingerprint = try KeyFingerprint.md5(publicKey)
        return try await known.once("key:\(fingerprint)") {
            let find: @Sendable () async throws -> String? = { try await listed().first { KeyFingerprint.text($0.text) == text }?.name }
            if let found = try await find() { return found }
            do {
                return try await register("blueprint-remote-\(fingerprint.replacingOccurrences(of: ":", with: "").prefix(12))", find)
            } catch let error as ProviderError where error.kind == .conflict || error.kind == .invalidRequest {
                if let found = try await find() { return found }
                throw error
            }
        }
    }
}
