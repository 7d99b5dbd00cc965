import Foundation
import RemoteProvidersCore
import TestSupport
import Testing

@testable import DeploymentStore

@Suite struct SQLiteFileTests {
    @Test func theStoreFileAndFolderAreOwnerOnly() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("deep/state")
        let path = folder.appendingPathComponent("state.sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try await newDeployment(store)
        #expect(try StoreConformanceTests.mode(path) == 0o600)
        #expect(try StoreConformanceTests.mode(path + "-wal") == 0o600)
        #expect(try StoreConformanceTests.mode(folder.path) == 0o700)
    }

    @Test func anExistingLooseFolderIsTightened() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        _ = try SQLiteStore(path: directory.appendingPathComponent("state.sqlite").path)
        #expect(try StoreConformanceTests.mode(directory.path) == 0o700)
    }

    @Test func itUsesWriteAheadLogging() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        _ = try SQLiteStore(path: path)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let header = Array(try handle.read(upToCount: 20) ?? Data())
        try handle.close()
        // Bytes 18 and 19 of the SQLite header are 2 in WAL mode.
        #expect(header.count == 20 && header[18] == 2 && header[19] == 2)
    }

    @Test func theLocationComesFromTheEnvironment() throws {
        #expect(try StoreLocation.resolve(Environment(["HOME": "/home/u"])) == .sqlite(path: "/home/u/.local/state/blueprint-remote/state.sqlite"))
        #expect(try StoreLocation.resolve(Environment(["XDG_STATE_HOME": "/x"])) == .sqlite(path: "/x/blueprint-remote/state.sqlite"))
        #expect(try StoreLocation.resolve(Environment(["BLUEPRINT_REMOTE_STATE": "/tmp/s.db"])) == .sqlite(path: "/tmp/s.db"))
        let postgres = try StoreLocation.resolve(Environment(["BLUEPRINT_REMOTE_STATE": "postgres://u:p%40ss@db.internal:6543/state?sslmode=require"]))
        guard case .postgres(let location) = postgres else {
            Issue.record("expected postgres")
            return
        }
        #expect(location.host == "db.internal" && location.port == 6543 && location.username == "u" && location.database == "state")
        #expect(location.password?.revealed == "p@ss" && location.sslMode == "require")
        #expect(!postgres.displayName.contains("p@ss"))
        #expect(throws: StoreError.self) { try StoreLocation.resolve(Environment(["BLUEPRINT_REMOTE_STATE": "mysql://x/y"])) }
        #expect(throws: StoreError.self) { try StoreLocation.resolve(Environment(["BLUEPRINT_REMOTE_STATE": "postgres://x/y?sslmode=maybe"])) }
    }
}
