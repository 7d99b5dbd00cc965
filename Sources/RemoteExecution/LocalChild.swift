import Foundation
import Synchronization
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `/bin/sh -c TEXT` started with posix_spawn in a process group of its own, its three streams
/// on pipes, reaped by a blocking `waitpid` on a thread of its own. (Foundation's `Process` was
/// seen to leave a child unreaped on Linux, and its pipes are inherited by processes started at
/// the same moment, which then hold them open.)
struct LocalChild: Sendable {
    let pid: pid_t
    let stdin: FileHandle
    let stdout: FileHandle
    let stderr: FileHandle

    /// Pipes are made and the child started under one lock, with every pipe end close-on-exec,
    /// so no other start in this process inherits them.
    private static let spawning = Mutex(())

    static func spawn(_ command: ShellCommand, environment: [String: String], target: String) throws -> LocalChild {
        try spawning.withLock { _ in
            var pipes: [[Int32]] = []
            defer { for pipe in pipes { for end in pipe where end >= 0 { close(end) } } }
            for _ in 0..<3 {
                var ends: [Int32] = [-1, -1]
                guard pipe(&ends) == 0 else { throw failure("cannot make a pipe", target: target) }
                pipes.append(ends)
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
            posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            // Its own process group (so a stop reaches everything it started), default signal
            // handling and an empty mask, whatever this process set.
            var defaults = sigset_t()
            sigfillset(&defaults)
            var empty = sigset_t()
            sigemptyset(&empty)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setpgroup(&attributes, 0)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

            let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/sh", "-c", command.text] as [String]).map { strdup($0) } + [nil]
            let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { (argv + envp).forEach { free($0) } }
            var pid: pid_t = 0
            let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
            guard status == 0 else { throw failure("cannot start /bin/sh (error \(status))", target: target) }
            let child = LocalChild(
                pid: pid, stdin: FileHandle(fileDescriptor: pipes[0][1], closeOnDealloc: false),
                stdout: FileHandle(fileDescriptor: pipes[1][0], closeOnDealloc: false),
                stderr: FileHandle(fileDescriptor: pipes[2][0], closeOnDealloc: false))
            // Ours now: the deferred close takes only the child's ends.
            pipes[0][1] = -1
            pipes[1][0] = -1
            pipes[2][0] = -1
            return child
        }
    }

    private static func failure(_ message: String, target: String) -> ExecutionError {
        ExecutionError(.unreachable, target: target, message: "\(message): errno \(errno)")
    }

    /// Blocks until the child ends: its exit status (128 + n for signal n) and the signal's name.
    func wait() -> (Int32, String?) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7F
        if signal == 0 { return ((status >> 8) & 0xFF, nil) }
        return (128 + signal, LocalExecutor.signalName(signal))
    }

    /// TERM to its process group, then KILL a second later.
    func stop() {
        kill(-pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [pid] in kill(-pid, SIGKILL) }
    }
}
