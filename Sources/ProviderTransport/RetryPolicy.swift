import Foundation

/// When and how long to wait before trying a request again: exponential backoff with full jitter
/// (a random wait between zero and the exponential bound), capped, bounded in attempts and time.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// No retry starts after this much time since the first attempt.
    public var maxElapsed: Duration
    /// A `Retry-After` longer than this is not waited for; the call fails as rate limited instead.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(20),
        maxElapsed: Duration = .seconds(90), maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxElapsed = maxElapsed
        self.maxRetryAfter = maxRetryAfter
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The full-jitter wait before attempt `attempt + 1` (attempts count from 1).
    public func backoff(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(attempt - 1, 30)
        let bound = min(baseDelay.timeInterval * pow(2, Double(exponent)), maxDelay.timeInterval)
        return .seconds(bound * min(max(random, 0), 1))
    }
}

/// `Retry-After` in either form: delay seconds (`120`) or an HTTP-date (`Fri, 31 Dec 1999 23:59:59 GMT`).
public enum RetryAfter {
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int64(text.prefix(9)) {
            return .seconds(seconds)
        }
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return .seconds(max(0, date.timeIntervalSince(now)))
            }
        }
        return nil
    }

    /// IMF-fixdate, then the two obsolete forms RFC 9110 still asks recipients to accept.
    private static let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
}
