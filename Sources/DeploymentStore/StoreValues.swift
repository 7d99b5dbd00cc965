import Foundation
import RemoteProvidersCore

extension Date {
    /// Whole milliseconds: what both stores keep exactly, so a value read back equals the one written.
    var storeNormalized: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

extension InstanceRecord {
    var storeNormalized: InstanceRecord {
        var record = self
        record.createdAt = createdAt.storeNormalized
        record.expiresAt = expiresAt?.storeNormalized
        return record
    }
}

/// The stored form of a spec: the service file as `ServiceSpec` encodes it, secrets masked.
enum SpecJSON {
    static func encode(_ spec: ServiceSpec) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }
}
