import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import RemoteProvidersCore
import Synchronization

/// Runs commands on this machine with `/bin/sh -c`: the `local` provider's executor, so runtimes
/// and health checks work here exactly as they do over SSH.
public struct LocalExecutor: CommandExecutor {
    public let target = "local"
    /// Variables added to the commands' environment (the process's own are inherited).
    let environment: [String: String]
    /// Where commands start: the home folder, as over SSH, so relative state paths mean the same.
    let workingDirectory: URL

    public init(environment: [String: String] = [:], workingDirectory: URL = FileManager.default.homeDirectoryForCurrentUser) {
        self.environment = environment
        self.workingDirectory = workingDirectory
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
        let child = try LocalChild.spawn(
            ShellCommand("cd", "--", workingDirectory.path).then(command),
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, target: target)
        // Both streams are read to their end and the child reaped before the result is known.
        let pending = Mutex(LocalRun())
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CommandResult, any Error>) in
                pending.withLock { $0.continuation = continuation }
                for (handle, wrap) in [(child.stdout, CommandOutput.stdout), (child.stderr, CommandOutput.stderr)] {
                    Thread.detachNewThread {
                        while true {
                            let data = handle.availableData
                            if data.isEmpty { break }
                            onOutput(wrap(data))
                        }
                        try? handle.close()
                        pending.withLock { $0.streamEnded() }
                    }
                }
                Thread.detachNewThread {
                    if let input { try? child.stdin.write(contentsOf: input) }
                    try? child.stdin.close()
                }
                Thread.detachNewThread {
                    let (status, signal) = child.wait()
                    pending.withLock { $0.exited(status: status, signal: signal) }
                }
                if let timeout {
                    DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval) {
                        let timedOut = pending.withLock { run in
                            run.fail(ExecutionError(.timeout, target: target, message: "\(command) did not finish within \(timeout)"))
                        }
                        if timedOut { child.stop() }
                    }
                }
            }
        } onCancel: {
            child.stop()
        }
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
