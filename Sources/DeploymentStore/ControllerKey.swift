import Crypto
import Foundation
import RemoteExecution
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
