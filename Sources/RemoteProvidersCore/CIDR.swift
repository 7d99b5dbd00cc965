import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network in CIDR notation with its host bits zero, as firewalls require.
public struct CIDR: Sendable, Hashable, Codable, CustomStringConvertible {
    public let address: String
    public let prefixLength: Int
    public let isIPv6: Bool

    public static let anywhereIPv4 = CIDR(address: "0.0.0.0", prefixLength: 0, isIPv6: false)

    private init(address: String, prefixLength: Int, isIPv6: Bool) {
        self.address = address
        self.prefixLength = prefixLength
        self.isIPv6 = isIPv6
    }

    public enum ParseError: Error, Equatable {
        case malformed
        /// The address has bits set past the prefix; `suggestion` is the network it probably meant.
        case hostBitsSet(suggestion: String)
    }

    public static func parse(_ text: String) -> Result<CIDR, ParseError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = IPAddress.bytes(String(parts[0])),
            parts[1].allSatisfy(\.isNumber), parts[1].count <= 3, let prefix = Int(parts[1]),
            prefix <= bytes.count * 8
        else { return .failure(.malformed) }
        let network = bytes.enumerated().map { index, byte -> UInt8 in
            let bitsKept = min(max(prefix - index * 8, 0), 8)
            return bitsKept == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - bitsKept))
        }
        let isIPv6 = bytes.count == 16
        guard network == bytes else {
            return .failure(.hostBitsSet(suggestion: "\(IPAddress.text(network))/\(prefix)"))
        }
        return .success(CIDR(address: String(parts[0]), prefixLength: prefix, isIPv6: isIPv6))
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// Open to the whole internet.
    public var isAnywhere: Bool { prefixLength == 0 }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard case .success(let cidr) = CIDR.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a CIDR"))
        }
        self = cidr
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Address parsing through the C library, which knows every valid IPv6 spelling.
public enum IPAddress {
    /// 4 or 16 bytes, or `nil` when the text is no IP address.
    public static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    static func text(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Loopback (127.0.0.0/8, ::1) or private (10/8, 172.16/12, 192.168/16, fc00::/7, link-local).
    public static func isLoopbackOrPrivate(_ text: String) -> Bool {
        guard let bytes = bytes(text) else { return false }
        if bytes.count == 4 {
            return bytes[0] == 127 || bytes[0] == 10 || (bytes[0] == 172 && (16...31).contains(bytes[1]))
                || (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 169 && bytes[1] == 254)
        }
        let isLoopback = bytes.dropLast().allSatisfy { $0 == 0 } && bytes[15] == 1
        return isLoopback || (bytes[0] & 0xFE) == 0xFC || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)
    }
}
