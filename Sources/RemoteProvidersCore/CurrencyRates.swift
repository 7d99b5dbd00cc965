import Foundation

/// Rates that turn a provider's billing currency into USD, each with the day it held: the bundled
/// snapshot's prices and a live listing in another currency (Hetzner's euros) are converted at them.
public struct CurrencyRates: Sendable, Equatable {
    public struct Rate: Sendable, Equatable {
        /// USD for one unit of the currency.
        public let usd: Double
        public let date: String
        public let source: String

        public init(usd: Double, date: String, source: String) {
            self.usd = usd
            self.date = date
            self.source = source
        }
    }

    public let rates: [String: Rate]

    public init(_ rates: [String: Rate]) {
        self.rates = rates
    }

    public func toUSD(_ currency: String) -> Double? {
        currency == "USD" ? 1 : rates[currency]?.usd
    }
}

extension CurrencyRates {
    /// The euro rate of the day the snapshot was made (the ECB reference rate); Hetzner bills in euros.
    public static let standard = CurrencyRates([
        "EUR": Rate(usd: 1.1133, date: "2026-10-28", source: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml")
    ])
}
