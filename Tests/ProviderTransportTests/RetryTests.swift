import Foundation
import MetricsTestKit
import ProviderTransport
import RemoteProvidersCore
import Synchronization
import Testing

@testable import TestSupport

@Suite struct RetryTests {
    @Test func honoursRetryAfterInSeconds() async throws {
        let calls = Counter()
        try await withServer(handler: { _ in
            calls.next() == 1
                ? .respond(status: 429, headers: [("Retry-After", "1")], body: #"{"message":"slow down"}"#)
                : .respond(status: 200, body: "ok")
        }) { server, transport in
            let client = transport.client(for: .vultr, baseURL: server.baseURL)
            let response = try await client.send(.get("/things", operation: "things.list"))
            #expect(response.text == "ok")
            let requests = server.requests
            try #require(requests.count == 2)
            let gap = requests[1].receivedAt - requests[0].receivedAt
            #expect(gap >= .milliseconds(950), "waited \(gap), Retry-After asked for 1 s")
        }
    }

    @Test func honoursRetryAfterAsAnHTTPDate() async throws {
        let calls = Counter()
        try await withServer(handler: { _ in
            guard calls.next() == 1 else { return .respond(status: 200) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            // Two seconds ahead: an HTTP-date has whole seconds, so the wait is between 1 and 2 s.
            return .respond(status: 429, headers: [("Retry-After", formatter.string(from: Date().addingTimeInterval(2)))])
        }) { server, transport in
            let client = transport.client(for: .vultr, baseURL: server.baseURL)
            _ = try await client.send(.get("/", operation: "probe"))
            let requests = server.requests
            try #require(requests.count == 2)
            #expect(requests[1].receivedAt - requests[0].receivedAt >= .milliseconds(950))
        }
    }

    @Test func aRetryAfterBeyondTheCapFailsAsRateLimited() async throws {
        let transport = try makeTransport(retry: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10), maxRetryAfter: .seconds(30)))
        try await withServer(transport: transport, handler: { _ in .respond(status: 429, headers: [("Retry-After", "3600")]) }) {
            server, transport in
            let client = transport.client(for: .vultr, baseURL: server.baseURL)
            let error = await #expect(throws: ProviderError.self) { try await client.send(.get("/", operation: "probe")) }
            #expect(error?.kind == .rateLimited(retryAfter: 3600))
            #expect(error?.code == .rateLimited)
            #expect(server.requests.count == 1)
        }
    }

