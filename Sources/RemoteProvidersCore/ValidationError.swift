/// Bad input, naming the field, the value (unless it is secret) and the rule it broke.
public struct ValidationError: CodedError, Sendable, Equatable {
    public let fieldPath: String
    /// The offending value as written, shortened and with control characters escaped; `nil` for secrets.
    public let value: String?
    public let rule: String

    public init(field: String, value: String?, rule: String) {
        self.fieldPath = field
        // Values are user input; one may still be a credential pasted in the wrong place.
        self.value = value.map { Self.display(Redactor.standard.redact($0)) }
        self.rule = rule
    }

    public var code: ErrorCode { .validation }
    public var field: String? { fieldPath }

    public var message: String {
        guard let value else { return "\(fieldPath): \(rule)" }
        return "\(fieldPath): \(value) — \(rule)"
    }

    /// Quoted, at most 80 characters, with newlines and other controls made visible.
    static func display(_ raw: String) -> String {
        var escaped = ""
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case "\"": escaped += "\\\""
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    escaped += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        if escaped.count > 80 { escaped = String(escaped.prefix(77)) + "..." }
        return "\"\(escaped)\""
    }
}

/// Every problem found in one document, so a user fixes them all in one pass.
public struct ValidationErrors: CodedError, Sendable, Equatable {
    public let errors: [ValidationError]

    public init(_ errors: [ValidationError]) {
        self.errors = errors
    }

    public var code: ErrorCode { .validation }
    public var field: String? { errors.first?.field }

    public var message: String {
        errors.count == 1 ? errors[0].message : errors.map(\.message).joined(separator: "\n")
    }
}

/// Collects every problem of one document, to report them all at once.
public final class ValidationReport {
    public init() {}

    public private(set) var errors: [ValidationError] = []
    public private(set) var warnings: [String] = []

    public func fail(_ field: String, _ value: String?, _ rule: String) {
        errors.append(ValidationError(field: field, value: value, rule: rule))
    }

    public func warn(_ text: String) {
        warnings.append(text)
    }

    public func check() throws {
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }
}
