import Foundation
import ProviderTransport
import RemoteProvidersCore

/// JSON over a provider's REST API with a bearer token: the calls every JSON driver makes, each
/// answer decoded or turned into a typed error by the provider's own error reading.
struct JSONClient: Sendable {
    let http: ProviderClient

    /// A bearer token, as most of these APIs take it.
    init(
        _ provider: ProviderID, transport: HTTPTransport, token: Secret, environment: Environment,
        errors: @escaping @Sendable (HTTPResponse, ProviderRequest) -> ProviderError?
    ) throws {
        try self.init(provider, transport: transport, signer: BearerSigner(token: token), environment: environment, errors: errors)
    }

    /// `signer`: how the provider takes its key (a header of its own, say); `endpoint`: one of the
    /// provider's second endpoints (`BILLING`) instead of its API.
    init(
        _ provider: ProviderID, endpoint name: String? = nil, transport: HTTPTransport, signer: any RequestSigner, environment: Environment,
        errors: @escaping @Sendable (HTTPResponse, ProviderRequest) -> ProviderError?
    ) throws {
        guard let metadata = ProviderDirectory.metadata(for: provider) else {
            throw ProviderError(.unsupported, message: "\(provider) unknown")
        }
        let endpoint = try EndpointResolver.resolve(metadata, name: name, environment: environment)
        http = transport.client(for: provider, baseURL: endpoint, signer: signer, errorMapper: errors)
    }

    var provider: ProviderID { http.provider }

    func get<T: Decodable>(_ path: String, query: [URLQueryItem] = [], operation: String, as type: T.Type) async throws -> T {
        try decode(try await http.send(.get(path, query: query, operation: operation)), operation: operation)
    }

    /// `nil` when the answer is 404.
    func find<T: Decodable>(_ path: String, query: [URLQueryItem] = [], operation: String, as type: T.Type) async throws -> T? {
        do {
            return try await get(path, query: query, operation: operation, as: type)
        } catch let error as ProviderError where error.kind == .notFound {
            return nil
        }
    }

    func send<T: Decodable>(_ method: String, _ path: String, body: some Encodable, operation: String, safety: RequestSafety, as type: T.Type)
        async throws -> T
    {
        let request = ProviderRequest.json(method, path, body: try JSONEncoder().encode(body), operation: operation, safety: safety)
        return try decode(try await http.send(request), operation: operation)
    }

    /// With a query beside the body (Compute Engine's `requestId`).
    func send<T: Decodable>(
        _ method: String, _ path: String, body: some Encodable, query: [URLQueryItem], operation: String, safety: RequestSafety = .idempotent, as type: T.Type
    ) async throws -> T {
        let request = ProviderRequest(
            method: method, path: path, query: query, headers: [("Content-Type", "application/json")], body: try JSONEncoder().encode(body), operation: operation,
            safety: safety)
        return try decode(try await http.send(request), operation: operation)
    }

    /// Without a body, the answer read (a DELETE answered with an operation).
    func send<T: Decodable>(_ method: String, _ path: String, query: [URLQueryItem], operation: String, as type: T.Type) async throws -> T {
        try decode(try await http.send(ProviderRequest(method: method, path: path, query: query, operation: operation)), operation: operation)
    }

    /// POST/PUT without an answer body worth reading.
    func send(_ method: String, _ path: String, body: some Encodable, operation: String, safety: RequestSafety) async throws {
        _ = try await http.send(ProviderRequest.json(method, path, body: try JSONEncoder().encode(body), operation: operation, safety: safety))
    }

    /// DELETE; already gone (404) is success.
    func delete(_ path: String, query: [URLQueryItem] = [], operation: String) async throws {
        do {
            _ = try await http.send(ProviderRequest(method: "DELETE", path: path, query: query, operation: operation))
        } catch let error as ProviderError where error.kind == .notFound {
            return
        }
    }

    func decode<T: Decodable>(_ response: HTTPResponse, operation: String, userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws -> T {
        let decoder = JSONDecoder()
        decoder.userInfo = userInfo
        do {
            return try decoder.decode(T.self, from: response.body)
        } catch {
            throw ProviderError(.transient, provider: provider, operation: operation, message: "unreadable answer: \(error)")
        }
    }
}

/// One page of a list: the array under its key (`droplets`, `instances`), and how to ask for the
/// next page, read by the provider's `PageLinks`.
struct ListPage<Item: Decodable, Links: PageLinks>: Decodable {
    static var keyInfo: CodingUserInfoKey { CodingUserInfoKey(rawValue: "listKey")! }

    let items: [Item]
    let links: Links

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let key = decoder.userInfo[Self.keyInfo] as? String ?? ""
        items = try container.decodeIfPresent([Item].self, forKey: Key(stringValue: key)) ?? []
        links = try Links(from: decoder)
    }
}

/// How a provider's list answers point at their next page.
protocol PageLinks: Decodable {
    /// The query for the next page, or `nil` on the last.
    func next(after query: [URLQueryItem]) -> [URLQueryItem]?
}

extension JSONClient {
    /// Every page of a list whose answers say where the next one is (a thousand at most).
    func pages<Page: Decodable & PageLinks>(_ path: String, query: [URLQueryItem], operation: String, as type: Page.Type) async throws -> [Page] {
        try await eachPage(path, query: query, operation: operation, read: { try decode($0, operation: operation) as Page }, next: { $0.next(after: $1) })
    }

    /// Every item of a list, page after page as `Links` says.
    func all<Item: Decodable, Links: PageLinks>(
        _ path: String, key: String, query: [URLQueryItem] = [], operation: String, as type: Item.Type, pages: Links.Type
    ) async throws -> [Item] {
        let read = { (response: HTTPResponse) throws -> ListPage<Item, Links> in
            try decode(response, operation: operation, userInfo: [ListPage<Item, Links>.keyInfo: key])
        }
        return try await eachPage(path, query: query, operation: operation, read: read, next: { $0.links.next(after: $1) }).flatMap(\.items)
    }

    /// The one page loop. A next page already read (a provider repeating its token) fails the list
    /// rather than looping or passing for its end: a list cut short would hide instances from gc.
    private func eachPage<Page>(
        _ path: String, query: [URLQueryItem], operation: String, read: (HTTPResponse) throws -> Page, next: (Page, [URLQueryItem]) -> [URLQueryItem]?
    ) async throws -> [Page] {
        var found: [Page] = []
        var asked: Set<[URLQueryItem]> = []
        var current: [URLQueryItem]? = query
        while let page = current {
            guard found.count < 1000 else {
                throw ProviderError(.transient, provider: provider, operation: operation, message: "the list runs past a thousand pages")
            }
            asked.insert(page)
            let answer = try read(try await http.send(.get(path, query: page, operation: operation)))
            found.append(answer)
            current = next(answer, page)
            if let current, asked.contains(current) {
                throw ProviderError(.transient, provider: provider, operation: operation, message: "the list's next page repeats one already read")
            }
        }
        return found
    }
}