    @Test func retries503UpToTheLimitThenThrowsATypedError() async throws {
        try await withServer(handler: { _ in .respond(status: 503, body: #"{"message":"maintenance"}"#) }) { server, transport in
            let client = transport.client(for: .hetzner, baseURL: server.baseURL)
            let error = await #expect(throws: ProviderError.self) { try await client.send(.get("/servers", operation: "servers.list")) }
            #expect(server.requests.count == 3)
            #expect(error?.kind == .transient)
            #expect(error?.httpStatus == 503)
            #expect(error?.provider == .hetzner)
            #expect(error?.message.contains("maintenance") == true)
            #expect(error?.message.contains("3 attempts") == true)
        }
    }

    @Test func doesNotRetry400() async throws {
        try await withServer(handler: { _ in .respond(status: 400, body: #"{"error":{"message":"invalid size slug"}}"#) }) {
            server, transport in
            let client = transport.client(for: .digitalocean, baseURL: server.baseURL)
            let error = await #expect(throws: ProviderError.self) { try await client.send(.get("/v2/sizes", operation: "sizes.list")) }
            #expect(server.requests.count == 1)
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message == "invalid size slug")
        }
    }

    @Test(arguments: [(401, ProviderError.Kind.invalidCredentials), (403, .invalidCredentials), (404, .notFound), (409, .conflict)])
    func mapsStatusesWithoutRetrying(status: Int, kind: ProviderError.Kind) async throws {
        try await withServer(handler: { _ in .respond(status: status) }) { server, transport in
            let client = transport.client(for: .vultr, baseURL: server.baseURL)
            let error = await #expect(throws: ProviderError.self) { try await client.send(.get("/", operation: "probe")) }
            #expect(error?.kind == kind)
            #expect(server.requests.count == 1)
        }
    }

    @Test func aDroppedCreateWithAnIdempotencyKeyHasExactlyOneEffect() async throws {
        let effects = EffectLedger()
        try await withServer(handler: { request in
            let key = request.header("Idempotency-Key") ?? "none"
            let (id, isNew) = effects.apply(key: key)
            // The first attempt is processed, then its answer is lost with the connection.
            return isNew ? .dropConnection : .respond(status: 201, body: #"{"id":"\#(id)"}"#)
        }) { server, transport in
            let client = transport.client(for: .vultr, baseURL: server.baseURL)
            let request = ProviderRequest.json(
                "POST", "/instances", body: Data(#"{"plan":"x"}"#.utf8), operation: "instances.create",
                safety: .idempotencyKey(header: "Idempotency-Key", key: "deploy-1-attempt-1"))
            let response = try await client.send(request)
            #expect(response.status == 201)
            #expect(response.text == #"{"id":"thing-1"}"#)
            #expect(server.requests.count == 2)
            #expect(effects.count == 1)
        }
    }

    @Test func aDroppedCreateWithoutAKeyIsNotResent() async throws {
        let effects = EffectLedger()
        try await withServer(handler: { _ in
            _ = effects.apply(key: UUID().uuidString)
            return .dropConnection
        }) { server, transport in
            let client = transport.client(for: .vultr, baseURL: server.baseURL)
            let request = ProviderRequest.json(
                "POST", "/instances", body: Data("{}".utf8), operation: "instances.create", safety: .unsafe)
            let error = await #expect(throws: ProviderError.self) { try await client.send(request) }
            #expect(error?.kind == .outcomeUnknown)
            #expect(server.requests.count == 1)
            #expect(effects.count == 1)
        }
    }

    @Test func aDroppedCreateIsResolvedByLookingItUp() async throws {
        let effects = EffectLedger()
        try await withServer(handler: { request in
            if request.method == "GET" {
                return effects.count > 0 ? .respond(status: 200, body: #"{"id":"thing-1"}"#) : .respond(status: 404)
            }
            _ = effects.apply(key: "create")
            return .dropConnection
        }) { server, transport in
            let client = transport.client(for: .vultr, baseURL: server.baseURL)
            let lookup: @Sendable () async throws -> HTTPResponse? = {
                do { return try await client.send(.get("/instances/by-name/web-1", operation: "instances.lookup")) } catch let error
                    as ProviderError where error.kind == .notFound
                { return nil }
            }
            let request = ProviderRequest.json(
                "POST", "/instances", body: Data("{}".utf8), operation: "instances.create", safety: .lookup(lookup))
            let response = try await client.send(request)
            #expect(response.text == #"{"id":"thing-1"}"#)
            #expect(server.requests.map(\.method) == ["POST", "GET"])
            #expect(effects.count == 1)
        }
    }

    @Test func aRefusedConnectionIsRetriedEvenForACreate() async throws {
        // A port nothing listens on: the request can never have been processed.
        let refusing = try RefusingPort()
        let closedURL = try #require(URL(string: "http://127.0.0.1:\(refusing.port)"))
        let metrics = TestMetrics()
        let transport = try makeTransport(metrics: metrics)
        let client = transport.client(for: .vultr, baseURL: closedURL)
        let error = await #expect(throws: ProviderError.self) {
            try await client.send(.json("POST", "/instances", body: Data(), operation: "instances.create", safety: .unsafe))
        }
        #expect(error?.kind == .transient)
        let attempts = try metrics.expectCounter("blueprint_remote_http_attempts_total", [
            ("provider", "vultr"), ("operation", "instances.create"), ("status", "error"),
        ])
        #expect(attempts.totalValue == 3)
        try await transport.shutdown()
        withExtendedLifetime(refusing) {}
    }

    @Test func countsCallsAndLatencyPerProviderAndOperation() async throws {
        let calls = Counter()
        let metrics = TestMetrics()
        let transport = try makeTransport(metrics: metrics)
        try await withServer(transport: transport, handler: { _ in
            calls.next() == 1 ? .respond(status: 503) : .respond(status: 200)
        }) { server, transport in
            let client = transport.client(for: .hetzner, baseURL: server.baseURL)
            _ = try await client.send(.get("/servers", operation: "servers.list"))
        }
        let dimensions = [("provider", "hetzner"), ("operation", "servers.list")]
        #expect(try metrics.expectCounter("blueprint_remote_http_attempts_total", dimensions + [("status", "503")]).totalValue == 1)
        #expect(try metrics.expectCounter("blueprint_remote_http_attempts_total", dimensions + [("status", "200")]).totalValue == 1)
        #expect(try metrics.expectCounter("blueprint_remote_provider_calls_total", dimensions + [("outcome", "success")]).totalValue == 1)
        let timer = try metrics.expectTimer("blueprint_remote_http_attempt_duration_seconds", dimensions)
        #expect(timer.values.count == 2)
        #expect(timer.values.allSatisfy { $0 > 0 })
    }

    @Test func backoffIsFullJitterUnderACap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.backoff(afterAttempt: 1, random: 1) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 3, random: 1) == .milliseconds(400))
        #expect(policy.backoff(afterAttempt: 9, random: 1) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 3, random: 0) == .zero)
        #expect(policy.backoff(afterAttempt: 3, random: 0.5) == .milliseconds(200))
    }

    @Test func parsesRetryAfterForms() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:47 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:47 1994", now: now) == .seconds(10))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("soon") == nil)
        #expect(RetryAfter.parse("-5") == nil)
    }
}

/// What a fake create endpoint has done, keyed by idempotency key.
final class EffectLedger: Sendable {
    private let effects = Mutex<[String: String]>([:])

    /// Records an effect for `key` unless one exists; returns its id and whether it is new.
    func apply(key: String) -> (String, Bool) {
        effects.withLock { effects in
            if let id = effects[key] { return (id, false) }
            let id = "thing-\(effects.count + 1)"
            effects[key] = id
            return (id, true)
        }
    }

    var count: Int { effects.withLock { $0.count } }
}
