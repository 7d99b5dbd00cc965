import RemoteProvidersCore

extension SnapshotPrices {
    /// Files for providers whose prices are not always published (none at the moment).
    static let optional: [SnapshotFile] = []

    static let unpriced: [ProviderID: String] = [
        .render: "Render Network publishes no per-hour machine prices (jobs are priced per OctaneBench-hour, paid in RENDER tokens)",
        .ionet: "io.net publishes no price list: its prices are live quotes (GET /price of its API, in USDC); they arrive with catalog refresh once its driver exists",
    ]
}
