import Foundation
import RemoteProvidersCore

/// An HTTP request as it will be sent, for signers to read and add headers to.
public struct OutgoingRequest: Sendable {
    public var method: String
    public var url: URL
    /// In order; names compared case-insensitively by whoever reads them.
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }
}

extension OutgoingRequest: CustomStringConvertible, CustomReflectable {
    /// Method, URL and header names only, redacted: header values and bodies may hold credentials.
    public var description: String {
        Redactor.standard.redact("\(method) \(url.absoluteString) [\(headers.map(\.name).joined(separator: ", "))]")
    }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

/// One auth scheme. Signers run on every attempt, so a signature that covers the time stays fresh.
public protocol RequestSigner: Sendable {
    func sign(_ request: inout OutgoingRequest) async throws
    /// The provider refused (401) the credential `sign` put on `request`. `true` when a fresh one
    /// is ready, so the request goes once more; fixed credentials answer `false`.
    func refused(_ request: OutgoingRequest) async -> Bool
}

extension RequestSigner {
    public func refused(_ request: OutgoingRequest) async -> Bool { false }
}

/// `Authorization: Bearer <token>`.
public struct BearerSigner: RequestSigner {
    private let token: Secret

    public init(token: Secret) {
        self.token = token
    }

    public func sign(_ request: inout OutgoingRequest) async throws {
        request.setHeader("Authorization", "Bearer \(token.revealed)")
    }
}

/// A key in a header of the provider's choosing (`x-api-key: <key>`, `api-key: <key>`).
public struct APIKeyHeaderSigner: RequestSigner {
    private let header: String
    private let key: Secret
    private let prefix: String

    public init(header: String, key: Secret, prefix: String = "") {
        self.header = header
        self.key = key
        self.prefix = prefix
    }

    public func sign(_ request: inout OutgoingRequest) async throws {
        request.setHeader(header, prefix + key.revealed)
    }
}

/// No credentials (metadata servers, public price lists).
public struct UnsignedRequests: RequestSigner {
    public init() {}
    public func sign(_ request: inout OutgoingRequest) async throws {}
}
