import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let lium = SnapshotFile(
        provider: .lium,
        text: #"""
        # provider: lium
        # currency: USD
        # source lium1024 https://lium.io/pricing 2026-10-24
        # note: marketplace of executors (Bittensor subnet 51); each executor sets its own price per GPU-hour; indicative = average of listed per-GPU prices observed on 2026-10-24 (H100: 16 offers; H200: 4 offers) by a third-party tracker (compute-screener); region any
        # note: Lium does not tell H100 SXM from PCIe/NVL in this average; H100-SXM assumed (most Lium H100 executors are SXM nodes) - doubtful
        # note: no dated prices found for A100/RTX 4090/B200/RTX 5090 executors -> omitted
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        any,,1x-H100,x86_64,,,,H100-SXM,1,80,2.64,,false,lium1024
        any,,1x-H200,x86_64,,,,H200,1,141,4.95,,false,lium1024
        """#)
}
