import RemoteProvidersCore
import Testing

@Suite struct GPUModelTests {
    @Test func providersNamesBecomeCanonical() {
        let cases: [(String, Double?, String)] = [
            ("NVIDIA H100 80GB HBM3", nil, "H100-SXM"), ("NVIDIA H100 PCIe", nil, "H100-PCIE"), ("NVIDIA H100 NVL", nil, "H100-NVL"),
            ("A100-SXM4-80GB", nil, "A100-80GB"), ("A100", 40, "A100-40GB"), ("NVIDIA A100 80GB PCIe", nil, "A100-80GB"),
            ("Tesla T4", nil, "T4"), ("A10G", nil, "A10G"), ("A10", nil, "A10"), ("L40S", nil, "L40S"), ("L40", nil, "L40"), ("L4", nil, "L4"),
            ("NVIDIA GeForce RTX 4090", nil, "RTX4090"), ("RTX A6000", nil, "RTXA6000"), ("NVIDIA RTX 6000 Ada Generation", nil, "RTX6000-ADA"),
            ("Tesla V100-SXM2-16GB", nil, "V100-16GB"), ("V100", 32, "V100-32GB"), ("AMD Instinct MI300X", nil, "MI300X"),
            ("Radeon Pro V520", nil, "V520"), ("h100-sxm", nil, "H100-SXM"),
        ]
        for (name, memory, expected) in cases {
            #expect(GPUModel.normalize(name, memoryGB: memory) == expected, "\(name)")
        }
        #expect(GPUModel.normalize("Gaudi 2") == nil)
    }

    @Test func aFamilyMatchesItsVariantsAndAVariantOnlyItself() {
        #expect(GPUModel.matching("H100") == ["H100-SXM", "H100-PCIE", "H100-NVL"])
        #expect(GPUModel.matching("h100-sxm") == ["H100-SXM"])
        #expect(GPUModel.matching("A100") == ["A100-40GB", "A100-80GB"])
        #expect(GPUModel.matching("A10") == ["A10"], "A10 is its own family, not A100's or A10G's")
        #expect(GPUModel.matching("RTX4090") == ["RTX4090"])
        #expect(GPUModel.matching("quantum") == nil)
    }

    @Test func everyCanonicalNameIsItsOwnNormalForm() {
        for model in GPUModel.canonical {
            #expect(GPUModel.normalize(model) == model)
            #expect(GPUModel.matching(model) == [model])
        }
    }
}
