import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 with a scripted handler, for testing the transport over a
/// real socket rather than against a mocked client.
public final class TestHTTPServer: Sendable {
    public struct Request: Sendable {
        public let method: String
        public let uri: String
        public let headers: [(String, String)]
        public let body: Data
        public let receivedAt: ContinuousClock.Instant

        public func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }

        public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    }

    public enum Action: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: String = "")
        /// Close the connection without answering, after the request was fully read (and processed).
        case dropConnection
    }

    public typealias Handler = @Sendable (Request) -> Action

    private let channel: any Channel
    /// Shared with the connection handlers; a class because `Mutex` cannot be copied.
    private final class RequestLog: Sendable {
        let requests = Mutex<[Request]>([])
    }

    private let log = RequestLog()
    public let port: Int

    private let scheme: String

    /// Serves plain HTTP, or HTTPS with `certificates`' server certificate, on `port` (0: any free one).
    public init(tls certificates: TestCertificates? = nil, port: Int = 0, handler: @escaping Handler) async throws {
        let log = self.log
        let sslContext = try certificates.map { certificates in
            try NIOSSLContext(configuration: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.certificatePath).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.keyPath, format: .pem))))
        }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(handler: handler, log: log))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        self.port = channel.localAddress?.port ?? 0
        scheme = certificates == nil ? "http" : "https"
    }

    public var baseURL: URL { URL(string: "\(scheme)://127.0.0.1:\(port)")! }

    public var requests: [Request] { log.requests.withLock { $0 } }

    public func shutdown() async throws {
        try await channel.close()
    }

    private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let handler: Handler
        let log: RequestLog
        var head: HTTPRequestHead?
        var body = Data()

        init(handler: @escaping Handler, log: RequestLog) {
            self.handler = handler
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = Data()
            case .body(var buffer):
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
                guard let head else { return }
                let request = Request(
                    method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                    body: body, receivedAt: .now)
                log.requests.withLock { $0.append(request) }
                switch handler(request) {
                case .dropConnection:
                    context.close(promise: nil)
                case .respond(let status, let headers, let text):
                    var responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
                    for (name, value) in headers { responseHead.headers.add(name: name, value: value) }
                    responseHead.headers.replaceOrAdd(name: "Content-Length", value: "\(text.utf8.count)")
                    context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
            }
        }
    }
}
