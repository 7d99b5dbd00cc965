/// Reads one mapping of a spec document field by field, reporting every problem with its full
/// field path, and any key nobody asked for as unknown.
public struct SpecReader {
    public let path: String
    private let entries: [SpecEntry]
    public let report: ValidationReport
    private var taken: Set<String> = []

    /// `nil` (after reporting) when the node is not a mapping.
    public init?(_ node: SpecNode, path: String, report: ValidationReport) {
        guard case .map(let entries) = node else {
            report.fail(path.isEmpty ? "document" : path, node.displayText, "must be a mapping, not \(node.typeName)")
            return nil
        }
        self.path = path
        self.entries = entries
        self.report = report
    }

    public func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The node under `key`; `nil` when absent or null.
    public mutating func take(_ key: String) -> SpecNode? {
        taken.insert(key)
        guard let node = entries.first(where: { $0.key == key })?.value, node != .null else { return nil }
        return node
    }

    public func has(_ key: String) -> Bool {
        entries.contains { $0.key == key && $0.value != .null }
    }

    /// The entries no `take` asked for yet, all taken now (for free-form keys such as labels).
    public mutating func remaining() -> [SpecEntry] {
        let rest = entries.filter { !taken.contains($0.key) }
        taken.formUnion(rest.map(\.key))
        return rest
    }

    /// Reports every key that no `take` asked for.
    public func finish() {
        let known = taken.sorted().joined(separator: ", ")
        for entry in entries where !taken.contains(entry.key) {
            report.fail(field(entry.key), nil, "unknown key; known keys here: \(known)")
        }
    }

    // MARK: Typed values

    public mutating func string(_ key: String) -> String? {
        guard let node = take(key) else { return nil }
        return Self.string(node, field: field(key), report: report)
    }

    public static func string(_ node: SpecNode, field: String, report: ValidationReport) -> String? {
        guard case .scalar(let text, _) = node else {
            report.fail(field, node.displayText, "must be a string, not \(node.typeName)")
            return nil
        }
        return text
    }

    public mutating func number(_ key: String) -> Double? {
        guard let node = take(key) else { return nil }
        let value: Double?
        switch node {
        case .number(let number): value = number
        // YAML plain scalars are numbers when they read as one; NaN and infinities are caught below.
        case .scalar(let text, plain: true): value = Double(text)
        default: value = nil
        }
        guard let value else {
            report.fail(field(key), node.displayText, "must be a number, not \(node.typeName)")
            return nil
        }
        guard value.isFinite else {
            report.fail(field(key), node.displayText, "must be a finite number")
            return nil
        }
        return value
    }

    public mutating func integer(_ key: String) -> Int? {
        guard let number = number(key) else { return nil }
        guard number.rounded() == number, abs(number) < 1e15 else {
            report.fail(field(key), "\(number)", "must be a whole number")
            return nil
        }
        return Int(number)
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let node = take(key) else { return nil }
        switch node {
        case .bool(let flag): return flag
        case .scalar("true", plain: true): return true
        case .scalar("false", plain: true): return false
        default:
            report.fail(field(key), node.displayText, "must be true or false")
            return nil
        }
    }

    public mutating func stringList(_ key: String) -> [String]? {
        guard let node = take(key) else { return nil }
        guard case .list(let items) = node else {
            report.fail(field(key), node.displayText, "must be a list of strings, not \(node.typeName)")
            return nil
        }
        let values = items.enumerated().map { index, item in
            Self.string(item, field: "\(field(key))[\(index)]", report: report)
        }
        return values.contains(nil) ? nil : values.compactMap { $0 }
    }

    public mutating func duration(_ key: String) -> TimeSpan? {
        guard let text = string(key) else { return nil }
        guard let span = TimeSpan(parsing: text) else {
            report.fail(field(key), text, "must be \(TimeSpan.grammar)")
            return nil
        }
        return span
    }

    /// A value from a fixed set, such as `spot: never | auto | only`.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: " | ")
            report.fail(field(key), text, "must be one of \(allowed)")
            return nil
        }
        return value
    }

    /// A nested mapping's reader, or `nil` when absent or not a mapping.
    public mutating func nested(_ key: String) -> SpecReader? {
        guard let node = take(key) else { return nil }
        return SpecReader(node, path: field(key), report: report)
    }

    /// A mapping of names to entries, in document order.
    public mutating func entries(_ key: String) -> [SpecEntry]? {
        guard let node = take(key) else { return nil }
        guard case .map(let entries) = node else {
            report.fail(field(key), node.displayText, "must be a mapping, not \(node.typeName)")
            return nil
        }
        return entries
    }

    public func fail(_ key: String, _ value: String?, _ rule: String) {
        report.fail(field(key), value, rule)
    }

    /// Reports against a full field path (for values read outside this reader's own keys).
    public func failField(_ fullField: String, _ value: String?, _ rule: String) {
        report.fail(fullField, value, rule)
    }

    public func warn(_ text: String) {
        report.warn(text)
    }
}
