import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSH
import RemoteProvidersCore

/// Where and as whom to connect.
public struct SSHEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String

    public init(host: String, port: Int = 22, user: String) {
        self.host = host
        self.port = port
        self.user = user
    }

    public var description: String {
        host.contains(":") ? "\(user)@[\(host)]:\(port)" : "\(user)@\(host):\(port)"
    }
}

/// One authenticated SSH connection (swift-nio-ssh, in process): every command of an operation runs
/// on its own channel of it. The host key is checked before anything is sent.
public final class SSHConnection: Sendable {
    public let endpoint: SSHEndpoint
    /// The key the host showed (equal to the expected one, or newly trusted).
    public let hostKey: SSHHostKey
    private let channel: any Channel

    private init(endpoint: SSHEndpoint, hostKey: SSHHostKey, channel: any Channel) {
        self.endpoint = endpoint
        self.hostKey = hostKey
        self.channel = channel
    }

    public var isActive: Bool { channel.isActive }

    /// Connects, checks the host key and signs in, all within `timeout`.
    public static func connect(
        to endpoint: SSHEndpoint, identity: SSHIdentity, hostKeys: HostKeyPolicy, timeout: Duration = .seconds(15),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SSHConnection {
        let target = endpoint.description
        let presented = NIOLockedValueBox<SSHHostKey?>(nil)
        let eventLoop = group.next()
        let ready = eventLoop.makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(Int64(timeout.timeInterval * 1e9)))
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ssh = NIOSSHHandler(
                        role: .client(.init(
                            userAuthDelegate: PrivateKeyAuthentication(user: endpoint.user, identity: identity, target: target),
                            serverAuthDelegate: HostKeyCheck(policy: hostKeys, target: target, presented: presented))),
                        allocator: channel.allocator, inboundChildChannelInitializer: nil)
                    try channel.pipeline.syncOperations.addHandlers([ssh, ConnectionReadyHandler(ready: ready, target: target)])
                }
            }
        let deadline = eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.timeInterval * 1e9))) {
            ready.fail(ExecutionError(.timeout, target: target, message: "\(target) did not complete the SSH handshake within \(timeout)"))
        }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
        } catch {
            deadline.cancel()
            ready.fail(error)
            throw connectError(error, target: target, timeout: timeout)
        }
        do {
            try await ready.futureResult.get()
            deadline.cancel()
        } catch {
            deadline.cancel()
            try? await channel.close()
            if let error = error as? ExecutionError { throw error }
            throw ExecutionError(.unreachable, target: target, message: "SSH handshake with \(target) failed: \(error)")
        }
        guard let hostKey = presented.withLockedValue({ $0 }) else {
            try? await channel.close()
            throw ExecutionError(.unreachable, target: target, message: "\(target) showed no host key")
        }
        return SSHConnection(endpoint: endpoint, hostKey: hostKey, channel: channel)
    }

    private static func connectError(_ error: any Error, target: String, timeout: Duration) -> ExecutionError {
        if case ChannelError.connectTimeout = error {
            return ExecutionError(.timeout, target: target, message: "cannot reach \(target): no answer within \(timeout)")
        }
        return ExecutionError(.unreachable, target: target, message: "cannot reach \(target): \(describe(error))")
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first { return describe(first.error) }
        if let error = error as? IOError { return error.description }
        return String(describing: error)
    }

    /// Runs `command` on a new session channel, within `timeout` when one is given; when the
    /// calling task is cancelled the channel is closed (the remote command loses its session).
    public func execute(
        _ command: ShellCommand, input: Data?, timeout: Duration?, onOutput: @escaping @Sendable (CommandOutput) -> Void
    ) async throws -> CommandResult {
        let target = endpoint.description
        guard channel.isActive else { throw ExecutionError(.unreachable, target: target, message: "the connection to \(target) is closed") }
        let eventLoop = channel.eventLoop
        let done = eventLoop.makePromise(of: CommandResult.self)
        let session = NIOLockedValueBox<(any Channel)?>(nil)
        let opened = eventLoop.makePromise(of: (any Channel).self)
        let channel = self.channel
        eventLoop.execute {
            do {
                let ssh = try channel.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
                ssh.createChannel(opened, channelType: .session) { child, _ in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(
                            ExecHandler(command: command.text, input: input, target: target, onOutput: onOutput, done: done))
                    }
                }
            } catch {
                opened.fail(error)
            }
        }
        opened.futureResult.whenComplete { result in
            switch result {
            case .success(let child): session.withLockedValue { $0 = child }
            case .failure(let error): done.fail(error)
            }
        }
        let deadline = timeout.map { timeout in
            eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.timeInterval * 1e9))) {
                done.fail(ExecutionError(.timeout, target: target, message: "\(command) did not finish on \(target) within \(timeout)"))
                session.withLockedValue { $0 }?.close(promise: nil)
            }
        }
        defer { deadline?.cancel() }
        return try await withTaskCancellationHandler {
            do {
                return try await done.futureResult.get()
            } catch let error as ExecutionError {
                throw error
            } catch {
                throw ExecutionError(.unreachable, target: target, message: "running \(command) on \(target) failed: \(error)")
            }
        } onCancel: {
            eventLoop.execute {
                done.fail(CancellationError())
                session.withLockedValue { $0 }?.close(promise: nil)
            }
        }
    }

    /// Listens on `localHost:localPort` (0: any free port) and carries each connection made to it
    /// through this SSH connection to `targetHost:targetPort` as the host sees it.
    public func forward(
        localHost: String = "127.0.0.1", localPort: Int = 0, to targetHost: String, port targetPort: Int
    ) async throws -> PortForward {
        let sshChannel = channel
        let server = try await ServerBootstrap(group: channel.eventLoop)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelInitializer { local in
                let opened = local.eventLoop.makePromise(of: (any Channel).self)
                do {
                    let ssh = try sshChannel.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
                    let originator = try local.remoteAddress ?? SocketAddress(ipAddress: "127.0.0.1", port: 0)
                    ssh.createChannel(
                        opened,
                        channelType: .directTCPIP(.init(targetHost: targetHost, targetPort: targetPort, originatorAddress: originator))
                    ) { child, _ in
                        child.eventLoop.makeCompletedFuture {
                            try child.pipeline.syncOperations.addHandlers([ForwardingHandler(), RelayHandler(partner: local)])
                        }
                    }
                } catch {
                    opened.fail(error)
                }
                return opened.futureResult.flatMap { child in
                    local.eventLoop.makeCompletedFuture {
                        try local.pipeline.syncOperations.addHandler(RelayHandler(partner: child))
                        local.read()
                        _ = local.setOption(ChannelOptions.autoRead, value: true)
                    }
                }
            }
            .bind(host: localHost, port: localPort).get()
        return PortForward(server: server)
    }

    /// An interactive login shell on the host, wired to this process's standard input and output
    /// (with a terminal of `terminal`'s size when given, as `ssh -t`; without, as `ssh -T`), until
    /// it exits: returns its exit status.
    public func shell(terminal: SSHTerminal?) async throws -> Int32 {
        let target = endpoint.description
        let eventLoop = channel.eventLoop
        let done = eventLoop.makePromise(of: Int32.self)
        let opened = eventLoop.makePromise(of: (any Channel).self)
        let channel = self.channel
        eventLoop.execute {
            do {
                try channel.pipeline.syncOperations.handler(type: NIOSSHHandler.self).createChannel(opened, channelType: .session) { child, _ in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(ShellSessionHandler(done: done))
                    }
                }
            } catch {
                opened.fail(error)
            }
        }
        let session: any Channel
        do {
            session = try await opened.futureResult.get()
        } catch {
            done.fail(error)
            throw ExecutionError(.unreachable, target: target, message: "cannot open a session on \(target): \(error)")
        }
        // Copies of 0 and 1: the pipe channel closes what it owns.
        let local = try await NIOPipeBootstrap(group: eventLoop)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelInitializer { pipe in
                pipe.eventLoop.makeCompletedFuture { try pipe.pipeline.syncOperations.addHandler(RelayHandler(partner: session, halfClose: true)) }
            }
            .takingOwnershipOfDescriptors(input: dup(0), output: dup(1)).get()
        try await eventLoop.submit {
            try session.pipeline.syncOperations.addHandler(RelayHandler(partner: local))
            ShellSessionHandler.start(session, terminal: terminal)
        }.get()
        return try await done.futureResult.get()
    }

    public func close() async {
        try? await channel.close()
    }
}

/// The terminal an interactive session gets.
public struct SSHTerminal: Sendable, Equatable {
    public var term: String
    public var columns: Int
    public var rows: Int

    public init(term: String, columns: Int, rows: Int) {
        self.term = term
        self.columns = columns
        self.rows = rows
    }
}

/// A listening local port whose connections go through an SSH connection.
public struct PortForward: Sendable {
    let server: any Channel

    /// The port it listens on.
    public var localPort: Int { server.localAddress?.port ?? 0 }

    public func close() async {
        try? await server.close()
    }
}
