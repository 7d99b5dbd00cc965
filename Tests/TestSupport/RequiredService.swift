import Foundation
import Testing

/// A real service the tests need, found through the variable `scripts/test-services` exports.
/// In CI a missing service fails the test; elsewhere the test is skipped, saying why.
public func requiredService(_ variable: String, _ name: String) -> String? {
    if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
    let reason = "\(name) is not running (\(variable) unset): run scripts/test, or scripts/test-services start"
    if ProcessInfo.processInfo.environment["CI"] != nil {
        Issue.record(Comment(rawValue: reason))
    } else {
        print("skipping: \(reason)")
    }
    return nil
}
