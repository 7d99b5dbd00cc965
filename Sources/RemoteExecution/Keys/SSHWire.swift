import Foundation
import RemoteProvidersCore

/// SSH's binary encoding: big-endian integers and length-prefixed strings (RFC 4251).
struct SSHWire {
    var data = Data()

    mutating func uint32(_ value: UInt32) {
        data.append(contentsOf: withUnsafeBytes(of: value.bigEndian, Array.init))
    }

    mutating func string(_ bytes: Data) {
        uint32(UInt32(bytes.count))
        data.append(bytes)
    }

    mutating func string(_ text: String) {
        string(Data(text.utf8))
    }
}

/// Reads what `SSHWire` writes.
struct SSHWireReader {
    private var data: Data

    init(_ data: Data) {
        self.data = Data(data)
    }

    mutating func bytes(_ count: Int) -> Data? {
        guard data.count >= count else { return nil }
        defer { data = Data(data.dropFirst(count)) }
        return Data(data.prefix(count))
    }

    mutating func uint32() throws -> UInt32 {
        guard let bytes = bytes(4) else { throw ValidationError(field: "ssh key", value: nil, rule: "is truncated") }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func string() throws -> Data {
        let count = Int(try uint32())
        guard let bytes = bytes(count) else { throw ValidationError(field: "ssh key", value: nil, rule: "is truncated") }
        return bytes
    }
}
