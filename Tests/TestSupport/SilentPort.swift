import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback port that accepts connections (the kernel completes them from the backlog) and
/// never answers a byte: an API that hangs.
public final class SilentPort: @unchecked Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        (descriptor, port) = try LoopbackSocket.make(listening: true)
    }

    deinit { close(descriptor) }
}
