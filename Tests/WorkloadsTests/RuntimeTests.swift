import Foundation
import RemoteExecution
import RemoteProvidersCore
import TestSupport
import Testing

@testable import Workloads

/// Each runtime for real: Docker and rootful Podman on this machine (the `local` provider), rootless
/// Podman and Docker on the sshd test hosts. Docker is one engine for all of them, so each test has
/// its own ports and deployment id.
@Suite struct RuntimeTests {
    static let image = ProcessInfo.processInfo.environment["BLUEPRINT_TEST_IMAGE"] ?? "localhost/blueprint-test/busybox:1"

    @Test func podmanOnThisMachine() async throws {
        guard requiredService("BLUEPRINT_TEST_PODMAN", "Podman") != nil else { return }
        try await exercise(ContainerRuntime(cli: .podman, host: LocalExecutor()), address: "127.0.0.1", port: 18_101, deployment: "dlocalpodman1")
    }

    @Test func dockerOnThisMachine() async throws {
        guard requiredService("BLUEPRINT_TEST_DOCKER", "Docker") != nil else { return }
        try await exercise(ContainerRuntime(cli: .docker, host: LocalExecutor()), address: "127.0.0.1", port: 18_102, deployment: "dlocaldocker1")
    }

    @Test func rootlessPodmanOverSSH() async throws {
        guard requiredService("BLUEPRINT_TEST_PODMAN", "Podman") != nil, let host = SSHTestHost.all()?.dropFirst().first else { return }
        let ssh = try host.executor()
        try await exercise(ContainerRuntime(cli: .podman, host: ssh), address: host.endpoint.host, port: 18_103, deployment: "dsshpodman001")
        await ssh.close()
    }

    @Test func dockerOverSSH() async throws {
        guard let ports = requiredService("BLUEPRINT_TEST_DOCKER_PORTS_ADDRESS", "Docker"), let host = SSHTestHost.all()?.first else { return }
        let ssh = try host.executor()
        // The one dockerd publishes ports in the root namespace, not on the host's own address.
        try await exercise(ContainerRuntime(cli: .docker, host: ssh), address: ports, port: 18_104, deployment: "dsshdocker001")
        await ssh.close()
    }

    @Test func nativeOverSSH() async throws {
        guard let host = SSHTestHost.all()?.last else { return }
        let ssh = try host.executor()
        try await exercise(NativeRuntime(host: ssh), address: host.endpoint.host, port: 18_105, deployment: "dsshnative001")
        await ssh.close()
    }

    /// An image archive is loaded through the command's standard input; GPUs are refused with the
    /// toolkit named when the host has none (this machine has none).
    @Test func anArchiveIsLoadedAndMissingGPUsAreNamed() async throws {
        guard requiredService("BLUEPRINT_TEST_PODMAN", "Podman") != nil, let archive = requiredService("BLUEPRINT_TEST_IMAGE_TAR", "image archive") else { return }
        let podman = ContainerRuntime(cli: .podman, host: LocalExecutor())
        // The archive `podman save` writes (the services' tarball is a root file system for `import`).
        let saved = URL(fileURLWithPath: archive).deletingLastPathComponent().appendingPathComponent("saved-\(UUID().uuidString.prefix(8)).tar").path
        defer { try? FileManager.default.removeItem(atPath: saved) }
        try await LocalExecutor().check(ShellCommand("podman", "save", "--output", saved, Self.image))
        let loaded = Workload(deploymentID: "darchive00001", service: "web", image: nil, pullPolicy: .never, imageArchive: saved)
        try await podman.prepare(loaded)
        let gpu = Workload(deploymentID: "dgpu000000001", service: "gpu", image: Self.image, command: ["true"], gpus: 1, pullPolicy: .never)
        let error = await #expect(throws: ProviderError.self) { try await podman.start(gpu) }
        #expect(error?.kind == .unsupported && error?.message.contains("nvidia-ctk cdi generate") == true)
        #expect(try await podman.status(gpu).state == .missing)
        let never = Workload(deploymentID: "dnever0000001", service: "web", image: "localhost/not-here:1", pullPolicy: .never)
        let missing = await #expect(throws: ValidationError.self) { try await podman.prepare(never) }
        #expect(missing?.fieldPath == "pull_policy")
    }

