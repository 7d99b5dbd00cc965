/// GPU models under one canonical list, so `H100` means the same thing in every provider's listing.
///
/// A canonical name is `FAMILY` or `FAMILY-VARIANT` (`H100-SXM`, `A100-80GB`); asking for a family
/// matches all its variants, asking for a variant matches only it.
public enum GPUModel {
    /// Every canonical name, in rough order of capability.
    public static let canonical: [String] = [
        "GB200", "B300", "B200", "H200", "GH200", "H100-SXM", "H100-NVL", "H100-PCIE", "A100-80GB", "A100-40GB",
        "MI325X", "MI300X", "MI250X", "MI250", "L40S", "L40", "A40", "A30", "A10G", "A10", "A16", "L4", "T4",
        "V100-32GB", "V100-16GB", "P100", "P4", "K80", "M60", "V520",
        "RTXPRO6000", "RTX6000-ADA", "RTX5000-ADA", "RTX4000-ADA", "RTX2000-ADA",
        "RTXA6000", "RTXA5000", "RTXA4500", "RTXA4000", "RTX8000-TURING", "RTX6000-TURING", "RTX5000-TURING", "RTX4000-TURING",
        "P6000", "P5000", "P4000", "M4000",
        "RTX5090", "RTX5080", "RTX4090", "RTX4080", "RTX4070TI", "RTX3090", "RTX3080", "RTX3070", "RTX3060",
    ]

    private static let canonicalSet = Set(canonical)

    /// For messages: every family, and the variants that have one.
    public static var knownNames: String {
        let families = canonical.map(family(of:)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return families.joined(separator: ", ") + " (variants: " + canonical.filter { $0.contains("-") }.joined(separator: ", ") + ")"
    }

    /// `H100-SXM` → `H100`; a name without a variant is its own family.
    public static func family(of model: String) -> String {
        model.split(separator: "-", maxSplits: 1).first.map(String.init) ?? model
    }

    public static let families: Set<String> = Set(canonical.map(family(of:)))

    /// The canonical models a request names: a family gives all its variants, a variant itself.
    /// `nil` for a name that is neither.
    public static func matching(_ requested: String) -> Set<String>? {
        let key = squash(requested)
        if let exact = canonical.first(where: { squash($0) == key }) { return [exact] }
        if let alias = aliases[key] { return [alias] }
        let members = canonical.filter { squash(family(of: $0)) == key }
        return members.isEmpty ? nil : Set(members)
    }

    /// A provider's name for a GPU (`NVIDIA H100 80GB HBM3`, `a100-sxm4-40gb`, `Tesla T4`) as a
    /// canonical one; `memoryGB` tells variants apart where the name does not. `nil` when unknown.
    public static func normalize(_ name: String, memoryGB: Double? = nil) -> String? {
        var key = squash(name)
        if let alias = aliases[key] { return alias }
        // Vendor and brand words, in the order they appear (`NVIDIA GeForce RTX 4090`).
        for prefix in ["NVIDIA", "GEFORCE", "TESLA", "QUADRO", "AMDINSTINCT", "AMDRADEONPRO", "AMD", "RADEONPRO", "INSTINCT"] where key.hasPrefix(prefix) {
            key.removeFirst(prefix.count)
        }
        if let exact = canonical.first(where: { squash($0) == key }) { return exact }
        if let alias = aliases[key] { return alias }
        // Longest canonical family the name starts with, then a variant from the rest or the memory.
        let family = families.filter { key.hasPrefix(squash($0)) }.max { $0.count < $1.count }
        guard let family else { return nil }
        let rest = String(key.dropFirst(squash(family).count))
        let variants = canonical.filter { Self.family(of: $0) == family && $0 != family }
        if variants.isEmpty { return canonicalSet.contains(family) ? family : nil }
        for variant in variants {
            let tag = squash(String(variant.dropFirst(family.count + 1)))
            if rest.contains(tag) { return variant }
        }
        if let memoryGB, memoryGB > 0 {
            // The variant whose memory is nearest: A100 40 vs 80 GB, V100 16 vs 32 GB.
            let sized = variants.compactMap { variant -> (String, Double)? in
                guard let gb = Double(variant.dropFirst(family.count + 1).replacingOccurrences(of: "GB", with: "")) else { return nil }
                return (variant, abs(gb - memoryGB))
            }
            if let nearest = sized.min(by: { $0.1 < $1.1 }) { return nearest.0 }
        }
        return defaultVariant[family]
    }

    /// Upper case, letters and digits only.
    private static func squash(_ text: String) -> String {
        String(text.uppercased().unicodeScalars.filter { ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") }.map(Character.init))
    }

    /// Names that neither match a canonical name nor start with a family's.
    private static let aliases: [String: String] = [
        "RTX6000ADA": "RTX6000-ADA", "RTX6000ADAGENERATION": "RTX6000-ADA", "L40SADA": "L40S",
        "RTXPRO6000BLACKWELL": "RTXPRO6000", "RTXPRO6000BLACKWELLSERVEREDITION": "RTXPRO6000",
        "RTXPRO6000BLACKWELLWORKSTATIONEDITION": "RTXPRO6000", "RADEONPROV520": "V520",
        "A6000": "RTXA6000", "A5000": "RTXA5000", "A4500": "RTXA4500", "A4000": "RTXA4000",
        "RTX4000SFFADA": "RTX4000-ADA", "RTX4000ADAGENERATION": "RTX4000-ADA", "RTX5000ADAGENERATION": "RTX5000-ADA",
        "RTX2000ADAGENERATION": "RTX2000-ADA", "4090": "RTX4090", "3090": "RTX3090", "5090": "RTX5090",
        // Quadro RTX cards are Turing; the same number without "Quadro" is the Ada card.
        "QUADRORTX8000": "RTX8000-TURING", "QUADRORTX6000": "RTX6000-TURING", "QUADRORTX5000": "RTX5000-TURING",
        "QUADRORTX4000": "RTX4000-TURING", "NVIDIAQUADRORTX6000": "RTX6000-TURING", "NVIDIAQUADRORTX8000": "RTX8000-TURING",
    ]

    /// Where a listing names only the family and gives no memory: the variant that family is
    /// sold as most often.
    private static let defaultVariant: [String: String] = [
        "H100": "H100-SXM", "A100": "A100-80GB", "V100": "V100-16GB", "RTX6000": "RTX6000-ADA", "RTX5000": "RTX5000-ADA",
        "RTX4000": "RTX4000-ADA",
    ]
}
