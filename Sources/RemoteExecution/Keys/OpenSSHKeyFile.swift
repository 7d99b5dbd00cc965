import Crypto
import Foundation
import RemoteProvidersCore

/// Reads an unencrypted ed25519 `openssh-key-v1` private key file.
public enum OpenSSHKeyFile {
    public static func parse(_ text: String, path: String) throws -> SSHKeyPair {
        let invalid = ValidationError(field: "ssh key", value: path, rule: "must be an unencrypted ed25519 OpenSSH private key")
        if text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY") || text.contains("BEGIN PRIVATE KEY")
            || text.contains("BEGIN ENCRYPTED PRIVATE KEY")
        {
            throw ValidationError(
                field: "ssh key", value: path,
                rule: "is a PEM key, which the in-process SSH client cannot use; make an ed25519 key with ssh-keygen -t ed25519")
        }
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard text.contains("BEGIN OPENSSH PRIVATE KEY"), let data = Data(base64Encoded: body) else { throw invalid }
        var reader = SSHWireReader(data)
        guard reader.bytes(15) == Data("openssh-key-v1".utf8) + [0] else { throw invalid }
        guard try reader.string() == Data("none".utf8) else {
            throw ValidationError(field: "ssh key", value: path, rule: "is encrypted; decrypt it with ssh-keygen -p or use another key")
        }
        _ = try reader.string()  // kdf name
        _ = try reader.string()  // kdf options
        guard try reader.uint32() == 1 else { throw invalid }
        _ = try reader.string()  // public key blob
        var secret = SSHWireReader(try reader.string())
        guard try secret.uint32() == secret.uint32() else { throw invalid }
        let type = String(decoding: try secret.string(), as: UTF8.self)
        guard type == "ssh-ed25519" else {
            throw ValidationError(
                field: "ssh key", value: path,
                rule: "is a \(type) key; the in-process SSH client signs in with ed25519 keys (make one with ssh-keygen -t ed25519)")
        }
        _ = try secret.string()
        let privatePart = try secret.string()
        let comment = String(decoding: try secret.string(), as: UTF8.self)
        guard privatePart.count == 64, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: privatePart.prefix(32))
        else { throw invalid }
        return SSHKeyPair(privateKey: key, comment: comment)
    }
}
