import Foundation
import NIOSSH
import RemoteProvidersCore

/// The private key a connection signs in with.
public struct SSHIdentity: Sendable {
    let key: NIOSSHPrivateKey
    /// `SHA256:…` of the public half, for messages.
    public let fingerprint: String

    public init(_ keyPair: SSHKeyPair) {
        key = NIOSSHPrivateKey(ed25519Key: keyPair.privateKey)
        fingerprint = keyPair.fingerprint
    }

    /// Reads an OpenSSH private key file (unencrypted ed25519); any other gets an error saying
    /// what to do instead.
    public static func load(path: String) throws -> SSHIdentity {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExecutionError(.identity, target: path, message: "identity_file \(path) cannot be read (missing, or no permission)")
        }
        do {
            return SSHIdentity(try OpenSSHKeyFile.parse(String(decoding: data, as: UTF8.self), path: path))
        } catch let error as ValidationError {
            throw ExecutionError(.identity, target: path, message: "identity_file \(path) \(error.rule)")
        }
    }
}
