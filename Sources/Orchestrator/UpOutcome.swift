import DeploymentStore
import Foundation
import RemoteProvidersCore
import Workloads

/// A replica that did not come up, and why.
public struct ReplicaFailure: Error, Sendable, Equatable, Codable {
    public var replica: Int
    public var host: String?
    public var code: ErrorCode
    public var message: String

    public init(replica: Int, host: String?, code: ErrorCode, message: String) {
        self.replica = replica
        self.host = host
        self.code = code
        self.message = message
    }
}

/// What `up` did: every replica's result, each host's own.
public struct UpOutcome: Sendable, Codable {
    public var deploymentID: String
    public var name: String
    public var state: DeploymentState
    public var replicas: [DeployedReplica]
    public var failures: [ReplicaFailure]

    public init(deploymentID: String, name: String, state: DeploymentState, replicas: [DeployedReplica], failures: [ReplicaFailure]) {
        self.deploymentID = deploymentID
        self.name = name
        self.state = state
        self.replicas = replicas
        self.failures = failures
    }

    enum CodingKeys: String, CodingKey {
        case name, state, replicas, failures
        case deploymentID = "id"
    }
}
