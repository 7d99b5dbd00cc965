import Crypto
import Foundation
import RemoteProvidersCore

/// How providers name a key: by fingerprint (DigitalOcean, Hetzner), or by its text (Lambda,
/// Fluidstack, Vast.ai list keys with it).
enum KeyFingerprint {
    /// `ssh-ed25519 AAAA…`: the key's type and base64 body, without the comment — what two texts
    /// of the same key have in common.
    static func text(_ publicKey: String) -> String {
        publicKey.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// `aa:bb:…`: the MD5 of the key blob of an OpenSSH public key line.
    static func md5(_ publicKey: String) throws -> String {
        let words = publicKey.split(separator: " ")
        guard words.count >= 2, let blob = Data(base64Encoded: String(words[1])) else {
            throw ValidationError(field: "ssh_public_key", value: nil, rule: "must be an OpenSSH public key line")
        }
        return Insecure.MD5.hash(data: blob).map { String(format: "%02x", $0) }.joined(separator: ":")
    }
}
