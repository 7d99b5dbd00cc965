import Foundation
import RemoteProvidersCore

/// Which market an offer is bought in.
public enum Market: String, Sendable, Codable {
    case onDemand = "on-demand"
    case spot
}

/// An offer that fits, in one market, at that market's price.
public struct Candidate: Sendable, Equatable {
    public let offer: Offer
    public let market: Market
    /// USD per hour for one replica.
    public let pricePerHour: Double
}
