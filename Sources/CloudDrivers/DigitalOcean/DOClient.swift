import Foundation
import ProviderTransport
import RemoteProvidersCore

/// JSON over the DigitalOcean API v2 with the bearer token; lists followed page by page through
/// `links.pages.next`.
struct DOClient: Sendable {
    let http: ProviderClient

    init(transport: HTTPTransport, token: Secret, environment: Environment) throws {
        guard let metadata = ProviderDirectory.metadata(for: .digitalocean) else {
            throw ProviderError(.unsupported, message: "digitalocean unknown")
        }
        let endpoint = try EndpointResolver.resolve(metadata, environment: environment)
        http = transport.client(for: .digitalocean, baseURL: endpoint, signer: BearerSigner(token: token)) { response, request in
            DOErrors.map(response, operation: request.operation)
        }
    }

    func get<T: Decodable>(_ path: String, query: [URLQueryItem] = [], operation: String, as type: T.Type) async throws -> T {
        try decode(try await http.send(.get(path, query: query, operation: operation)), operation: operation)
    }

    /// `nil` when the answer is 404.
    func find<T: Decodable>(_ path: String, operation: String, as type: T.Type) async throws -> T? {
        do {
            return try await get(path, operation: operation, as: type)
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

    /// DELETE; already gone (404) is success.
    func delete(_ path: String, query: [URLQueryItem] = [], operation: String) async throws {
        do {
            _ = try await http.send(ProviderRequest(method: "DELETE", path: path, query: query, operation: operation))
        } catch let error as ProviderError where error.kind == .notFound {
            return
        }
    }

    /// Every item of a list, `key` naming the array in each page (`droplets`, `sizes`).
    func all<Item: Decodable>(_ path: String, key: String, query: [URLQueryItem] = [], operation: String, as type: Item.Type) async throws -> [Item] {
        var items: [Item] = []
        var page = 1
        while true {
            let response = try await http.send(
                .get(path, query: query + [URLQueryItem(name: "per_page", value: "200"), URLQueryItem(name: "page", value: String(page))], operation: operation))
            let list = try decode(response, operation: operation, as: ListPage<Item>.self, key: key)
            items += list.items
            // The next page is a full URL on the provider's host; its page number is what matters.
            guard let next = list.next, let number = URLComponents(string: next)?.queryItems?.first(where: { $0.name == "page" })?.value.flatMap(Int.init),
                number > page
            else { return items }
            page = number
        }
    }

    private func decode<T: Decodable>(_ response: HTTPResponse, operation: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw ProviderError(.transient, provider: .digitalocean, operation: operation, message: "unreadable answer: \(error)")
        }
    }

    private func decode<Item: Decodable>(_ response: HTTPResponse, operation: String, as type: ListPage<Item>.Type, key: String) throws -> ListPage<Item> {
        let decoder = JSONDecoder()
        decoder.userInfo[ListPage<Item>.keyInfo] = key
        do {
            return try decoder.decode(ListPage<Item>.self, from: response.body)
        } catch {
            throw ProviderError(.transient, provider: .digitalocean, operation: operation, message: "unreadable answer: \(error)")
        }
    }
}

/// One page of a list: the array under its key, and the next page's URL.
struct ListPage<Item: Decodable>: Decodable {
    static var keyInfo: CodingUserInfoKey { CodingUserInfoKey(rawValue: "listKey")! }

    let items: [Item]
    let next: String?

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
        next = try container.decodeIfPresent(DOWire.Pages.Links.self, forKey: Key(stringValue: "links"))?.pages?.next
    }
}

/// DigitalOcean's error answers (`{"id", "message"}`) as typed errors. Its 422s are told apart by
/// their words: the document lists none, the API sends them for limits and sold-out sizes.
enum DOErrors {
    static func map(_ response: HTTPResponse, operation: String) -> ProviderError? {
        let failure = try? JSONDecoder().decode(DOWire.Failure.self, from: response.body)
        let message = failure.map { "\($0.id): \($0.message)" } ?? StatusClassifier.summary(of: response)
        let words = (failure?.message ?? "").lowercased()
        let kind: ProviderError.Kind
        switch response.status {
        case 401, 403: kind = .invalidCredentials
        case 404: kind = .notFound
        case 429:
            // `ratelimit-reset` is when the oldest request of the hour leaves the window.
            let reset = response.header("ratelimit-reset").flatMap(Double.init).map { max(0, min($0 - Date().timeIntervalSince1970, 60)) }
            kind = .rateLimited(retryAfter: reset)
        case 422 where words.contains("limit"): kind = .quotaExceeded(.provider)
        case 422 where words.contains("not available") || words.contains("unavailable"): kind = .noCapacity(.region(""))
        case 409: kind = .conflict
        case 500...599: kind = .transient
        default: kind = .invalidRequest
        }
        return ProviderError(kind, provider: .digitalocean, operation: operation, httpStatus: response.status, message: message)
    }
}
