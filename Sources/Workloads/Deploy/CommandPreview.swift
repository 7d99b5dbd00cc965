import Foundation
import RemoteExecution
import RemoteProvidersCore
import Synchronization

/// The commands a deploy would run on a host, for `plan`: the runtime's own prepare and start,
/// run against an executor that writes down each command and answers it with success. So the
/// preview cannot drift from what `up` does. Branches that depend on a host's answer take the
/// path of a host that has what is asked for: systemd, a login user whose home is /home/USER.
public enum CommandPreview {
    public static func commands(for spec: ServiceSpec, replica: Int = 0) async -> [String] {
        let runtime = spec.runtime ?? (spec.image == nil ? .native : .docker)
        let recorder = RecordingExecutor()
        // Secrets stay unread: their values never reach a command line, only the env file.
        let secrets = spec.secrets.mapValues { _ in Secret("") }
        let auth = spec.registryAuth.map { ResolvedRegistryAuth(server: $0.server, username: $0.username, password: Secret("")) }
        let workload = Workload(
            deploymentID: "DEPLOYMENT", service: spec.name, replica: replica, image: spec.image, command: spec.command ?? [],
            environment: spec.env, secrets: secrets, ports: spec.ports, cpus: spec.resources.cpus, memoryGB: spec.resources.memoryGB,
            gpus: spec.resources.gpu?.count ?? 0, exposure: spec.exposure.mode, pullPolicy: spec.pullPolicy, registryAuth: auth,
            // The archive's bytes go over stdin; the preview needs only the command that reads them.
            imageArchive: spec.imageArchive == nil ? nil : "/dev/null")
        let host = RuntimeProbe.make(runtime, on: recorder)
        do {
            try await host.prepare(workload)
            try await host.start(workload)
        } catch {
            recorder.note("# then: \(error)")
        }
        return recorder.commands
    }
}

/// Answers every command with success and no output, and keeps its text.
private final class RecordingExecutor: CommandExecutor {
    private let recorded = Mutex<[String]>([])

    var target: String { "HOST" }

    var commands: [String] { recorded.withLock { $0 } }

    func note(_ text: String) { recorded.withLock { $0.append(text) } }

    func run(_ command: ShellCommand, input: Data?, timeout: Duration) async throws -> CommandResult {
        note(command.text + (input == nil ? "" : "  # reads its data from stdin"))
        let answer = command.text == ShellCommand.homeDirectory.text ? "/home/USER" : ""
        return CommandResult(exitStatus: 0, stdout: Data(answer.utf8))
    }

    func stream(_ command: ShellCommand, onOutput: @escaping @Sendable (CommandOutput) -> Void) async throws -> CommandResult {
        note(command.text)
        return CommandResult(exitStatus: 0)
    }

    func close() async {}
}
