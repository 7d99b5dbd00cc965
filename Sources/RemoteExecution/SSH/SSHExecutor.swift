import Foundation
import RemoteProvidersCore

/// Runs commands on one host over a single SSH connection, made on first use and reused by every
/// command after it (made again if it broke).
public actor SSHExecutor: CommandExecutor {
    public nonisolated let endpoint: SSHEndpoint
    private let identity: SSHIdentity
    private var hostKeys: HostKeyPolicy
    private let connectTimeout: Duration
    private var connection: SSHConnection?
    private var connecting: Task<SSHConnection, any Error>?

    public init(endpoint: SSHEndpoint, identity: SSHIdentity, hostKeys: HostKeyPolicy, connectTimeout: Duration = .seconds(15)) {
        self.endpoint = endpoint
        self.identity = identity
        self.hostKeys = hostKeys
        self.connectTimeout = connectTimeout
    }

    public nonisolated var target: String { endpoint.description }

    /// The connection, made now if there is none: its `hostKey` is what the host showed.
    public func connect() async throws -> SSHConnection {
        if let connection, connection.isActive { return connection }
        if let connecting { return try await connecting.value }
        let task = Task { [endpoint, identity, hostKeys, connectTimeout] in
            try await SSHConnection.connect(to: endpoint, identity: identity, hostKeys: hostKeys, timeout: connectTimeout)
        }
        connecting = task
        defer { connecting = nil }
        let made = try await task.value
        connection = made
        // Later connections expect the key this one saw: a trusted-on-first-use key is pinned.
        hostKeys = HostKeyPolicy(expected: made.hostKey)
        return made
    }

    public func run(_ command: ShellCommand, input: Data?, timeout: Duration) async throws -> CommandResult {
        let buffers = OutputBuffers()
        var result = try await connect().execute(command, input: input, timeout: timeout) { buffers.append($0) }
        (result.stdout, result.stderr) = buffers.contents
        return result
    }

    public func stream(_ command: ShellCommand, onOutput: @escaping @Sendable (CommandOutput) -> Void) async throws -> CommandResult {
        try await connect().execute(command, input: nil, timeout: nil, onOutput: onOutput)
    }

    public func forward(localPort: Int = 0, to targetHost: String = "127.0.0.1", port: Int) async throws -> PortForward {
        try await connect().forward(localPort: localPort, to: targetHost, port: port)
    }

    /// An interactive login shell on this process's standard input and output; its exit status.
    public func shell(terminal: SSHTerminal?) async throws -> Int32 {
        try await connect().shell(terminal: terminal)
    }

    public func close() async {
        await connection?.close()
        connection = nil
    }
}