    /// The command's arguments reach the program as they are: hostile ones print themselves and
    /// run nothing.
    @Test func hostileCommandArgumentsArriveAsData() async throws {
        guard requiredService("BLUEPRINT_TEST_PODMAN", "Podman") != nil else { return }
        let marker = "/var/tmp/blueprint-args-marker-\(UUID().uuidString.prefix(8))"
        let values = hostileValues.map { $0.replacingOccurrences(of: "MARKER", with: marker) }
        let podman = ContainerRuntime(cli: .podman, host: LocalExecutor())
        let workload = Workload(
            deploymentID: "dargs00000001", service: "args", image: Self.image,
            command: ["sh", "-c", #"for a in "$@"; do printf '%s\0' "$a"; done > /tmp/args; sleep 30"#, "sh"] + values, pullPolicy: .never)
        try await podman.start(workload)
        // Read back with exec, byte for byte (a log would re-split the lines).
        var printed = ""
        for _ in 0..<20 where printed.filter({ $0 == "\0" }).count < values.count {
            printed = try await podman.exec(workload, ["cat", "/tmp/args"], timeout: .seconds(10)).output
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(printed.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init) == values)
        try await podman.remove(workload)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// `logs --follow` streams new lines as they come and ends when its task is cancelled (the
    /// remote `podman logs -f` loses its session).
    @Test func followedLogsStreamUntilCancelled() async throws {
        guard requiredService("BLUEPRINT_TEST_PODMAN", "Podman") != nil, let host = SSHTestHost.all()?.dropFirst(2).first else { return }
        let ssh = try host.executor()
        let podman = ContainerRuntime(cli: .podman, host: ssh)
        let workload = Workload(
            deploymentID: "dfollow000001", service: "ticker", image: Self.image,
            command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done"], pullPolicy: .never)
        try await podman.start(workload)
        let lines = OutputBuffers()
        let following = Task { try await podman.logs(workload, tail: 1, follow: true) { lines.append($0) } }
        var seen = ""
        for _ in 0..<50 where seen.components(separatedBy: "tick-").count < 5 {
            try await Task.sleep(for: .milliseconds(200))
            seen = String(decoding: lines.contents.0, as: UTF8.self)
        }
        following.cancel()
        _ = await following.result
        // Lines kept coming after the first (tail 1), in order.
        let ticks = seen.split(separator: "\n").compactMap { Int($0.dropFirst(5)) }
        #expect(ticks.count >= 4 && ticks == ticks.sorted(), "\(seen)")
        try await podman.remove(workload)
        await ssh.close()
    }

    /// Start with hostile env values, prove it healthy over HTTP from here, read its logs, check
    /// every value arrived byte-exact inside, update the env, remove it.
    func exercise(_ runtime: any ServiceRuntime, address: String, port: Int, deployment: String) async throws {
        let markerDirectory = "/var/tmp/blueprint-marker-\(deployment)"
        let values = hostileValues.map { $0.replacingOccurrences(of: "MARKER", with: "\(markerDirectory)/marker") }
        var environment = Dictionary(uniqueKeysWithValues: values.enumerated().map { ("V\($0.offset)", $0.element) })
        environment["GREETING"] = "hello one"
        let native = runtime.kind == .native
        var workload = Workload(
            deploymentID: deployment, service: "web", image: native ? nil : Self.image,
            command: Self.serverCommand(port: native ? port : 8080, native: native), environment: environment,
            secrets: ["API_TOKEN": Secret("s3cr3t-\(deployment)\nline two")],
            ports: [PortMapping(hostPort: port, containerPort: native ? port : 8080)], cpus: 0.5, memoryGB: 0.25,
            pullPolicy: .never)
        defer { try? FileManager.default.removeItem(atPath: markerDirectory) }
        try FileManager.default.createDirectory(atPath: markerDirectory, withIntermediateDirectories: true)

        try await runtime.prepare(workload)
        try await runtime.start(workload)
        let check = HealthCheck(probe: .http(path: "/", port: port), interval: TimeSpan(seconds: 1), timeout: TimeSpan(seconds: 2), startPeriod: TimeSpan(seconds: 20), retries: 2)
        let prober = HealthProber()
        try await prober.waitUntilHealthy(check, route: { _ in (address, port) }, exec: { [workload] in try await runtime.exec(workload, $0, timeout: $1) })
        #expect(try await runtime.status(workload).state == .running)

        for (name, value) in environment.merging(["API_TOKEN": "s3cr3t-\(deployment)\nline two"], uniquingKeysWith: { $1 }) {
            let printed = try await runtime.exec(workload, Self.printEnvironment(name), timeout: .seconds(20))
            #expect(printed.stdout == Data((value + "\n").utf8), "\(name) in \(runtime.kind)")
        }
        #expect(try await Self.logs(runtime, workload).contains("greeting: hello one"))

        workload.environment["GREETING"] = "hello two"
        try await runtime.start(workload)
        try await prober.waitUntilHealthy(check, route: { _ in (address, port) }, exec: { [workload] in try await runtime.exec(workload, $0, timeout: $1) })
        #expect(try await runtime.exec(workload, Self.printEnvironment("GREETING"), timeout: .seconds(20)).output == "hello two\n")

        try await runtime.remove(workload)
        #expect(try await runtime.status(workload).state == .missing)
        try await runtime.remove(workload)
        #expect(await prober.probe(check, route: { _ in (address, port) }, exec: { _, _ in CommandResult(exitStatus: 1) }) != nil)
        #expect(!FileManager.default.fileExists(atPath: "\(markerDirectory)/marker"))
    }

    /// Prints one variable and a newline, with no shell in between (the image's busybox has no printenv).
    static func printEnvironment(_ name: String) -> [String] {
        ["awk", #"BEGIN { printf "%s\n", ENVIRON[ARGV[1]] }"#, name]
    }

    /// busybox httpd behind a shell that says hello first and ends on TERM (httpd alone ignores it).
    static func serverCommand(port: Int, native: Bool) -> [String] {
        let serve = native ? "mkdir -p www-\(port) && echo ok > www-\(port)/index.html && busybox httpd -f -p \(port) -h www-\(port)" : "httpd -f -p \(port) -h /www"
        return ["sh", "-c", "echo \"greeting: $GREETING\"; trap 'exit 0' TERM; \(serve) & wait"]
    }

    static func logs(_ runtime: any ServiceRuntime, _ workload: Workload) async throws -> String {
        let buffers = OutputBuffers()
        for _ in 0..<20 {
            try await runtime.logs(workload, tail: 50, follow: false) { buffers.append($0) }
            let text = String(decoding: buffers.contents.0 + buffers.contents.1, as: UTF8.self)
            if !text.isEmpty { return text }
            try await Task.sleep(for: .milliseconds(250))
        }
        return ""
    }
}
