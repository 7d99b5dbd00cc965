import Crypto
import Foundation
import NIOSSH
import RemoteProvidersCore

/// A host's public key, as an OpenSSH public key line (`ssh-ed25519 AAAA…`); equal when the key
/// is, whatever the comment.
public struct SSHHostKey: Sendable, Hashable, CustomStringConvertible {
    /// `type base64`, without a comment.
    public let openSSH: String

    /// Reads an OpenSSH public key line (a comment after the key is allowed and dropped).
    public init(openSSH line: String) throws {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 2, Data(base64Encoded: String(words[1])) != nil,
            (try? NIOSSHPublicKey(openSSHPublicKey: "\(words[0]) \(words[1])")) != nil
        else {
            throw ValidationError(field: "host_key", value: line, rule: "must be an OpenSSH public key line such as \"ssh-ed25519 AAAA…\"")
        }
        openSSH = "\(words[0]) \(words[1])"
    }

    init(_ key: NIOSSHPublicKey) {
        let line = String(openSSHPublicKey: key)
        openSSH = line.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// `SHA256:…`, as `ssh-keygen -l` and OpenSSH's own messages print it.
    public var fingerprint: String {
        let blob = Data(base64Encoded: String(openSSH.split(separator: " ")[1])) ?? Data()
        return "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    public var type: String { String(openSSH.split(separator: " ")[0]) }

    public var description: String { "\(type) \(fingerprint)" }
}

/// How a connection decides whether to trust the key a host shows.
public struct HostKeyPolicy: Sendable {
    /// The key the host must show; `nil` when none is known yet.
    public var expected: SSHHostKey?
    /// Whether a host with no expected key may be trusted on this first sight (the caller then
    /// pins what the connection reports in `SSHConnection.hostKey`).
    public var trustNew: Bool

    public init(expected: SSHHostKey?, trustNew: Bool = false) {
        self.expected = expected
        self.trustNew = trustNew
    }

    func check(_ presented: SSHHostKey, target: String) throws {
        if let expected {
            guard expected == presented else {
                throw ExecutionError(
                    .hostKeyMismatch, target: target,
                    message: "host key of \(target) does not match: expected \(expected), the host showed \(presented). "
                        + "The host may have been replaced, or someone is in between; nothing was sent. "
                        + "If the change is known and wanted, update host_key (or remove the pin) and try again")
            }
        } else if !trustNew {
            throw ExecutionError(
                .hostKeyUnknown, target: target,
                message: "no host key is known for \(target) (it showed \(presented)): give its host_key, or pass "
                    + "--trust-new-host-keys to pin the key it shows on this first connection")
        }
    }
}
