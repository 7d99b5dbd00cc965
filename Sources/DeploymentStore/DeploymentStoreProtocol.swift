import Foundation
import RemoteProvidersCore

/// The memory that makes "nothing lost" possible: every deployment, instance, event and lease,
/// written the moment it is known. SQLite by default, PostgreSQL for teams; one contract, one
/// conformance suite.
public protocol DeploymentStore: Sendable {
    /// Made once per store; every resource the tool creates carries it as its owner tag.
    func ownerID() async throws -> String

    // MARK: Deployments

    /// Records intent before anything is bought: state `planned`, a `created` event. A name is
    /// held by one deployment at a time, until it is `failed` or `terminated`.
    func createDeployment(_ new: NewDeployment) async throws -> Deployment
    func deployment(id: String) async throws -> Deployment?
    /// The newest deployment with this name.
    func deployment(named name: String) async throws -> Deployment?
    /// Newest first; `states` empty means all.
    func deployments(in states: Set<DeploymentState>) async throws -> [Deployment]
    /// The same without specs, for lists.
    func deploymentSummaries(in states: Set<DeploymentState>) async throws -> [DeploymentSummary]
    /// Moves to `state` if `DeploymentState.next` allows it, appending a `state` event; refuses otherwise.
    @discardableResult
    func transition(_ id: String, to state: DeploymentState, reason: String) async throws -> Deployment
    /// Moves the expiry (`extend`); `nil` means none (`--no-ttl`).
    @discardableResult
    func setExpiry(_ id: String, _ expiresAt: Date?) async throws -> Deployment
    /// Fixes the price per hour at launch, once the offer is chosen.
    @discardableResult
    func setPrice(_ id: String, _ pricePerHour: Double) async throws -> Deployment

    // MARK: Instances

    /// Records an instance the moment its id is known. Recording the same provider id again
    /// returns the existing record.
    @discardableResult
    func recordInstance(_ record: InstanceRecord) async throws -> InstanceRecord
    @discardableResult
    func updateInstance(_ id: String, _ update: InstanceUpdate) async throws -> InstanceRecord
    /// Moves an instance to `state` only while it is still `expected`, in one transaction;
    /// returns the moved record, or `nil` when it was no longer `expected` (another controller
    /// got there first). Two garbage collectors never terminate the same instance twice.
    func claimInstance(_ id: String, from expected: InstanceRecordState, to state: InstanceRecordState) async throws -> InstanceRecord?
    /// All instances, or one deployment's; oldest first.
    func instances(deploymentID: String?) async throws -> [InstanceRecord]

    // MARK: Events

    /// Appends to a deployment's timeline; the message is redacted first.
    @discardableResult
    func appendEvent(_ deploymentID: String, _ kind: DeploymentEvent.Kind, _ message: String) async throws -> DeploymentEvent
    /// In the order they were appended.
    func events(deploymentID: String) async throws -> [DeploymentEvent]

    // MARK: Leases

    /// Takes the deployment's lease for `duration`. Refused (`StoreError.leaseHeld`) while another
    /// holder's lease is live; an expired lease — or, given `staleAfter`, one not renewed for that
    /// long — is taken over, with an event saying from whom.
    func acquireLease(_ deploymentID: String, holder: String, duration: Duration, staleAfter: Duration?) async throws -> Lease
    /// Extends a held lease; `StoreError.leaseLost` if it expired and someone else took it.
    func renewLease(_ lease: Lease, duration: Duration) async throws -> Lease
    func releaseLease(_ lease: Lease) async throws
    func lease(_ deploymentID: String) async throws -> Lease?

    // MARK: SSH keys

    /// Registers a controller's public key by fingerprint (idempotent).
    func registerKey(_ key: RegisteredKey) async throws
    func registeredKeys() async throws -> [RegisteredKey]

    // MARK: Hosts of the bring-your-own pools

    /// Claims `host` for the deployment, in one transaction: succeeds when it is free, already
    /// this deployment's, or held by a deployment that has ended (`failed`, `terminated`);
    /// otherwise returns the claim that holds it.
    func claimHost(_ host: String, deploymentID: String) async throws -> HostClaim?
    /// Releases the deployment's claim on `host` (nothing if it holds none).
    func releaseHost(_ host: String, deploymentID: String) async throws
    /// Every claim, by host.
    func hostClaims() async throws -> [HostClaim]

    // MARK: Pinned host keys

    func pinnedHostKey(host: String) async throws -> PinnedHostKey?
    /// Pins a key for a host that has none; returns the pin in force (the first one wins).
    @discardableResult
    func pinHostKey(_ key: PinnedHostKey) async throws -> PinnedHostKey
}

extension DeploymentStore {
    /// Takes the lease unless another holder's is live.
    public func acquireLease(_ deploymentID: String, holder: String, duration: Duration) async throws -> Lease {
        try await acquireLease(deploymentID, holder: holder, duration: duration, staleAfter: nil)
    }
}

/// Store failures, with the codes `--json` prints.
public enum StoreError: CodedError, Equatable {
    case notFound(String)
    case illegalTransition(id: String, from: DeploymentState, to: DeploymentState)
    case leaseHeld(deploymentID: String, holder: String, until: Date)
    case leaseLost(deploymentID: String)
    case nameInUse(String)
    case unavailable(String)
    case invalidLocation(String)

    public var code: ErrorCode {
        switch self {
        case .notFound: .notFound
        case .illegalTransition, .leaseHeld, .leaseLost, .nameInUse: .conflict
        case .unavailable: .internal
        case .invalidLocation: .validation
        }
    }

    public var field: String? {
        if case .invalidLocation = self { return "BLUEPRINT_REMOTE_STATE" }
        return nil
    }

    public var message: String {
        switch self {
        case .notFound(let what): "\(what) not found"
        case .illegalTransition(let id, let from, let to):
            "deployment \(id) cannot go from \(from.rawValue) to \(to.rawValue)"
                + (from.next.isEmpty ? "" : "; from \(from.rawValue) it may go to \(from.next.map(\.rawValue).sorted().joined(separator: ", "))")
        case .leaseHeld(let id, let holder, let until):
            "deployment \(id) is being worked on by \(holder) (lease until \(Timestamp.format(until))); try again after that"
        case .leaseLost(let id): "the lease on deployment \(id) expired and was taken by another controller"
        case .nameInUse(let name): "a live deployment is already named \(name); choose another name or bring it down first"
        case .unavailable(let reason): Redactor.standard.redact("the state store is unavailable: \(reason)")
        case .invalidLocation(let reason): reason
        }
    }
}
