import Foundation
import RemoteProvidersCore

/// `BLUEPRINT_REMOTE_CRASH_AT=after-intent|after-create|after-running|after-deploy`: the process
/// kills itself with SIGKILL at that step, in release builds too, so crash tests can prove that
/// `gc` finds and finishes whatever a dead controller left.
public enum CrashPoint: String, Sendable, CaseIterable {
    case afterIntent = "after-intent"
    case afterCreate = "after-create"
    /// When the provider reports the instances running, before the wait for SSH.
    case afterRunning = "after-running"
    case afterDeploy = "after-deploy"

    public static let variable = "BLUEPRINT_REMOTE_CRASH_AT"

    /// Dies here if the environment asks for it.
    static func reached(_ point: CrashPoint, environment: Environment) {
        guard environment[variable] == point.rawValue else { return }
        kill(getpid(), SIGKILL)
    }
}
