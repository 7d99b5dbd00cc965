/// Where a deployment is in its life. The store refuses any transition not listed in `next`.
///
/// ```
/// planned → provisioning → deploying → healthy → draining → terminated
///    any live state → failed → draining | terminated
/// ```
public enum DeploymentState: String, Sendable, Codable, CaseIterable {
    case planned
    case provisioning
    case deploying
    case healthy
    case draining
    case terminated
    case failed

    /// The states the orchestrator may move to from here.
    public var next: Set<DeploymentState> {
        switch self {
        // A plan that is dropped before anything was bought ends at once.
        case .planned: [.provisioning, .failed, .terminated]
        // Interrupted provisioning drains what it made.
        case .provisioning: [.deploying, .failed, .draining]
        case .deploying: [.healthy, .failed, .draining]
        // An update deploys again; `down` and the TTL sweeper drain.
        case .healthy: [.deploying, .draining, .failed]
        case .draining: [.terminated, .failed]
        // A failed deployment may still hold instances: cleaning up drains them, or ends it when none.
        case .failed: [.draining, .terminated]
        case .terminated: []
        }
    }

    public func canMove(to state: DeploymentState) -> Bool { next.contains(state) }

    /// Holds (or may hold) paid resources.
    public var isLive: Bool { self != .terminated }

    /// Nothing more will happen without a new deployment.
    public var isFinal: Bool { self == .terminated }
}
