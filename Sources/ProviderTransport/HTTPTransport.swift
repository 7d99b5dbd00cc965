import AsyncHTTPClient
import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import RemoteProvidersCore

/// Settings shared by every provider's calls.
public struct TransportConfiguration: Sendable {
    public var retry: RetryPolicy
    public var connectTimeout: Duration
    /// Per attempt, from sending to the last byte of the answer.
    public var requestTimeout: Duration
    public var maxResponseBytes: Int
    /// A PEM file of extra certificate authorities to trust, besides the system's.
    public var caBundlePath: String?
    public var userAgent: String

    public static let caBundleVariable = "BLUEPRINT_REMOTE_CA_BUNDLE"

    public init(
        retry: RetryPolicy = RetryPolicy(), connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(60),
        maxResponseBytes: Int = 32 << 20, caBundlePath: String? = nil, userAgent: String = "blueprint-remote/\(BuildInfo.version)"
    ) {
        self.retry = retry
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.caBundlePath = caBundlePath
        self.userAgent = userAgent
    }

    public init(environment: Environment) {
        self.init(caBundlePath: environment[Self.caBundleVariable])
    }
}

/// The one HTTP client every driver shares: TLS always verified, retries classified, secrets
/// redacted, every attempt counted.
public final class HTTPTransport: Sendable {
    public let configuration: TransportConfiguration
    let client: HTTPClient
    let logger: Logger
    let metrics: TransportMetrics

    public init(
        configuration: TransportConfiguration = TransportConfiguration(), logger: Logger = Logger(label: "blueprint-remote.http"),
        metricsFactory: (any MetricsFactory)? = nil
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.metrics = TransportMetrics(factory: metricsFactory ?? MetricsSystem.factory)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let path = configuration.caBundlePath {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw ValidationError(
                    field: TransportConfiguration.caBundleVariable, value: path, rule: "must name a readable PEM file of certificates")
            }
            guard !certificates.isEmpty else {
                throw ValidationError(field: TransportConfiguration.caBundleVariable, value: path, rule: "holds no certificate")
            }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            // A redirect could carry our Authorization header to another host: never follow one.
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(configuration.connectTimeout.timeInterval * 1e9)))
        )
        clientConfiguration.decompression = .enabled(limit: .ratio(100))
        // Our retry loop owns retries, with its own backoff and budget; the pool's hidden retry of
        // refused connections would stretch each attempt to the whole connect timeout.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        // Provisioning a fleet runs many calls to one host at once; the default of 8 queues them.
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// A client bound to one provider's base URL and auth scheme.
    public func client(
        for provider: ProviderID, baseURL: URL, signer: any RequestSigner = UnsignedRequests(),
        errorMapper: (@Sendable (HTTPResponse, ProviderRequest) -> ProviderError?)? = nil
    ) -> ProviderClient {
        ProviderClient(transport: self, provider: provider, baseURL: baseURL, signer: signer, errorMapper: errorMapper)
    }
}

/// Calls to one provider. Value type; cheap to copy into drivers.
public struct ProviderClient: Sendable {
    let transport: HTTPTransport
    public let provider: ProviderID
    public let baseURL: URL
    let signer: any RequestSigner
    /// Turns a provider's error answer into a typed error; `nil` falls back to the status code.
    let errorMapper: (@Sendable (HTTPResponse, ProviderRequest) -> ProviderError?)?

    /// Sends `request` with the transport's retry rules; returns a 2xx answer or throws `ProviderError`.
    public func send(_ request: ProviderRequest) async throws -> HTTPResponse {
        try await send(request, retry: transport.configuration.retry)
    }

