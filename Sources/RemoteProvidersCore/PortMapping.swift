/// A published port: `"8080"` (same on both sides), `"80:8080"` (host 80 to container 8080),
/// optionally followed by `/tcp` or `/udp`.
public struct PortMapping: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum TransportProtocol: String, Sendable, Codable, CaseIterable {
        case tcp
        case udp
    }

    public let hostPort: Int
    public let containerPort: Int
    public let transport: TransportProtocol

    public init(hostPort: Int, containerPort: Int, transport: TransportProtocol = .tcp) {
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.transport = transport
    }

    public static let grammar = "\"PORT\" or \"HOST:CONTAINER\", optionally with /tcp or /udp, ports 1-65535"

    public init?(parsing text: String) {
        var body = Substring(text)
        var transport = TransportProtocol.tcp
        if let slash = body.lastIndex(of: "/") {
            guard let parsed = TransportProtocol(rawValue: String(body[body.index(after: slash)...])) else { return nil }
            transport = parsed
            body = body[..<slash]
        }
        let sides = body.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(sides.count) else { return nil }
        let ports = sides.compactMap(Self.port)
        guard ports.count == sides.count else { return nil }
        self.init(hostPort: ports[0], containerPort: ports[ports.count - 1], transport: transport)
    }

    private static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(text), (1...65_535).contains(value)
        else { return nil }
        return value
    }

    public var description: String {
        let ports = hostPort == containerPort ? "\(hostPort)" : "\(hostPort):\(containerPort)"
        return transport == .tcp ? ports : "\(ports)/\(transport.rawValue)"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let mapping = PortMapping(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: Self.grammar))
        }
        self = mapping
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
