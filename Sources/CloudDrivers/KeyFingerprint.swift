import Crypto
import Foundation
import RemoteProvidersCore

/// How providers that look SSH keys up by fingerprint (DigitalOcean, Hetzner) name a key.
enum KeyFingerprint {
    /// `aa:bb:…`: the MD5 of the key blob of an OpenSSH public key line.
    static func md5(_ publicKey: String) throws -> String {
        let words = publicKey.split(separator: " ")
        guard words.count >= 2, let blob = Data(base64Encoded: String(words[1])) else {
            throw ValidationError(field: "ssh_public_key", value: nil, rule: "must be an OpenSSH public key line")
        }
        return Insecure.MD5.hash(data: blob).map { String(format: "%02x", $0) }.joined(separator: ":")
    }
}
