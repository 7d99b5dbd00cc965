import Foundation
import RemoteProvidersCore
import Synchronization

/// What a finished command left: its exit status and its two output streams, kept apart.
public struct CommandResult: Sendable, Equatable {
    public var exitStatus: Int32
    /// The signal that ended the command (`KILL`, `TERM`), when one did.
    public var signal: String?
    public var stdout: Data
    public var stderr: Data

    public init(exitStatus: Int32, signal: String? = nil, stdout: Data = Data(), stderr: Data = Data()) {
        self.exitStatus = exitStatus
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { exitStatus == 0 && signal == nil }
    public var output: String { String(decoding: stdout, as: UTF8.self) }
    public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
}

/// A piece of a running command's output.
public enum CommandOutput: Sendable, Equatable {
    case stdout(Data)
    case stderr(Data)
}

/// Runs shell commands on one host: over SSH, or on this machine. Everything above it (runtimes,
/// health checks, logs) is written once against this protocol.
public protocol CommandExecutor: Sendable {
    /// `user@host:port`, or `local`: for messages.
    var target: String { get }

    /// Runs `command` with `sh`, its standard input fed from `input` and then closed, to completion
    /// or until `timeout` (then the command is stopped and `.timeout` thrown).
    func run(_ command: ShellCommand, input: Data?, timeout: Duration) async throws -> CommandResult

    /// Runs `command`, handing its output to `onOutput` as it arrives, until it ends (returning its
    /// exit status) or the calling task is cancelled (then the command is stopped).
    func stream(_ command: ShellCommand, onOutput: @escaping @Sendable (CommandOutput) -> Void) async throws -> CommandResult

    /// Ends the connection (if any); commands after it fail.
    func close() async
}

extension CommandExecutor {
    public func run(_ command: ShellCommand, input: Data? = nil) async throws -> CommandResult {
        try await run(command, input: input, timeout: .seconds(300))
    }

    /// Runs `command` and throws `.commandFailed` (with its exit status and standard error) unless it succeeded.
    @discardableResult
    public func check(_ command: ShellCommand, input: Data? = nil, timeout: Duration = .seconds(300)) async throws -> CommandResult {
        let result = try await run(command, input: input, timeout: timeout)
        guard result.succeeded else { throw ExecutionError.commandFailed(command, result: result, target: target) }
        return result
    }

    /// Puts `data` at `path` with `mode` (e.g. 0o600 for an env file), atomically, through the
    /// command's standard input: the bytes never appear in a command line.
    public func upload(_ data: Data, to path: String, mode: Int, timeout: Duration = .seconds(600)) async throws {
        try await check(.writeFile(path, mode: mode), input: data, timeout: timeout)
    }

    /// `upload` into `folder` (made first, mode 0700, if missing): one round trip.
    public func upload(_ data: Data, into folder: String, as name: String, mode: Int, timeout: Duration = .seconds(600)) async throws {
        try await check(
            ShellCommand("mkdir", "-p", "-m", "700", "--", folder).then(.writeFile("\(folder)/\(name)", mode: mode)), input: data, timeout: timeout)
    }
}

/// A failure to run something on a host.
public struct ExecutionError: CodedError, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The host showed another key than the one pinned for it: refused, never retried.
        case hostKeyMismatch
        /// No key is pinned for the host and trusting a new one was not allowed.
        case hostKeyUnknown
        /// Could not connect (refused, no route, name unknown) or the connection broke.
        case unreachable
        case authenticationFailed
        case timeout
        /// The command ran and failed.
        case commandFailed(exitStatus: Int32)
        /// The private key file cannot be used.
        case identity
    }

    public let kind: Kind
    public let target: String
    public let message: String

    public init(_ kind: Kind, target: String, message: String) {
        self.kind = kind
        self.target = target
        self.message = Redactor.standard.redact(message)
    }

    /// Fails the same way every time: trying again cannot help.
    public var isPermanent: Bool {
        switch kind {
        case .hostKeyMismatch, .hostKeyUnknown, .authenticationFailed, .identity: true
        case .unreachable, .timeout, .commandFailed: false
        }
    }

    public var code: ErrorCode {
        switch kind {
        case .hostKeyMismatch: .hostKeyMismatch
        case .timeout: .timeout
        case .identity: .validation
        case .hostKeyUnknown, .unreachable, .authenticationFailed, .commandFailed: .ssh
        }
    }

    public var field: String? { kind == .identity ? "identity_file" : nil }

    public static func commandFailed(_ command: ShellCommand, result: CommandResult, target: String) -> ExecutionError {
        let program = command.text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? command.text
        var stderr = result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        if stderr.count > 2000 { stderr = "…" + stderr.suffix(2000) }
        let ended = result.signal.map { "was killed by SIG\($0)" } ?? "exited with status \(result.exitStatus)"
        return ExecutionError(
            .commandFailed(exitStatus: result.exitStatus), target: target,
            message: "\(program) on \(target) \(ended)" + (stderr.isEmpty ? "" : ": \(stderr)"))
    }
}

/// Collects a command's two output streams.
public final class OutputBuffers: Sendable {
    private let buffers = Mutex((Data(), Data()))

    public init() {}

    public func append(_ output: CommandOutput) {
        buffers.withLock { buffers in
            switch output {
            case .stdout(let data): buffers.0.append(data)
            case .stderr(let data): buffers.1.append(data)
            }
        }
    }

    /// Standard output and standard error so far.
    public var contents: (Data, Data) { buffers.withLock { $0 } }
}
