import Foundation
import RemoteProvidersCore

/// Live offers pulled by `catalog refresh`, kept in one JSON file beside the state store, per
/// provider with when they were pulled and how the last attempt went.
public struct CatalogCache: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        /// When `offers` were pulled.
        public var refreshedAt: Date?
        public var offers: [Offer]
        /// When the last attempt ran, and its failure if it failed (the offers then are older).
        public var attemptedAt: Date
        public var error: String?

        public init(refreshedAt: Date?, offers: [Offer], attemptedAt: Date, error: String?) {
            self.refreshedAt = refreshedAt
            self.offers = offers
            self.attemptedAt = attemptedAt
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case offers, error
            case refreshedAt = "refreshed_at"
            case attemptedAt = "attempted_at"
        }
    }

    public static let formatVersion = 1

    public var version: Int
    public var providers: [String: Entry]

    public init(providers: [String: Entry] = [:]) {
        version = Self.formatVersion
        self.providers = providers
    }

    public static let fileName = "catalog-cache.json"

    /// The cache at `path`; none yet (or one an older format wrote) is an empty cache.
    public static func load(path: String) throws -> CatalogCache {
        guard let data = FileManager.default.contents(atPath: path) else { return CatalogCache() }
        do {
            let cache = try decoder.decode(CatalogCache.self, from: data)
            return cache.version == formatVersion ? cache : CatalogCache()
        } catch {
            throw ValidationError(field: "catalog cache", value: path, rule: "is not a catalog cache this version can read (delete it and refresh): \(error)")
        }
    }

    /// Written whole to a new file, mode 0600, then renamed over the old one.
    public func save(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = "\(path).\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: try Self.encoder.encode(self), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError(field: "catalog cache", value: folder, rule: "is a folder this user cannot write to")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ValidationError(field: "catalog cache", value: path, rule: "could not be replaced: \(reason)")
        }
    }

    // Times as seconds since 1970: thousands of rows decode at every cold start, and a
    // formatter per date would cost more than the rest of the load.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()
}
