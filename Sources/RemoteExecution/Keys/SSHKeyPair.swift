import Crypto
import Foundation
import RemoteProvidersCore

/// The tool's own ed25519 key pair, in OpenSSH's formats: the `authorized_keys` line it installs
/// on machines it creates, and the private key file (`openssh-key-v1`) it signs in with.
public struct SSHKeyPair: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey
    public let comment: String

    public init(privateKey: Curve25519.Signing.PrivateKey = .init(), comment: String) {
        self.privateKey = privateKey
        self.comment = comment
    }

    /// The wire form of the public key: string "ssh-ed25519", string key.
    var publicKeyBlob: Data {
        var blob = SSHWire()
        blob.string("ssh-ed25519")
        blob.string(privateKey.publicKey.rawRepresentation)
        return blob.data
    }

    /// `ssh-ed25519 AAAA… comment`
    public var authorizedKey: String {
        "ssh-ed25519 \(publicKeyBlob.base64EncodedString()) \(comment)"
    }

    /// `SHA256:…` as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        let digest = Data(SHA256.hash(data: publicKeyBlob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The unencrypted `openssh-key-v1` private key file, PEM-armoured.
    public var openSSHPrivateKey: Secret {
        let check = UInt32.random(in: .min ... .max)
        var secret = SSHWire()
        secret.uint32(check)
        secret.uint32(check)
        secret.string("ssh-ed25519")
        secret.string(privateKey.publicKey.rawRepresentation)
        // OpenSSH stores the 32-byte seed followed by the public key.
        secret.string(privateKey.rawRepresentation + privateKey.publicKey.rawRepresentation)
        secret.string(comment)
        var padding: UInt8 = 1
        while secret.data.count % 8 != 0 {
            secret.data.append(padding)
            padding += 1
        }
        var file = SSHWire()
        file.data.append(contentsOf: Array("openssh-key-v1".utf8) + [0])
        file.string("none")
        file.string("none")
        file.string(Data())
        file.uint32(1)
        file.string(publicKeyBlob)
        file.string(secret.data)
        let body = file.data.base64EncodedString()
        let lines = stride(from: 0, to: body.count, by: 70).map { offset -> String in
            let start = body.index(body.startIndex, offsetBy: offset)
            return String(body[start..<body.index(start, offsetBy: min(70, body.count - offset))])
        }
        return Secret(
            (["-----BEGIN OPENSSH PRIVATE KEY-----"] + lines + ["-----END OPENSSH PRIVATE KEY-----"]).joined(separator: "\n") + "\n")
    }
}
