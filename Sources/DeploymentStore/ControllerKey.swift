import Crypto
import Foundation
import RemoteProvidersCore

/// This controller's SSH key: generated on first need as `<local state>/ssh/id_ed25519` (0600, in a
/// 0700 folder), and registered in the store by fingerprint, so a shared store knows every
/// controller's public key while each private half stays on its own machine.
public struct ControllerKey: Sendable {
    public let keyPair: SSHKeyPair
    public let privateKeyPath: String

    public var fingerprint: String { keyPair.fingerprint }

    /// Loads the key (creating it when absent) and registers it with `store`.
    public static func load(stateDirectory: String, store: any DeploymentStore) async throws -> ControllerKey {
        let directory = "\(stateDirectory)/ssh"
        let path = "\(directory)/id_ed25519"
        let key: SSHKeyPair
        if let data = FileManager.default.contents(atPath: path) {
            key = try OpenSSHKeyFile.parse(String(decoding: data, as: UTF8.self), path: path)
        } else {
            try StoreFiles.ensureDirectory(directory)
            key = SSHKeyPair(comment: "blueprint-remote@\(ProcessInfo.processInfo.hostName)")
            try StoreFiles.writePrivate(key.openSSHPrivateKey.revealed, to: path)
            try StoreFiles.writePrivate(key.authorizedKey + "\n", to: path + ".pub")
        }
        try await store.registerKey(RegisteredKey(
            fingerprint: key.fingerprint, controller: ProcessInfo.processInfo.hostName, publicKey: key.authorizedKey,
            createdAt: Date()))
        return ControllerKey(keyPair: key, privateKeyPath: path)
    }
}

/// Reads an unencrypted ed25519 `openssh-key-v1` private key file.
public enum OpenSSHKeyFile {
    public static func parse(_ text: String, path: String) throws -> SSHKeyPair {
        let invalid = ValidationError(field: "ssh key", value: path, rule: "must be an unencrypted ed25519 OpenSSH private key")
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
        guard try secret.string() == Data("ssh-ed25519".utf8) else {
            throw ValidationError(field: "ssh key", value: path, rule: "must be an ed25519 key")
        }
        _ = try secret.string()
        let privatePart = try secret.string()
        let comment = String(decoding: try secret.string(), as: UTF8.self)
        guard privatePart.count == 64, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: privatePart.prefix(32))
        else { throw invalid }
        return SSHKeyPair(privateKey: key, comment: comment)
    }
}

struct SSHWireReader {
    private var data: Data

    init(_ data: Data) {
        self.data = Data(data)
    }

    mutating func bytes(_ count: Int) -> Data? {
        guard data.count >= count else { return nil }
        defer { data = Data(data.dropFirst(count)) }
        return Data(data.prefix(count))
    }

    mutating func uint32() throws -> UInt32 {
        guard let bytes = bytes(4) else { throw ValidationError(field: "ssh key", value: nil, rule: "is truncated") }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func string() throws -> Data {
        let count = Int(try uint32())
        guard let bytes = bytes(count) else { throw ValidationError(field: "ssh key", value: nil, rule: "is truncated") }
        return bytes
    }
}
