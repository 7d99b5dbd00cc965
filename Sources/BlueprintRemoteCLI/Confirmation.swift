import Foundation
import RemoteProviders

/// Whether `up` may go ahead with a plan: nothing is bought unasked. A plan that costs money
/// needs `--yes`, or a "yes" typed at a terminal; one that costs nothing (the user's own hosts)
/// goes ahead.
enum Confirmation {
    enum Decision: Equatable {
        case proceed
        case ask
        case refuse(String)
    }

    static func decide(hourlyPrice: Double?, yes: Bool, interactive: Bool) -> Decision {
        guard let hourlyPrice, hourlyPrice > 0, !yes else { return .proceed }
        if interactive { return .ask }
        return .refuse("this plan costs \(Money.perHour(hourlyPrice))/h and nobody is at a terminal to confirm it: pass --yes (nothing was created)")
    }

    /// Asks on stderr, reads the answer from stdin: only `y` or `yes` goes ahead.
    static func ask(_ question: String) -> Bool {
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }

    /// Applies `decide`: returns to go ahead, throws to stop.
    static func confirm(_ plan: ServicePlan, yes: Bool, json: Bool) throws {
        let interactive = !json && isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1
        switch decide(hourlyPrice: plan.hourlyPrice, yes: yes, interactive: interactive) {
        case .proceed: return
        case .refuse(let reason): throw UsageError(reason, field: "yes")
        case .ask:
            guard ask("Deploy \(plan.service) for \(plan.hourlyPrice.map(Money.perHour) ?? "?")/h?") else {
                throw UsageError("not confirmed: nothing was created", field: "yes")
            }
        }
    }
}
