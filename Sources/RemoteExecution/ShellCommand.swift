import Foundation
import RemoteProvidersCore

/// A command line for a POSIX `sh`, built from argv words.
///
/// This is the one place in the code base that writes shell text: everything else hands values
/// over as words, and every word is quoted here, so a value is always data on the host, never code.
public struct ShellCommand: Sendable, Hashable, CustomStringConvertible {
    /// What `sh -c` runs.
    public let text: String

    private init(text: String) {
        self.text = text
    }

    /// One simple command, `argv[0] argv[1] …`, each word quoted where it needs to be.
    public init(_ argv: [String]) {
        text = argv.map(Self.quote).joined(separator: " ")
    }

    public init(_ argv: String...) {
        self.init(argv)
    }

    /// `word` as one shell word: bare when it holds only characters no shell treats specially,
    /// else in single quotes (inside which nothing is special but the quote itself).
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.utf8.allSatisfy(isPlain) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"),
            UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: ","):
            true
        default: false
        }
    }

    public var description: String { Redactor.standard.redact(text) }

    // MARK: Composition

    /// `self && next`: `next` runs only when `self` succeeded.
    public func then(_ next: ShellCommand) -> ShellCommand {
        ShellCommand(text: "\(text) && \(next.text)")
    }

    /// `self || other`: `other` runs only when `self` failed.
    public func otherwise(_ other: ShellCommand) -> ShellCommand {
        ShellCommand(text: "{ \(text); } || \(other.text)")
    }

    /// `self | next`.
    public func piped(into next: ShellCommand) -> ShellCommand {
        ShellCommand(text: "\(text) | \(next.text)")
    }

    /// Success whatever `self` returned.
    public var ignoringFailure: ShellCommand {
        ShellCommand(text: "{ \(text); } || true")
    }

    /// Neither output nor errors shown.
    public var silenced: ShellCommand {
        ShellCommand(text: "{ \(text); } >/dev/null 2>&1")
    }

    /// Standard error joined to standard output.
    public var mergingErrors: ShellCommand {
        ShellCommand(text: "{ \(text); } 2>&1")
    }

    /// Standard output into `path`.
    public func writingOutput(to path: String, appending: Bool = false) -> ShellCommand {
        ShellCommand(text: "{ \(text); } \(appending ? ">>" : ">") \(Self.quote(path))")
    }

    /// Standard input from `path`.
    public func readingInput(from path: String) -> ShellCommand {
        ShellCommand(text: "{ \(text); } < \(Self.quote(path))")
    }

    /// All of them, in order, stopping at the first that fails.
    public static func all(_ commands: [ShellCommand]) -> ShellCommand {
        ShellCommand(text: commands.map(\.text).joined(separator: " && "))
    }

    /// The first that succeeds; fails when none does.
    public static func first(_ commands: [ShellCommand]) -> ShellCommand {
        ShellCommand(text: commands.map { "{ \($0.text); }" }.joined(separator: " || "))
    }

    /// `if condition; then then; else otherwise; fi`.
    public static func when(_ condition: ShellCommand, then: ShellCommand, otherwise: ShellCommand? = nil) -> ShellCommand {
        let alternative = otherwise.map { " else \($0.text);" } ?? ""
        return ShellCommand(text: "if \(condition.text); then \(then.text);\(alternative) fi")
    }

    /// This command as the argv of a program that runs a shell itself (`sh -c TEXT`): for systemd
    /// units, supervisors and `nohup`.
    public var shellArgv: [String] { ["sh", "-c", text] }

    // MARK: Common commands

    /// Prints the login user's home folder (no newline).
    public static let homeDirectory = ShellCommand(text: #"printf '%s' "$HOME""#)

    /// Succeeds when `program` is on the PATH.
    public static func exists(_ program: String) -> ShellCommand {
        ShellCommand("command", "-v", program).silenced
    }

    /// Writes its standard input to `path` with `mode`, atomically: the bytes go to a file made
    /// under umask 077 (so never readable by others, even for a moment), which then takes the mode
    /// and replaces `path`.
    public static func writeFile(_ path: String, mode: Int) -> ShellCommand {
        let partial = path + ".partial"
        return ShellCommand(text: "umask 077 && ")
            .joined(
                ShellCommand("cat").writingOutput(to: partial)
                    .then(ShellCommand("chmod", String(mode, radix: 8), "--", partial))
                    .then(ShellCommand("mv", "-f", "--", partial, path)))
    }

    private func joined(_ next: ShellCommand) -> ShellCommand {
        ShellCommand(text: text + next.text)
    }

    /// The text of a file `sh` sources to get `variables`, byte-exact: values may hold newlines,
    /// quotes and `$(…)`, which arrive as data. Names must be environment variable names.
    public static func environmentScript(_ variables: [(name: String, value: String)]) throws -> String {
        try variables.map { variable in
            guard Grammar.isEnvironmentName(variable.name) else {
                throw ValidationError(field: "env", value: variable.name, rule: "must be a name of letters, digits and _ not starting with a digit")
            }
            return "export \(variable.name)=\(quote(variable.value))\n"
        }.joined()
    }

    /// `. file && exec program…`: runs `argv` with the variables of an environment script.
    public static func sourcing(_ environmentFile: String, then argv: [String]) -> ShellCommand {
        ShellCommand(text: ". \(quote(environmentFile)) && exec ").joined(ShellCommand(argv))
    }

    // MARK: Supervised processes (the native runtime without systemd)

    /// Starts `argv` (with the variables of `environmentFile`) under a supervisor that restarts it
    /// a second after it ends, in a session and process group of its own, output appended to
    /// `logFile`; the group's id goes to `pidFile`. Returns at once.
    public static func supervise(_ argv: [String], environmentFile: String, logFile: String, pidFile: String) -> ShellCommand {
        let loop = "while :; do ( \(sourcing(environmentFile, then: argv).text) ); sleep 1; done"
        // Grouped, so that `&` sends only the supervisor away when this is joined to other commands.
        return ShellCommand(text: "{ setsid sh -c \(quote(loop)) >> \(quote(logFile)) 2>&1 < /dev/null & echo $! > \(quote(pidFile)); }")
    }

    /// Succeeds while the process group in `pidFile` has a member. (`kill -- -PGID` is not for
    /// dash's `kill`: a negative id goes right after the signal.)
    public static func processGroupAlive(pidFile: String) -> ShellCommand {
        ShellCommand(text: "test -f \(quote(pidFile)) && kill -0 \"-$(cat \(quote(pidFile)))\" 2>/dev/null")
    }

    /// TERM to the process group in `pidFile`, KILL after `grace` seconds, then the file removed;
    /// success when there was none.
    public static func stopProcessGroup(pidFile: String, grace: Int) -> ShellCommand {
        let file = quote(pidFile)
        return ShellCommand(text: """
            if [ -f \(file) ]; then g="$(cat \(file))"; kill -TERM "-$g" 2>/dev/null; i=0; \
            while kill -0 "-$g" 2>/dev/null && [ "$i" -lt \(grace) ]; do sleep 1; i=$((i+1)); done; \
            kill -KILL "-$g" 2>/dev/null; rm -f \(file); fi; true
            """)
    }

    // MARK: The dead-man switch

    /// One look at a dead-man switch: when the time in `expiryFile` (seconds since 1970) has
    /// come, `action` runs; nothing happens while the file is missing, empty or ahead.
    public static func deadManCheck(expiryFile: String, action: ShellCommand) -> ShellCommand {
        let file = quote(expiryFile)
        return ShellCommand(text: """
            if e="$(cat \(file) 2>/dev/null)" && [ -n "$e" ] && [ "$(date +%s)" -ge "$e" ]; then \(action.text); fi
            """)
    }

    /// A watcher in a session of its own that looks every `every` seconds (sooner when the expiry
    /// is nearer) until `expiryFile` is gone — removing it disarms the switch; its process group
    /// id goes to `pidFile`. Returns at once; does nothing while a watcher in `pidFile` lives.
    public static func deadManWatcher(expiryFile: String, action: ShellCommand, pidFile: String, every: Int = 15) -> ShellCommand {
        let file = quote(expiryFile)
        let check = deadManCheck(expiryFile: expiryFile, action: action).text
        let loop = """
            while [ -f \(file) ]; do \(check); \
            s=$(( $(cat \(file) 2>/dev/null || echo 0) - $(date +%s) )); [ "$s" -gt \(every) ] && s=\(every); [ "$s" -lt 1 ] && s=1; sleep "$s"; done
            """
        let start = ShellCommand(text: "{ setsid sh -c \(quote(loop)) > /dev/null 2>&1 < /dev/null & echo $! > \(quote(pidFile)); }")
        return when(processGroupAlive(pidFile: pidFile), then: ShellCommand("true"), otherwise: start)
    }

    /// Run as root at a machine's first boot: adds `publicKey` to `user`'s authorized keys (once;
    /// folder 0700 and file 0600, both the user's), for clouds that put no key on their machines
    /// through the API (Paperspace's startup scripts, TensorDock's cloud-init).
    public static func authorizeKey(_ publicKey: String, forUser user: String) -> ShellCommand {
        let home = #"home="$(getent passwd "# + quote(user) + #" | cut -d: -f6)" && [ -n "$home" ]"#
        let keys = #""$home/.ssh/authorized_keys""#
        return ShellCommand(text: home)
            .then(ShellCommand(text: #"install -d -m 700 "$home/.ssh" && chown "# + quote(user + ":") + #" "$home/.ssh""#))
            // `-e`: a key is never read as options; a file without a final newline gets one first.
            .then(ShellCommand(text: "{ [ ! -s \(keys) ] || [ -z \"$(tail -c 1 \(keys))\" ] || echo >> \(keys); }"))
            .then(ShellCommand(text: "{ grep -qxF -e \(quote(publicKey)) \(keys) 2>/dev/null || printf '%s\\n' \(quote(publicKey)) >> \(keys); }"))
            .then(ShellCommand(text: "chmod 600 \(keys) && chown \(quote(user + ":")) \(keys)"))
    }

    /// Powers the machine off: as root directly, otherwise through `sudo` when it needs no password.
    public static var powerOff: ShellCommand {
        when(ShellCommand(text: #"[ "$(id -u)" -eq 0 ]"#), then: ShellCommand("poweroff"), otherwise: ShellCommand("sudo", "-n", "poweroff"))
    }

    // MARK: systemd

    /// `ExecStart=` running this command with `/bin/sh -c`, escaped for systemd's own parser
    /// (C escapes in double quotes, `%` specifiers and `$` variables doubled).
    public var systemdExecStart: String {
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "%": escaped += "%%"
            case "$": escaped += "$$"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "ExecStart=/bin/sh -c \"\(escaped)\""
    }
}
