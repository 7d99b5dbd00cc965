import Foundation
import RemoteExecution
import RemoteProvidersCore

/// One host a replica runs on, as the deployer reaches it: commands through its executor,
/// published ports at `serviceAddress`, or through an SSH forward when the service is only
/// exposed on the host's loopback (`expose: tunnel`).
public struct HostAccess: Sendable {
    /// The pool's or provider's name for the host (`h1`, `local`, an instance id).
    public let name: String
    public let executor: any CommandExecutor
    /// Where the host's published ports are reached from here.
    public let serviceAddress: String

    public init(name: String, executor: any CommandExecutor, serviceAddress: String) {
        self.name = name
        self.executor = executor
        self.serviceAddress = serviceAddress
    }

    /// Runs `body`, then ends the connection to the host however `body` ended.
    public func closing<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await executor.close()
            return result
        } catch {
            await executor.close()
            throw error
        }
    }

    /// Runs `body` with a route to the host's ports: direct, or for a tunnel through SSH forwards
    /// (opened on first use, closed after `body`).
    func withRoute<T: Sendable>(tunnel: Bool, _ body: (@escaping PortRoute) async throws -> T) async throws -> T {
        guard tunnel, let ssh = executor as? SSHExecutor else {
            let address = tunnel ? "127.0.0.1" : serviceAddress
            return try await body { port in (address, port) }
        }
        let forwards = Forwards(ssh: ssh)
        do {
            let result = try await body { port in try await forwards.route(port) }
            await forwards.close()
            return result
        } catch {
            await forwards.close()
            throw error
        }
    }
}

/// Local ports forwarded to a host's loopback ports, one per port, made on first use.
private actor Forwards {
    let ssh: SSHExecutor
    var open: [Int: PortForward] = [:]

    init(ssh: SSHExecutor) {
        self.ssh = ssh
    }

    func route(_ port: Int) async throws -> (host: String, port: Int) {
        if let forward = open[port] { return ("127.0.0.1", forward.localPort) }
        let forward = try await ssh.forward(to: "127.0.0.1", port: port)
        open[port] = forward
        return ("127.0.0.1", forward.localPort)
    }

    func close() async {
        for forward in open.values { await forward.close() }
        open = [:]
    }
}
