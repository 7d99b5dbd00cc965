import Foundation
import RemoteProvidersCore

/// One provider's rows of the bundled price snapshot, as text in the format of
/// `docs/CATALOG.md`: `#` header lines (provider, currency, sources), a column row, then one row
/// per instance type with the regions that share its prices.
public struct SnapshotFile: Sendable {
    public let provider: ProviderID
    public let text: String

    public init(provider: ProviderID, text: String) {
        self.provider = provider
        self.text = text
    }

    public static let columns = [
        "region", "zone", "instance_type", "arch", "vcpus", "memory_gb", "disk_gb", "gpu_model", "gpu_count", "gpu_memory_gb",
        "price", "spot_price", "tee", "source",
    ]

    /// A price list a row cites.
    public struct Source: Sendable, Equatable {
        public let url: String
        public let date: Date
    }

    /// The file's offers (one per region of each row), prices converted to USD with `rates`;
    /// every malformed line is reported with its number, none is skipped silently.
    public func parse(rates: CurrencyRates) -> (offers: [Offer], problems: [String]) {
        var offers: [Offer] = []
        var problems: [String] = []
        var sources: [String: Source] = [:]
        var rate = 1.0
        var sawColumns = false
        // Substrings and no Foundation trimming: the snapshot is read at every start of `offers`.
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let trimmed = Self.trimmed(line)
            func problem(_ text: String) { problems.append("\(provider) snapshot line \(number): \(text)") }
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("#") {
                let header = Self.trimmed(trimmed.dropFirst())
                if header.hasPrefix("provider:") {
                    if Self.trimmed(header.dropFirst("provider:".count)) != provider.rawValue {
                        problem("names another provider than \(provider)")
                    }
                } else if header.hasPrefix("currency:") {
                    let code = String(Self.trimmed(header.dropFirst("currency:".count)))
                    if let known = rates.toUSD(code) { rate = known } else { problem("no exchange rate for currency \(code)") }
                } else if header.hasPrefix("source ") {
                    let words = header.split(separator: " ").map(String.init)
                    if words.count == 4, let date = Self.day(words[3]) {
                        sources[words[1]] = Source(url: words[2], date: date)
                    } else {
                        problem("a source line is `# source KEY URL YYYY-MM-DD`")
                    }
                }
                continue
            }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { Self.trimmed($0) }
            if !sawColumns {
                sawColumns = true
                if fields.map(String.init) != Self.columns { problem("the column row must be \(Self.columns.joined(separator: ","))") }
                continue
            }
            guard fields.count == Self.columns.count else {
                problem("has \(fields.count) fields, not \(Self.columns.count)")
                continue
            }
            do {
                let row = try Row(fields, sources: sources, rate: rate)
                for region in fields[0].split(separator: " ") {
                    offers.append(row.offer(provider: provider, region: String(region)))
                }
            } catch let error as RowError {
                problem(error.message)
            } catch {
                problem("\(error)")
            }
        }
        return (offers, problems)
    }

    static func trimmed(_ text: Substring) -> Substring {
        func blank(_ character: Character) -> Bool { character == " " || character == "\t" || character == "\r" }
        var start = text.startIndex
        var end = text.endIndex
        while start < end, blank(text[start]) { start = text.index(after: start) }
        while end > start, blank(text[text.index(before: end)]) { end = text.index(before: end) }
        return text[start..<end]
    }

    /// `YYYY-MM-DD` at midnight UTC, by arithmetic: a Foundation calendar costs milliseconds to
    /// make on Linux, and the snapshot is read at every start of `offers`.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
        let (month, day) = (parts[1], parts[2])
        let year = parts[0] - (month <= 2 ? 1 : 0)
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
    }

    struct RowError: Error {
        let message: String
    }

    /// One data row, checked.
    struct Row {
        let zone: String?
        let type: String
        let arch: CPUArchitecture
        let vcpus: Double?
        let memoryGB: Double?
        let diskGB: Double?
        let gpu: Offer.GPU?
        let price: Double?
        let spotPrice: Double?
        let tee: Bool
        let source: Source
        let sourceKey: String

        init(_ fields: [Substring], sources: [String: Source], rate: Double) throws {
            func number(_ index: Int, optional: Bool = false) throws -> Double? {
                if fields[index].isEmpty {
                    if optional { return nil }
                    throw RowError(message: "\(SnapshotFile.columns[index]) is empty")
                }
                guard let value = Double(fields[index]), value >= 0, value.isFinite else {
                    throw RowError(message: "\(SnapshotFile.columns[index]) '\(fields[index])' is not a number ≥ 0")
                }
                return value
            }
            guard !fields[0].isEmpty else { throw RowError(message: "region is empty") }
            zone = fields[1].isEmpty ? nil : String(fields[1])
            type = String(fields[2])
            guard !type.isEmpty else { throw RowError(message: "instance_type is empty") }
            guard let arch = CPUArchitecture(rawValue: String(fields[3])) else { throw RowError(message: "arch must be x86_64 or arm64") }
            self.arch = arch
            // Empty: sized by the buyer at rent time, or varying by host in a marketplace.
            vcpus = try number(4, optional: true)
            memoryGB = try number(5, optional: true)
            diskGB = try number(6, optional: true)
            let count = Int(try number(8, optional: true) ?? 0)
            if fields[7].isEmpty {
                guard count == 0 else { throw RowError(message: "gpu_count without gpu_model") }
                gpu = nil
            } else {
                guard GPUModel.canonical.contains(String(fields[7])) else {
                    throw RowError(message: "gpu_model '\(fields[7])' is not in the canonical list (GPUModel.canonical)")
                }
                guard count > 0 else { throw RowError(message: "gpu_model without a gpu_count of 1 or more") }
                gpu = Offer.GPU(model: String(fields[7]), count: count, memoryGB: try number(9) ?? 0)
            }
            price = try number(10, optional: true).map { $0 * rate }
            spotPrice = try number(11, optional: true).map { $0 * rate }
            guard price != nil || spotPrice != nil else { throw RowError(message: "has neither price nor spot_price") }
            guard let tee = Bool(String(fields[12])) else { throw RowError(message: "tee must be true or false") }
            self.tee = tee
            guard let source = sources[String(fields[13])] else { throw RowError(message: "source '\(fields[13])' has no `# source` line") }
            self.source = source
            sourceKey = String(fields[13])
        }

        func offer(provider: ProviderID, region: String) -> Offer {
            Offer(
                provider: provider, region: region, zone: zone, instanceType: type, vcpus: vcpus, memoryGB: memoryGB, diskGB: diskGB,
                gpu: gpu, arch: arch, onDemandPrice: price, spotPrice: spotPrice, tee: tee, source: "snapshot \(source.url)",
                observedAt: source.date)
        }
    }
}
