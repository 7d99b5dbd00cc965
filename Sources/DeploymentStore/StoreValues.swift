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

/// Published ports as one column: `public:container[/udp]`, comma-separated; `NULL` for none.
enum PublishedPortsColumn {
    static func encode(_ ports: [PortMapping]) -> String? {
        ports.isEmpty ? nil : ports.map(\.stored).joined(separator: ",")
    }

    static func decode(_ text: String?) -> [PortMapping] {
        (text ?? "").split(separator: ",").compactMap { PortMapping(parsing: String($0)) }
    }
}

extension PortMapping {
    /// Both sides always written, so `22:22` reads back as itself.
    var stored: String {
        "\(hostPort):\(containerPort)" + (transport == .tcp ? "" : "/\(transport.rawValue)")
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
