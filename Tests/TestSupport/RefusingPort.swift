import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback port held by a bound socket that never listens: every connection to it is refused,
/// and nothing else can take the port while this lives (a port merely closed again can be
/// handed to the next listener that binds port 0, in a test running at the same time).
public final class RefusingPort: @unchecked Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        (descriptor, port) = try LoopbackSocket.make(listening: false)
    }

    deinit { close(descriptor) }
}
