import Foundation

/// A value that must never be printed, logged or stored in plain text.
///
/// Creating a `Secret` also registers its text with `SecretRegistry.shared`, so that the
/// `Redactor` removes it from any log line, error or description it later leaks into.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
        SecretRegistry.shared.register(value)
    }

    /// The plain text, for the one place that must send it (a signer, an SSH upload).
    public var revealed: String { value }

    public var isEmpty: Bool { value.isEmpty }

    public var description: String { Redactor.mask }
    public var debugDescription: String { Redactor.mask }
    /// `dump` and debuggers see no stored value either.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Secret: Encodable {
    /// Encoding never writes the value: a secret that reaches JSON output shows as the mask.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Redactor.mask)
    }
}
