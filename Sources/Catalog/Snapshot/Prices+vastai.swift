import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let vastai = SnapshotFile(
        provider: .vastai,
        text: #"""
        # provider: vastai
        # currency: USD
        # source vast1019 https://console.vast.ai/api/v0/bundles/ 2026-10-19
        # source vast1024 https://console.vast.ai/api/v0/bundles/ 2026-10-24
        # source vast1029 https://console.vast.ai/api/v0/bundles/ 2026-10-29
        # note: marketplace: indicative per-offer prices for 1-GPU rentals; hosts set prices and they move daily; location picked at rent time -> region any
        # note: H100 SXM = median of 4 verified rentable 1x on-demand offers (2026-10-19; the average over 16 H100 offers was 2.67 on 2026-10-24); H200 = average of 8 observed offers per GPU (2026-10-24); A100 SXM4 80GB = median verified on-demand per GPU (2026-10-29; it was 1.14 the day before - very volatile)
        # note: figures come from third-party trackers reading the public bundles API (silybench-data; compute-screener; lanternworks gpu-cloud-prices); vcpus/memory/disk differ per host offer -> left empty; interruptible prices not found -> spot_price empty
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        any,,1x-H100-SXM,x86_64,,,,H100-SXM,1,80,2.40,,false,vast1019
        any,,1x-H200,x86_64,,,,H200,1,141,5.58,,false,vast1024
        any,,1x-A100-SXM4-80GB,x86_64,,,,A100-80GB,1,80,1.70,,false,vast1029
        """#)
}
