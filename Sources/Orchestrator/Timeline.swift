import DeploymentStore
import Foundation
import RemoteProvidersCore

/// A deployment's timeline as it happens: every step appended to the store's events and, for a
/// person watching, handed to `progress` with the time since the start.
public struct Timeline: Sendable {
    let store: any DeploymentStore
    /// `nil` for work on instances no deployment owns (orphans `gc` found): shown, not stored.
    let deploymentID: String?
    let started: ContinuousClock.Instant
    let progress: @Sendable (String) -> Void

    init(store: any DeploymentStore, deploymentID: String?, progress: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.deploymentID = deploymentID
        started = .now
        self.progress = progress
    }

    /// Appends the event; a store that cannot take it is not a reason to stop the work it describes.
    func record(_ kind: DeploymentEvent.Kind, _ message: String) async {
        show(message)
        guard let deploymentID else { return }
        _ = try? await store.appendEvent(deploymentID, kind, message)
    }

    func transition(to state: DeploymentState, reason: String) async throws {
        guard let deploymentID else { return }
        try await store.transition(deploymentID, to: state, reason: reason)
        show("\(state.rawValue): \(reason)")
    }

    /// `[  12.3s] message`: the time since `up` began, so slow steps stand out.
    private func show(_ message: String) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        progress(String(format: "[%6.1fs] ", seconds) + Redactor.standard.redact(message))
    }
}
