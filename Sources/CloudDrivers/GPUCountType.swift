/// `<N>x-<GPU>` instance types (`1x-H100`, `2x-geforcertx4090-pcie-24gb`): how N of a GPU is
/// asked for on clouds without fixed instance types (Lium, Vast.ai, TensorDock).
enum GPUCountType {
    static func name(_ gpu: String, count: Int) -> String { "\(count)x-\(gpu)" }

    /// `nil` unless a positive count, `x-`, and a GPU name.
    static func parse(_ type: String) -> (count: Int, gpu: String)? {
        let parts = type.split(separator: "x-", maxSplits: 1)
        guard parts.count == 2, let count = Int(parts[0]), count > 0, !parts[1].isEmpty else { return nil }
        return (count, String(parts[1]))
    }
}
