import Foundation
import RemoteProvidersCore

/// Whether a request may be sent again when its first attempt's outcome is unknown.
///
/// A create is never resent blindly: a lost answer to a create may mean a second paid instance.
public enum RequestSafety: Sendable {
    /// Reads, deletes, and creates whose body already carries the provider's client token.
    case idempotent
    /// The transport sets this header to this key on every attempt; the provider deduplicates.
    case idempotencyKey(header: String, key: String)
    /// After an ambiguous failure, ask the provider whether the first attempt took effect: a
    /// response means it did and is the result; `nil` means it did not, and the request is resent.
    case lookup(@Sendable () async throws -> HTTPResponse?)
    /// Resent only when the failure proves nothing was processed (refused connection, 429).
    case unsafe
}

/// One call to a provider's API, relative to its base URL.
public struct ProviderRequest: Sendable {
    public var method: String
    /// Appended to the base URL's path; starts with `/`.
    public var path: String
    public var query: [URLQueryItem]
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Names the call in metrics and errors: `RunInstances`, `droplets.create`.
    public var operation: String
    public var safety: RequestSafety

    public init(
        method: String, path: String, query: [URLQueryItem] = [], headers: [(name: String, value: String)] = [],
        body: Data? = nil, operation: String, safety: RequestSafety? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.operation = operation
        self.safety = safety ?? (["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method) ? .idempotent : .unsafe)
    }

    public static func get(_ path: String, query: [URLQueryItem] = [], operation: String) -> ProviderRequest {
        ProviderRequest(method: "GET", path: path, query: query, operation: operation)
    }

    /// A JSON body; the content type is set.
    public static func json(
        _ method: String, _ path: String, body: Data, operation: String, safety: RequestSafety
    ) -> ProviderRequest {
        ProviderRequest(
            method: method, path: path, headers: [("Content-Type", "application/json")], body: body,
            operation: operation, safety: safety)
    }
}

/// A provider's answer.
public struct HTTPResponse: Sendable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

extension ProviderRequest: CustomStringConvertible, CustomReflectable {
    /// Without header values or body, which may hold credentials.
    public var description: String {
        Redactor.standard.redact("\(operation): \(method) \(path)")
    }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

extension HTTPResponse: CustomStringConvertible, CustomReflectable {
    public var description: String {
        Redactor.standard.redact("HTTP \(status): \(StatusClassifier.summary(of: self))")
    }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
