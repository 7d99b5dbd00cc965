import Foundation
import RemoteExecution
import RemoteProvidersCore
import Testing

@testable import Workloads

@Suite struct HostsFileTests {
    let key = SSHKeyPair(comment: "host").authorizedKey

    @Test func aFullFileIsRead() throws {
        let hosts = try HostsFile.parse(
            """
            hosts:
              - name: h1
                address: 10.200.0.11
                port: 2222
                user: deploy
                identity_file: keys/id_ed25519
                host_key: "\(key)"
                labels: {gpu_model: RTX4090, gpus: 1, cpus: 16, memory_gb: 64, rack: r7}
              - name: gpu-less
                address: build.example.internal
                user: ci
                identity_file: ~/.ssh/id_ed25519
                service_address: 203.0.113.9
            """, source: "hosts.yaml", folder: "/etc/blueprint", home: "/home/me")
        #expect(hosts.count == 2)
        #expect(hosts[0].endpoint == SSHEndpoint(host: "10.200.0.11", port: 2222, user: "deploy"))
        #expect(hosts[0].identityFile == "/etc/blueprint/keys/id_ed25519")
        #expect(hosts[0].hostKey == (try SSHHostKey(openSSH: key)))
        #expect(hosts[0].labels == HostLabels(cpus: 16, memoryGB: 64, gpus: 1, gpuModel: "RTX4090", other: ["rack": "r7"]))
        #expect(hosts[1].identityFile == "/home/me/.ssh/id_ed25519" && hosts[1].port == 22 && hosts[1].hostKey == nil)
        #expect(hosts[1].serviceAddress == "203.0.113.9" && hosts[1].labels.gpus == 0)
    }

    /// Every problem at once, each with its field path; option-looking values never get through.
    @Test func everyProblemIsReportedWithItsField() throws {
        let error = #expect(throws: ValidationErrors.self) {
            try HostsFile.parse(
                """
                hosts:
                  - name: Bad_Name
                    address: "-oProxyCommand=touch /tmp/x"
                    port: 70000
                    user: "-oProxyCommand=touch"
                    host_key: "not a key"
                    colour: blue
                  - name: twin
                    address: 10.0.0.1
                    user: a
                  - name: twin
                    address: 10.0.0.2
                    user: "b; rm -rf /"
                  - address: 10.0.0.3
                extra: 1
                """, source: "hosts.yaml", folder: "", home: nil)
        }
        let fields = Set(error?.errors.map(\.fieldPath) ?? [])
        #expect(fields.isSuperset(of: [
            "hosts[0].name", "hosts[0].address", "hosts[0].port", "hosts[0].user", "hosts[0].host_key", "hosts[0].colour",
            "hosts[2].user", "hosts[3].name", "hosts[3].user", "extra",
        ]), "\(fields)")
        let twins = #expect(throws: ValidationErrors.self) {
            try HostsFile.parse("hosts:\n  - {name: twin, address: 10.0.0.1, user: a}\n  - {name: twin, address: 10.0.0.2, user: b}\n", source: "h", folder: "", home: nil)
        }
        #expect(twins?.errors.map(\.fieldPath) == ["hosts[1].name"])
        #expect(twins?.errors.first?.rule.contains("unique") == true)
    }

    @Test func labelsDecideWhatAHostCanTake() {
        let plain = HostLabels()
        #expect(plain.shortfall(for: ResourceSpec(cpus: 64, memoryGB: 512)) == nil)
        #expect(plain.shortfall(for: ResourceSpec(gpu: GPURequirement(count: 1))) == "0 GPUs, 1 asked")
        let gpu = HostLabels(cpus: 8, gpus: 2, gpuModel: "RTX4090")
        #expect(gpu.shortfall(for: ResourceSpec(cpus: 16)) == "8 CPUs, 16 asked")
        #expect(gpu.shortfall(for: ResourceSpec(gpu: GPURequirement(count: 2, models: ["rtx4090"]))) == nil)
        #expect(gpu.shortfall(for: ResourceSpec(gpu: GPURequirement(count: 1, models: ["H100"])))?.contains("H100") == true)
    }
}

/// The exact commands of the paths this machine cannot run (nerdctl, systemd, GPUs): each one
/// is the command a host would get.
@Suite struct RuntimeCommandTests {
    let workload = Workload(
        deploymentID: "dabc", service: "llm", replica: 1, image: "vllm/vllm-openai:v0.6.3", command: ["--model", "x y"],
        environment: ["A": "1"], secrets: ["HF_TOKEN": Secret("hf_secret")], ports: [PortMapping(hostPort: 80, containerPort: 8000)],
        cpus: 8, memoryGB: 64, gpus: 2)

