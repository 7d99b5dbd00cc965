/// A length of time in the one grammar used everywhere (`ttl`, `--ttl`, `--stale-after`, health
/// timing): whole units largest first, `90s`, `45m`, `2h`, `1h30m`, `7d`, `1d12h`.
public struct TimeSpan: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    public static func minutes(_ value: Int64) -> TimeSpan { TimeSpan(seconds: value * 60) }
    public static func hours(_ value: Int64) -> TimeSpan { TimeSpan(seconds: value * 3600) }

    public static let grammar = "a duration such as 90s, 45m, 2h, 1h30m or 7d (units d, h, m, s, largest first)"

    private static let units: [(Character, Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Parses the grammar exactly; anything else (`1.5h`, `2 h`, `30`, `1m2h`, `5s5s`, `-5m`) is `nil`.
    public init?(parsing text: String) {
        guard !text.isEmpty else { return nil }
        var total: Int64 = 0
        var digits = ""
        var lastUnit = -1
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            // Each unit at most once, largest first, and always after a number of at most 9 digits.
            guard let unit = Self.units.firstIndex(where: { $0.0 == character }), unit > lastUnit,
                !digits.isEmpty, digits.count <= 9, let value = Int64(digits)
            else { return nil }
            total += value * Self.units[unit].1
            digits = ""
            lastUnit = unit
        }
        guard digits.isEmpty else { return nil }
        self.seconds = total
    }

    /// The canonical spelling: `5400` seconds is `1h30m`, zero is `0s`.
    public var description: String {
        guard seconds > 0 else { return "0s" }
        var rest = seconds
        var text = ""
        for (unit, size) in Self.units where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// The largest unit only, for ages in tables: `3h`, `2d`, `45s`.
    public var coarse: String {
        guard let (unit, size) = Self.units.first(where: { seconds >= $0.1 }) else { return "0s" }
        return "\(seconds / size)\(unit)"
    }

    public var duration: Duration { .seconds(seconds) }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let span = TimeSpan(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: Self.grammar))
        }
        self = span
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
