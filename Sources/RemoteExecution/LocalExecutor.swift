import Foundation
import RemoteProvidersCore
import Synchronization

/// Runs commands on this machine with `/bin/sh -c`: the `local` provider's executor, so runtimes
/// and health checks work here exactly as they do over SSH.
public struct LocalExecutor: CommandExecutor {
    public let target = "local"
    /// Variables added to the commands' environment (the process's own are inherited).
    let environment: [String: String]

    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ command: ShellCommand, input: Data?, timeout: Duration) async throws -> CommandResult {
        let buffers = OutputBuffers()
        var result = try await execute(command, input: input, timeout: timeout) { buffers.append($0) }
        (result.stdout, result.stderr) = buffers.contents
        return result
    }

    public func stream(_ command: ShellCommand, onOutput: @escaping @Sendable (CommandOutput) -> Void) async throws -> CommandResult {
        try await execute(command, input: nil, timeout: nil, onOutput: onOutput)
    }

    public func close() async {}

    private func execute(
        _ command: ShellCommand, input: Data?, timeout: Duration?, onOutput: @escaping @Sendable (CommandOutput) -> Void
    ) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command.text]
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr

        // Both streams are read to their end and the process reaped before the result is known.
        let pending = Mutex(LocalRun())
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CommandResult, any Error>) in
                pending.withLock { $0.continuation = continuation }
                process.terminationHandler = { process in
                    let signal = process.terminationReason == .uncaughtSignal ? Self.signalName(process.terminationStatus) : nil
                    pending.withLock { $0.exited(status: signal == nil ? process.terminationStatus : 128 + process.terminationStatus, signal: signal) }
                }
                do {
                    try process.run()
                } catch {
                    _ = pending.withLock { $0.fail(ExecutionError(.unreachable, target: target, message: "cannot start /bin/sh: \(error)")) }
                    return
                }
                // Blocking reads on their own threads: readabilityHandler can miss the end of a
                // stream on Linux.
                for (pipe, wrap) in [(stdout, CommandOutput.stdout), (stderr, CommandOutput.stderr)] {
                    let handle = pipe.fileHandleForReading
                    DispatchQueue.global().async {
                        while true {
                            let data = handle.availableData
                            if data.isEmpty { break }
                            onOutput(wrap(data))
                        }
                        pending.withLock { $0.streamEnded() }
                    }
                }
                let writer = stdin.fileHandleForWriting
                DispatchQueue.global().async {
                    if let input { try? writer.write(contentsOf: input) }
                    try? writer.close()
                }
                if let timeout {
                    DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval) {
                        let timedOut = pending.withLock { run in
                            run.fail(ExecutionError(.timeout, target: target, message: "\(command) did not finish within \(timeout)"))
                        }
                        if timedOut { Self.stop(process) }
                    }
                }
            }
        } onCancel: {
            Self.stop(process)
        }
    }

    /// TERM, then KILL if it is still there a second later.
    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { if process.isRunning { kill(pid, SIGKILL) } }
    }

    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGKILL: "KILL"
        case SIGTERM: "TERM"
        case SIGINT: "INT"
        case SIGHUP: "HUP"
        case SIGSEGV: "SEGV"
        case SIGABRT: "ABRT"
        case SIGPIPE: "PIPE"
        default: String(number)
        }
    }
}

/// Where one local run stands: it completes once the process exited and both streams ended.
private struct LocalRun {
    var continuation: CheckedContinuation<CommandResult, any Error>?
    var openStreams = 2
    var exit: (Int32, String?)?

    mutating func streamEnded() {
        openStreams -= 1
        finishIfDone()
    }

    mutating func exited(status: Int32, signal: String?) {
        exit = (status, signal)
        finishIfDone()
    }

    /// Fails the run unless it already finished; says whether it did fail it.
    @discardableResult
    mutating func fail(_ error: any Error) -> Bool {
        guard let continuation else { return false }
        self.continuation = nil
        continuation.resume(throwing: error)
        return true
    }

    private mutating func finishIfDone() {
        guard openStreams == 0, let (status, signal) = exit, let continuation else { return }
        self.continuation = nil
        continuation.resume(returning: CommandResult(exitStatus: status, signal: signal))
    }
}