    public func send(_ request: ProviderRequest, retry policy: RetryPolicy) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        var attempt = 0
        var renewed = false
        while true {
            attempt += 1
            var signed: OutgoingRequest?
            let outcome = await attemptOnce(request, signed: &signed)
            let decision: RetryDecision
            switch outcome {
            case .response(let response) where response.isSuccess:
                transport.metrics.call(provider: provider, operation: request.operation, outcome: "success")
                return response
            case .response(let response) where response.status == 401 && !renewed:
                // A cached token the provider stopped taking before its expiry (revoked, rotated
                // key): once, with a fresh one, if the signer can get one.
                if let signed, await signer.refused(signed) {
                    renewed = true
                    continue
                }
                decision = try await classify(response, request)
            case .response(let response):
                decision = try await classify(response, request)
            case .failure(let failure):
                decision = try await classify(failure, request)
                if case .resolved(let response) = decision {
                    transport.metrics.call(provider: provider, operation: request.operation, outcome: "success")
                    return response
                }
            }
            switch decision {
            case .resolved(let response):
                return response
            case .fail(let error):
                transport.metrics.call(provider: provider, operation: request.operation, outcome: error.code.rawValue)
                throw error
            case .retry(let error, let retryAfter):
                let elapsed = ContinuousClock.now - started
                let wait = retryAfter ?? policy.backoff(afterAttempt: attempt)
                let exhausted = attempt >= policy.maxAttempts || elapsed + wait > policy.maxElapsed
                let tooLong = retryAfter.map { $0 > policy.maxRetryAfter } ?? false
                if exhausted || tooLong {
                    transport.metrics.call(provider: provider, operation: request.operation, outcome: error.code.rawValue)
                    throw ProviderError(
                        error.kind, provider: provider, operation: request.operation, httpStatus: error.httpStatus,
                        message: "\(error.message) (gave up after \(attempt) attempt\(attempt == 1 ? "" : "s"))")
                }
                transport.logger.debug(
                    "retrying",
                    metadata: [
                        "provider": "\(provider)", "operation": "\(request.operation)", "attempt": "\(attempt)",
                        "wait_ms": "\(Int(wait.timeInterval * 1000))", "reason": "\(error.message)",
                    ])
                try await Task.sleep(for: wait)
            }
        }
    }

    // MARK: One attempt

    enum AttemptOutcome {
        case response(HTTPResponse)
        case failure(TransportFailure)
    }

    /// Why an attempt got no answer, and whether the request could have reached the server.
    struct TransportFailure {
        let underlying: any Error
        /// The request never left (refused connection, failed TLS handshake, DNS): always safe to resend.
        let notSent: Bool
        let timedOut: Bool
    }

    enum RetryDecision {
        case retry(ProviderError, retryAfter: Duration?)
        case fail(ProviderError)
        case resolved(HTTPResponse)
    }

    func url(for request: ProviderRequest) throws -> URL {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            throw ProviderError(.invalidRequest, provider: provider, operation: request.operation, message: "bad base URL")
        }
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = basePath + request.path
        if !request.query.isEmpty {
            components.percentEncodedQuery = request.query.map { item in
                "\(QueryEncoding.encode(item.name))=\(QueryEncoding.encode(item.value ?? ""))"
            }.joined(separator: "&")
        }
        guard let url = components.url else {
            throw ProviderError(.invalidRequest, provider: provider, operation: request.operation, message: "bad request path")
        }
        return url
    }

    private func attemptOnce(_ request: ProviderRequest, signed: inout OutgoingRequest?) async -> AttemptOutcome {
        let started = ContinuousClock.now
        do {
            var outgoing = OutgoingRequest(method: request.method, url: try url(for: request), headers: request.headers, body: request.body)
            outgoing.setHeader("User-Agent", transport.configuration.userAgent)
            outgoing.setHeader("Accept", outgoing.header("Accept") ?? "application/json")
            if case .idempotencyKey(let header, let key) = request.safety { outgoing.setHeader(header, key) }
            try await signer.sign(&outgoing)
            signed = outgoing

            var http = HTTPClientRequest(url: outgoing.url.absoluteString)
            http.method = HTTPMethod(rawValue: outgoing.method)
            for header in outgoing.headers { http.headers.add(name: header.name, value: header.value) }
            if let body = outgoing.body { http.body = .bytes(ByteBuffer(bytes: body)) }
            transport.logger.trace(
                "request", metadata: ["method": "\(outgoing.method)", "url": "\(outgoing.url.absoluteString)"])

            let timeout = TimeAmount.nanoseconds(Int64(transport.configuration.requestTimeout.timeInterval * 1e9))
            let answer = try await transport.client.execute(http, timeout: timeout)
            let bytes = try await answer.body.collect(upTo: transport.configuration.maxResponseBytes)
            let response = HTTPResponse(
                status: Int(answer.status.code), headers: answer.headers.map { ($0.name, $0.value) },
                body: Data(bytes.readableBytesView))
            transport.metrics.attempt(
                provider: provider, operation: request.operation, status: response.status, duration: ContinuousClock.now - started)
            transport.logger.debug(
                "response",
                metadata: [
                    "provider": "\(provider)", "operation": "\(request.operation)", "status": "\(response.status)",
                    "ms": "\(Int((ContinuousClock.now - started).timeInterval * 1000))",
                ])
            return .response(response)
        } catch {
            transport.metrics.attempt(
                provider: provider, operation: request.operation, status: nil, duration: ContinuousClock.now - started)
            return .failure(TransportFailure(underlying: error, notSent: Self.neverSent(error), timedOut: Self.isTimeout(error)))
        }
    }

    // MARK: Classification

    private func classify(_ response: HTTPResponse, _ request: ProviderRequest) async throws -> RetryDecision {
        let error = errorMapper?(response, request) ?? StatusClassifier.error(for: response, provider: provider, operation: request.operation)
        switch error.kind {
        case .rateLimited(let said):
            // A 429 is refused before any work is done: safe to resend whatever the request. The wait
            // is Retry-After, else what the provider's own headers said (read by its error mapper).
            return .retry(error, retryAfter: response.header("Retry-After").flatMap { RetryAfter.parse($0) } ?? said.map { .seconds($0) })
        case .transient, .timeout:
            let retryAfter = response.header("Retry-After").flatMap { RetryAfter.parse($0) }
            if request.safety.allowsResend { return .retry(error, retryAfter: retryAfter) }
            // A 5xx may come after the work was done: look before sending again.
            if case .lookup(let lookup) = request.safety {
                if let existing = try await lookup() { return .resolved(existing) }
                return .retry(error, retryAfter: retryAfter)
            }
            return .fail(error)
        default:
            return .fail(error)
        }
    }

    private func classify(_ failure: TransportFailure, _ request: ProviderRequest) async throws -> RetryDecision {
        if let error = failure.underlying as? ProviderError { return .fail(error) }
        if let error = failure.underlying as? ValidationError { throw error }
        if failure.underlying is CancellationError { throw failure.underlying }
        if Self.isTLSFailure(failure.underlying) {
            // A certificate we do not trust will not become trusted by trying again.
            return .fail(ProviderError(
                .transient, provider: provider, operation: request.operation,
                message: "TLS verification failed (\(failure.underlying)); to trust a private CA set \(TransportConfiguration.caBundleVariable)"))
        }
        let reason = Redactor.standard.redact(String(describing: failure.underlying))
        let kind: ProviderError.Kind = failure.timedOut ? .timeout : .transient
        let error = ProviderError(kind, provider: provider, operation: request.operation, message: "no answer: \(reason)")
        if failure.notSent || request.safety.allowsResend { return .retry(error, retryAfter: nil) }
        if case .lookup(let lookup) = request.safety {
            if let existing = try await lookup() { return .resolved(existing) }
            return .retry(error, retryAfter: nil)
        }
        return .fail(ProviderError(
            .outcomeUnknown, provider: provider, operation: request.operation,
            message: "the request may have taken effect but its answer was lost (\(reason)); not resent, look before retrying"))
    }

    static func neverSent(_ error: any Error) -> Bool {
        if let client = error as? HTTPClientError {
            return [.connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout].contains(client)
        }
        if error is NIOConnectionError { return true }
        if let io = error as? IOError { return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(io.errnoCode) }
        if isTLSFailure(error) { return true }
        let text = String(describing: error)
        return text.contains("connectionRefused") || text.contains("Connection refused")
    }

    static func isTLSFailure(_ error: any Error) -> Bool {
        if let tls = error as? NIOSSLError, case .handshakeFailed = tls { return true }
        return error is NIOSSLExtraError
    }

    static func isTimeout(_ error: any Error) -> Bool {
        guard let client = error as? HTTPClientError else { return false }
        return [.readTimeout, .writeTimeout, .deadlineExceeded, .connectTimeout].contains(client)
    }
}

extension RequestSafety {
    /// Whether an attempt whose outcome is unknown may simply be sent again.
    var allowsResend: Bool {
        switch self {
        case .idempotent, .idempotencyKey: true
        case .lookup, .unsafe: false
        }
    }
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (the strict form that
/// request signatures such as SigV4 also require).
public enum QueryEncoding {
    /// `application/x-www-form-urlencoded`, every value escaped (OAuth token requests).
    public static func form(_ fields: [(String, String)]) -> Data {
        Data(fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&").utf8)
    }

    public static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
