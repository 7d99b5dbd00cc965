import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Synchronization
import TestSupport

/// A request as a fake API sees it.
public struct FakeRequest: Sendable {
    public let method: String
    public let path: String
    public let query: [String: String]
    public let rawQuery: String
    public let headers: [(String, String)]
    public let body: Data

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body as a JSON object, `nil` when it is none.
    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }

    /// `POST /v2/droplets`, what faults are scripted by.
    public var route: String { "\(method) \(path)" }
}

/// A fake API's answer.
public struct FakeResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: String

    public init(status: Int, headers: [(String, String)] = [], body: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `object` as JSON (keys sorted, so answers are stable).
    public static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> FakeResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return FakeResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: String(decoding: data, as: UTF8.self))
    }

    public static func empty(_ status: Int = 204) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")])
    }
}

/// A stateful imitation of one provider's API: what it holds, and how it answers.
public protocol FakeAPI: AnyObject, Sendable {
    /// The name of its document in Tests/Contracts (`digitalocean`), for the contract check; `nil`
    /// for a provider that publishes none (its own client proves the fake instead).
    var contract: String? { get }
    /// Answers `request`; `baseURL` is where the fake is served (for links to next pages).
    func handle(_ request: FakeRequest, baseURL: String) -> FakeResponse
}

/// A fake API served on a loopback port, recording every exchange: faults can be scripted per
/// route (an error answer instead of the work, or the work done and the answer lost), every call
/// is counted, and every exchange can be checked against the provider's API document.
public final class CloudFake<API: FakeAPI>: Sendable {
    public struct Exchange: Sendable {
        public let request: FakeRequest
        /// `nil` when the answer was dropped.
        public let response: FakeResponse?
    }

    enum Fault: Sendable {
        case answer(FakeResponse)
        case dropAnswer
    }

    public let api: API
    let server: TestHTTPServer
    private let state: State

    private final class State: Sendable {
        let exchanges = Mutex<[Exchange]>([])
        let faults = Mutex<[(route: String, fault: Fault)]>([])
    }

    /// `tls`: served over HTTPS with the certificates a test made (clients that refuse a bearer
    /// token over plain HTTP, such as Azure's and Google's, trust its CA).
    public init(_ api: API, port: Int = 0, tls: TestCertificates? = nil) async throws {
        let state = State()
        self.api = api
        self.state = state
        let base = Mutex<String>("")
        server = try await TestHTTPServer(tls: tls, port: port) { raw in
            let components = URLComponents(string: raw.uri)
            let request = FakeRequest(
                method: raw.method, path: components?.percentEncodedPath.removingPercentEncoding ?? raw.path,
                query: Self.decodeQuery(components?.percentEncodedQuery ?? ""),
                rawQuery: components?.percentEncodedQuery ?? "", headers: raw.headers, body: raw.body)
            let fault = state.faults.withLock { faults -> Fault? in
                guard let index = faults.firstIndex(where: { $0.route == request.route }) else { return nil }
                return faults.remove(at: index).fault
            }
            switch fault {
            case .answer(let response)?:
                state.exchanges.withLock { $0.append(Exchange(request: request, response: response)) }
                return .respond(status: response.status, headers: response.headers, body: response.body)
            case .dropAnswer?:
                _ = api.handle(request, baseURL: base.withLock { $0 })
                state.exchanges.withLock { $0.append(Exchange(request: request, response: nil)) }
                return .dropConnection
            case nil:
                let response = api.handle(request, baseURL: base.withLock { $0 })
                state.exchanges.withLock { $0.append(Exchange(request: request, response: response)) }
                return .respond(status: response.status, headers: response.headers, body: response.body)
            }
        }
        base.withLock { $0 = server.baseURL.absoluteString }
    }

    /// A query as servers read it: `+` is a space (form encoding, which clients such as Python's
    /// `requests` use), then percent escapes; the first of repeated names wins.
    static func decodeQuery(_ raw: String) -> [String: String] {
        var query: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if query[parts[0]] == nil { query[parts[0]] = parts.count > 1 ? parts[1] : "" }
        }
        return query
    }

    public var baseURL: URL { server.baseURL }
    public var port: Int { server.port }

    /// Answers the next `times` calls of `route` (`POST /v2/droplets`) with `response`, doing nothing.
    public func fail(_ route: String, with response: FakeResponse, times: Int = 1) {
        state.faults.withLock { faults in faults += Array(repeating: (route, Fault.answer(response)), count: times) }
    }

    /// Does the work of the next call of `route`, then closes the connection unanswered.
    public func dropAnswer(_ route: String, times: Int = 1) {
        state.faults.withLock { faults in faults += Array(repeating: (route, Fault.dropAnswer), count: times) }
    }

    public var exchanges: [Exchange] { state.exchanges.withLock { $0 } }

    /// `GET /v2/droplets`, one per call, in order.
    public var calls: [String] { exchanges.map(\.request.route) }

    /// Every answered exchange checked against the provider's API document by
    /// scripts/contract-check.py (`BLUEPRINT_TEST_CONTRACT_URL`); `nil` when no checker runs here.
    /// `expected`: the violations are the point (a test of the check itself), not a failure of the run.
    public func contractViolations(expected: Bool = false) async throws -> [String]? {
        guard let contract = api.contract else { return [] }
        guard let url = requiredService("BLUEPRINT_TEST_CONTRACT_URL", "the contract checker") else { return nil }
        let payload: [[String: Any]] = exchanges.compactMap { exchange in
            guard let response = exchange.response else { return nil }
            let request = exchange.request
            return [
                "method": request.method, "path": request.path, "query": request.rawQuery,
                "headers": Dictionary(request.headers, uniquingKeysWith: { first, _ in first }),
                "body": String(decoding: request.body, as: UTF8.self), "status": response.status,
                "response_headers": Dictionary(response.headers, uniquingKeysWith: { first, _ in first }), "response_body": response.body,
            ]
        }
        var request = URLRequest(url: URL(string: url + "/validate")!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["provider": contract, "exchanges": payload, "expected": expected])
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, _) = try await URLSession.shared.data(for: request)
        let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return answer?["violations"] as? [String] ?? ["the contract checker gave no answer"]
    }

    /// What the check makes of these requests, sent straight to the fake with `token` (no driver
    /// in between: a test of the check itself, whose violations are the point). `path` may carry a
    /// query; `nil` when no checker runs here.
    public func violations(of requests: [(method: String, path: String, body: String)], token: String) async throws -> [String]? {
        for (method, path, body) in requests {
            guard let url = URL(string: baseURL.absoluteString + path) else { throw URLError(.badURL) }
            var request = URLRequest(url: url)
            request.httpMethod = method
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if !body.isEmpty {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            _ = try await URLSession.shared.data(for: request)
        }
        return try await contractViolations(expected: true)
    }

    public func shutdown() async throws {
        try await server.shutdown()
    }
}
