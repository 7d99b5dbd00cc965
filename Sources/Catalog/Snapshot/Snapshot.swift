import Foundation
import RemoteProvidersCore

/// The bundled price snapshot: the only static price source. Drivers provide live listings, which
/// `catalog refresh` merges over it. Built from the providers' public price lists; every row
/// cites its list and that list's date. Compiled into the binary, so `offers` and `plan` work
/// offline, without credentials, wherever the executable is copied.
public enum Snapshot {
    /// Changes with every edit of the rows below.
    public static let version = "2026.11.29"

    /// Currencies other than USD that some provider bills in.
    public static let rates = CurrencyRates.standard

    public static let files: [SnapshotFile] = [
        SnapshotPrices.aws, SnapshotPrices.gcp, SnapshotPrices.azure, SnapshotPrices.digitalocean, SnapshotPrices.vultr,
        SnapshotPrices.hetzner, SnapshotPrices.lambda, SnapshotPrices.runpod, SnapshotPrices.vastai, SnapshotPrices.lium,
        SnapshotPrices.paperspace, SnapshotPrices.fluidstack, SnapshotPrices.tensordock, SnapshotPrices.crusoe,
        SnapshotPrices.coreweave, SnapshotPrices.primeintellect, SnapshotPrices.akash,
    ] + SnapshotPrices.optional

    /// Every row of every file, and any line that could not be read (none, as the tests prove).
    public static func load() -> (offers: [Offer], problems: [String]) {
        var offers: [Offer] = []
        var problems: [String] = []
        offers.reserveCapacity(4_096)
        for file in files {
            let parsed = file.parse(rates: rates)
            offers += parsed.offers
            problems += parsed.problems
        }
        return (offers, problems)
    }

    /// Providers of PROVIDERS.md that publish no per-hour prices, and why they have no rows.
    public static let unpriced: [ProviderID: String] = SnapshotPrices.unpriced
}

/// The price rows, one file per provider beside this one.
enum SnapshotPrices {}
