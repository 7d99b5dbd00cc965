import Foundation

/// Times as the fakes' APIs write them.
enum FakeTime {
    /// RFC 3339 in UTC, whole seconds (`2026-12-06T05:00:00Z`).
    static func iso8601(_ date: Date) -> String { date.formatted(.iso8601) }
}