    @Test func nerdctlRunsWithGPUsAndLimits() {
        #expect(ContainerCLI.nerdctl.runArgv(workload, image: "vllm/vllm-openai:v0.6.3") == [
            "nerdctl", "run", "--detach", "--name", "bp-dabc-1", "--restart", "unless-stopped", "--pull", "missing",
            "--label", "blueprint-remote.deployment=dabc", "--label", "blueprint-remote.service=llm", "--label", "blueprint-remote.replica=1",
            "--cpus", "8", "--memory", "65536m", "--pids-limit", "4096", "--publish", "80:8000/tcp", "--env", "A", "--env", "HF_TOKEN",
            "--gpus", "2", "--", "vllm/vllm-openai:v0.6.3", "--model", "x y",
        ])
        #expect(ContainerCLI.nerdctl.installCommand == nil)
        #expect(ContainerCLI.nerdctl.removeCommand("bp-dabc-1").text.contains("nerdctl stop --time 10 -- bp-dabc-1 && nerdctl rm --force -- bp-dabc-1"))
        #expect(ContainerCLI.podman.removeCommand("bp-dabc-1").text.contains("podman rm --force --ignore --time 10 -- bp-dabc-1"))
        #expect(ContainerCLI.nerdctl.gpuCheck.text.contains("nvidia-ctk"))
    }

    @Test func podmanGetsGPUsThroughCDIAndTunnelsBindLoopback() {
        var tunnel = workload
        tunnel.exposure = .tunnel
        let argv = ContainerCLI.podman.runArgv(tunnel, image: "img")
        #expect(argv.contains("127.0.0.1:80:8000/tcp"))
        #expect(argv.filter { $0.hasPrefix("nvidia.com/gpu=") } == ["nvidia.com/gpu=0", "nvidia.com/gpu=1"])
        #expect(!argv.contains("--gpus"))
        // No secret value is ever on a command line.
        #expect(!argv.joined(separator: " ").contains("hf_secret"))
        #expect(ContainerCLI.podman.gpuCheck.text.contains("/etc/cdi/nvidia.yaml"))
    }

    @Test func aSystemdUnitRunsTheProgramWithItsLimits() {
        var native = workload
        native.command = ["/opt/server", "--greeting", "100% \"sure\" $HOME\\n"]
        let unit = NativeRuntime.unit(native, home: "/home/deploy", user: true)
        #expect(unit.contains(#"ExecStart=/bin/sh -c ". /home/deploy/.blueprint-remote/bp-dabc-1/env && exec /opt/server --greeting '100%% \"sure\" $$HOME\\n'""#), "\(unit)")
        #expect(unit.contains("CPUQuota=800%\nMemoryMax=65536M\nTasksMax=4096"))
        #expect(unit.contains("Restart=always") && unit.contains("WantedBy=default.target"))
        #expect(NativeRuntime.unit(native, home: "/root", user: false).contains("WantedBy=multi-user.target"))
        #expect(NativeRuntime.systemctl(user: true, "enable", "--now", "bp-dabc-1.service").text == "systemctl --user enable --now bp-dabc-1.service")
    }

    @Test func aCreatedVMInstallsItsRuntimeAtBoot() {
        let docker = RuntimeProbe.bootScript(for: .docker) ?? ""
        #expect(docker.hasPrefix("#!/bin/sh\nset -e\n"))
        #expect(docker.contains("apt-get install -y -q docker.io") && docker.contains("dnf install -y moby-engine"))
        #expect(RuntimeProbe.bootScript(for: .podman)?.contains("apt-get install -y -q podman") == true)
        #expect(RuntimeProbe.bootScript(for: .native) == nil && RuntimeProbe.bootScript(for: .containerd) == nil)
    }

    @Test func theSupervisorKeepsTheProgramInItsOwnGroup() {
        let command = NativeRuntime.superviseCommand(workload).text
        #expect(command.hasPrefix("{ setsid sh -c 'while :; do ( . .blueprint-remote/bp-dabc-1/env && exec --model"))
        #expect(command.contains(">> .blueprint-remote/bp-dabc-1/log 2>&1 < /dev/null & echo $! > .blueprint-remote/bp-dabc-1/pid; }"))
    }
}
