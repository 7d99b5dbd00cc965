import Foundation

enum Money {
    /// `$0.0832`: four decimals, as cloud price lists quote hourly prices. Built by hand because
    /// `String(format:)` costs microseconds each and `status` prints thousands.
    static func perHour(_ value: Double) -> String {
        let tenThousandths = Int((value * 10_000).rounded())
        let fraction = String(tenThousandths % 10_000)
        return "$\(tenThousandths / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    /// `$16.10`: a total over hours.
    static func total(_ amount: Double) -> String { String(format: "$%.2f", amount) }

    /// `4`, `0.5`, `3.8`; `-` for unknown.
    static func amount(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.1f", value)
    }
}
