import Crypto
import Foundation

/// How the fakes of APIs that name SSH keys by fingerprint (DigitalOcean, Hetzner) compute it.
enum FakeKeys {
    /// `aa:bb:…`, the MD5 of the key blob; `nil` when the text is no OpenSSH public key line.
    static func md5Fingerprint(_ publicKey: String) -> String? {
        let words = publicKey.split(separator: " ")
        guard words.count >= 2, let blob = Data(base64Encoded: String(words[1])) else { return nil }
        return Insecure.MD5.hash(data: blob).map { String(format: "%02x", $0) }.joined(separator: ":")
    }
}
