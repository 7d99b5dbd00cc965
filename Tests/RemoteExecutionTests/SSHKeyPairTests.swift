import Foundation
import TestSupport
import Testing

@testable import RemoteExecution

/// OpenSSH itself is the oracle for the key formats the tool writes and reads.
@Suite struct SSHKeyPairTests {
    @Test func openSSHReadsThePrivateKeyFileAndAgreesOnTheFingerprint() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = SSHKeyPair(comment: "test@blueprint")
        let path = directory.appendingPathComponent("id_ed25519").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(key.openSSHPrivateKey.revealed.utf8), attributes: [.posixPermissions: 0o600]))

        let publicKey = try Self.sshKeygen(["-y", "-f", path])
        #expect(publicKey.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix(
            key.authorizedKey.split(separator: " ").prefix(2).joined(separator: " ")))
        let fingerprint = try Self.sshKeygen(["-l", "-f", path])
        #expect(fingerprint.contains(key.fingerprint))
        #expect(fingerprint.contains("ED25519"))

        let reread = try OpenSSHKeyFile.parse(String(contentsOfFile: path, encoding: .utf8), path: path)
        #expect(reread.fingerprint == key.fingerprint && reread.comment == "test@blueprint")
    }

    @Test func aKeyMadeByOpenSSHIsRead() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("k").path
        _ = try Self.sshKeygen(["-q", "-t", "ed25519", "-N", "", "-C", "made-by-openssh", "-f", path])
        let key = try OpenSSHKeyFile.parse(String(contentsOfFile: path, encoding: .utf8), path: path)
        #expect(try String(contentsOfFile: path + ".pub", encoding: .utf8).hasPrefix(key.authorizedKey))
        _ = try Self.sshKeygen(["-q", "-t", "ed25519", "-N", "passphrase", "-f", path + "-enc"])
        #expect(throws: (any Error).self) { try OpenSSHKeyFile.parse(String(contentsOfFile: path + "-enc", encoding: .utf8), path: path) }
    }

    @Test func theKeyTextNeverPrints() {
        let key = SSHKeyPair(comment: "x")
        let pem = key.openSSHPrivateKey
        #expect("\(pem)" == "[REDACTED]")
        #expect(pem.revealed.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
    }

    static func sshKeygen(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "ssh-keygen \(arguments): \(text)"])
        }
        return text
    }
}
