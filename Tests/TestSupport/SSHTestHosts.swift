import Foundation
import RemoteExecution

/// The sshd hosts in network namespaces that `scripts/test-services start sshhosts` made, read
/// from its hosts file (the `ssh` provider's format; only the keys these tests need).
public struct SSHTestHost: Sendable {
    public var endpoint: SSHEndpoint
    public var hostKey: SSHHostKey

    public static func all() -> [SSHTestHost]? {
        guard let path = requiredService("BLUEPRINT_TEST_SSH_HOSTS", "sshd test hosts"),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        var hosts: [SSHTestHost] = []
        var fields: [String: String] = [:]
        func flush() {
            if let address = fields["address"], let user = fields["user"], let key = fields["host_key"].flatMap({ try? SSHHostKey(openSSH: $0) }) {
                hosts.append(SSHTestHost(endpoint: SSHEndpoint(host: address, port: Int(fields["port"] ?? "22") ?? 22, user: user), hostKey: key))
            }
            fields = [:]
        }
        for line in text.split(separator: "\n") {
            var line = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("- ") {
                flush()
                line.removeFirst(2)
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields[String(line[..<colon])] = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        flush()
        return hosts
    }

    public static func identity() throws -> SSHIdentity {
        try SSHIdentity.load(path: ProcessInfo.processInfo.environment["BLUEPRINT_TEST_SSH_KEY"] ?? "")
    }

    public func executor(hostKeys: HostKeyPolicy? = nil, timeout: Duration = .seconds(10)) throws -> SSHExecutor {
        SSHExecutor(endpoint: endpoint, identity: try Self.identity(), hostKeys: hostKeys ?? HostKeyPolicy(expected: hostKey), connectTimeout: timeout)
    }
}
