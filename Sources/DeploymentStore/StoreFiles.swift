import Foundation

/// File modes for local state: folders 0700, files 0600. The state holds what the tool created
/// in the user's accounts and its SSH key; nobody else on the machine should read it.
enum StoreFiles {
    static func prepare(databasePath: String) throws {
        let directory = (databasePath as NSString).deletingLastPathComponent
        try ensureDirectory(directory.isEmpty ? "." : directory)
        if !FileManager.default.fileExists(atPath: databasePath) {
            guard FileManager.default.createFile(atPath: databasePath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError.unavailable("cannot create \(databasePath)")
            }
        }
        try restrict(databasePath: databasePath)
    }

    static func restrict(databasePath: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: databasePath + suffix) {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: databasePath + suffix)
        }
    }

    /// Creates the folder (and parents) with mode 0700, and tightens an existing one.
    static func ensureDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        } catch {
            throw StoreError.unavailable("cannot create the state folder \(path): \(error.localizedDescription)")
        }
    }

    /// Writes a file readable only by its owner, atomically (a crash leaves the old file or the new).
    static func writePrivate(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw StoreError.unavailable("cannot write \(path)") }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError.unavailable("cannot write \(path)")
        }
    }
}
