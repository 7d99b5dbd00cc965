import Foundation
import Yams

/// A parsed YAML or JSON document before it is read into a typed spec.
///
/// YAML plain scalars keep their exact text, so `GREETING: 1.10` is the string `1.10`, not a number.
public indirect enum SpecNode: Sendable, Equatable {
    /// Text as written. `plain` is YAML's unquoted style, where `~`, `null` and `` mean null.
    case scalar(String, plain: Bool)
    case number(Double)
    case bool(Bool)
    case null
    case list([SpecNode])
    case map([SpecEntry])

    public enum Format: String, Sendable {
        case yaml
        case json
    }

    /// Parses a document; JSON is recognised by its leading `{` unless `format` says otherwise.
    public static func parse(_ text: String, format: Format? = nil, source: String) throws -> SpecNode {
        let trimmed = text.drop { $0.isWhitespace }
        let chosen = format ?? (trimmed.first == "{" ? .json : .yaml)
        do {
            switch chosen {
            case .json:
                return try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8)).node
            case .yaml:
                guard let root = try Yams.compose(yaml: text) else { return .null }
                return try SpecNode(yaml: root)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError(field: source, value: nil, rule: "is not valid \(chosen.rawValue.uppercased()): \(Self.reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context): return context.debugDescription
            default: return "\(decoding)"
            }
        }
        return "\(error)".replacingOccurrences(of: "\n", with: " ")
    }

    init(yaml node: Node) throws {
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain || scalar.style == .any
            self = plain && ["~", "null", "Null", "NULL", ""].contains(scalar.string) ? .null : .scalar(scalar.string, plain: plain)
        case .sequence(let sequence):
            self = .list(try sequence.map(SpecNode.init(yaml:)))
        case .mapping(let mapping):
            self = .map(try mapping.map { key, value in
                guard case .scalar(let keyScalar) = key else {
                    throw ValidationError(field: "document", value: nil, rule: "mapping keys must be plain strings")
                }
                return SpecEntry(key: keyScalar.string, value: try SpecNode(yaml: value))
            })
        case .alias:
            throw ValidationError(field: "document", value: nil, rule: "YAML aliases are not supported; write the value out")
        }
    }

    /// A short name of the node's type for error messages.
    public var typeName: String {
        switch self {
        case .scalar: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// The text of a scalar, number or boolean, for showing in an error.
    public var displayText: String? {
        switch self {
        case .scalar(let text, _): text
        case .number(let value): "\(value)"
        case .bool(let value): "\(value)"
        case .null: "null"
        case .list, .map: nil
        }
    }
}

public struct SpecEntry: Sendable, Equatable {
    public let key: String
    public let value: SpecNode
}

/// Decodes JSON keeping strings, numbers and booleans apart.
private struct JSONNode: Decodable {
    let node: SpecNode

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            node = .map(try object.allKeys.map { key in
                SpecEntry(key: key.stringValue, value: try object.decode(JSONNode.self, forKey: key).node)
            }.sorted { $0.key < $1.key })
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [SpecNode] = []
            while !array.isAtEnd { items.append(try array.decode(JSONNode.self).node) }
            node = .list(items)
            return
        }
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            node = .null
        } else if let flag = try? value.decode(Bool.self) {
            node = .bool(flag)
        } else if let number = try? value.decode(Double.self) {
            node = .number(number)
        } else {
            node = .scalar(try value.decode(String.self), plain: false)
        }
    }
}
