import Foundation
import RemoteExecution
import RemoteProvidersCore

/// One replica, running and proven healthy.
public struct DeployedReplica: Sendable, Equatable, Codable {
    public var replica: Int
    public var host: String
    /// `nil` where the provider runs the container itself (a container cloud).
    public var runtime: WorkloadRuntime?
    /// `http://address:port` of the first published port, when the service is exposed publicly.
    public var url: String?

    public init(replica: Int, host: String, runtime: WorkloadRuntime?, url: String?) {
        self.replica = replica
        self.host = host
        self.runtime = runtime
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case replica, host, runtime, url
    }
}

/// Puts a workload on a host and proves it healthy: runtime chosen (and installed when allowed),
/// image prepared, workload started, then the spec's health probe until it passes; without a
/// probe, the workload must be seen running and still be running a moment later.
public struct ServiceDeployer: Sendable {
    public let prober: HealthProber
    /// Whether a missing container runtime may be installed (never on a bring-your-own host unasked).
    let installRuntime: Bool
    /// How long a workload without a health check must keep running to count as started.
    public let settle: Duration

    public init(prober: HealthProber = HealthProber(), installRuntime: Bool = false, settle: Duration = .seconds(2)) {
        self.prober = prober
        self.installRuntime = installRuntime
        self.settle = settle
    }

    /// Chooses the runtime on `host`: the spec's, or the host's first.
    public func runtime(for spec: ServiceSpec, on host: HostAccess) async throws -> any ServiceRuntime {
        let requested = spec.runtime ?? (spec.image == nil ? .native : nil)
        return try await RuntimeProbe.runtime(requested, on: host.executor, install: installRuntime)
    }

    public func deploy(_ workload: Workload, spec: ServiceSpec, runtime: any ServiceRuntime, on host: HostAccess) async throws -> DeployedReplica {
        try await runtime.prepare(workload)
        try await runtime.start(workload)
        let tunnel = spec.exposure.mode == .tunnel
        try await host.withRoute(tunnel: tunnel) { route in
            if let check = spec.health {
                // The spec names the container's port; the controller reaches the one it is published on.
                let published: PortRoute = { port in try await route(workload.ports.first { $0.containerPort == port }?.hostPort ?? port) }
                try await prober.waitUntilHealthy(
                    check, route: published, exec: { try await runtime.exec(workload, $0, timeout: $1) },
                    stopIf: { try await Self.ended(runtime.status(workload)) })
            } else {
                try await waitUntilRunning(workload, runtime: runtime)
            }
        }
        // A tunnel has no address of its own, but on this machine its loopback is ours.
        let url = tunnel && host.executor is SSHExecutor ? nil : workload.ports.first.map { port in
            let address = host.serviceAddress.contains(":") ? "[\(host.serviceAddress)]" : host.serviceAddress
            return "http://\(address):\(port.hostPort)"
        }
        return DeployedReplica(replica: workload.replica, host: host.name, runtime: runtime.kind, url: url)
    }

    /// Why the workload is no longer starting, or `nil` while it is.
    static func ended(_ status: WorkloadStatus) -> String? {
        switch status.state {
        case .running, .starting: nil
        case .exited: "the workload exited" + (status.exitCode.map { " with status \($0)" } ?? "") + (status.detail.map { " (\($0))" } ?? "")
        case .missing: "the workload is gone"
        }
    }

    private func waitUntilRunning(_ workload: Workload, runtime: any ServiceRuntime) async throws {
        for _ in 0..<20 {
            let status = try await runtime.status(workload)
            if let reason = Self.ended(status) { throw HealthError(message: reason) }
            if status.state == .running {
                try await Task.sleep(for: settle)
                if let reason = Self.ended(try await runtime.status(workload)) { throw HealthError(message: "\(reason) right after starting") }
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw HealthError(message: "the workload did not start running within 10 seconds")
    }
}
