import Foundation

/// Rates that turn a provider's billing currency into USD, each with the day it held, stored in
/// the catalog beside the prices it converts.
public struct CurrencyRates: Sendable, Equatable {
    public struct Rate: Sendable, Equatable {
        /// USD for one unit of the currency.
        public let usd: Double
        public let date: String
        public let source: String
    }

    public let rates: [String: Rate]

    public init(_ rates: [String: Rate]) {
        self.rates = rates
    }

    public func toUSD(_ currency: String) -> Double? {
        currency == "USD" ? 1 : rates[currency]?.usd
    }
}
