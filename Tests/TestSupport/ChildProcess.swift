import Dispatch
import Foundation

/// What a child process printed (standard output and error together) and how it ended.
public struct ChildProcessResult: Sendable {
    public let status: Int32
    public let output: String
}

/// Runs `executable` to its end without holding a thread of the concurrency pool: the wait and the
/// read happen on a dispatch queue. Its environment is exactly `environment`.
public func runChildProcess(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> ChildProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: ChildProcessResult(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self)))
        }
    }
}
