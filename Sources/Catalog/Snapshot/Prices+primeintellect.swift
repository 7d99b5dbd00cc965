import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let primeintellect = SnapshotFile(
        provider: .primeintellect,
        text: #"""
        # provider: primeintellect
        # currency: USD
        # source api https://github.com/skypilot-org/skypilot-catalog/blob/master/catalogs/v8/primeintellect/vms.csv 2025-07-24
        # note: marketplace aggregator: each row is the lowest listed on-demand offer for that GPU x count seen in Prime Intellect's availability API (captured in SkyPilot's catalog, PR #132, 2025-06-09..2025-07-24); vCPU/RAM are those of that cheapest offer and differ per underlying provider
        # note: STALE (mid-2025) and indicative only; Prime Intellect publishes no fixed price list - query GET /api/v1/availability for live prices. spot_price = the same upstream provider's spot offer where listed
        # note: instance_type is descriptive (<count>x-<Prime gpu_type id>); disk is chosen at create time
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        any,,1x-H100_80GB,x86_64,30,120,,H100-SXM,1,80,1.97,,false,api
        any,,8x-H100_80GB,x86_64,176,1480,,H100-SXM,8,80,15.77,6.84,false,api
        any,,1x-H200_141GB,x86_64,44,182,,H200,1,141,2.00,0.94,false,api
        any,,8x-H200_141GB,x86_64,176,1450,,H200,8,141,15.97,7.55,false,api
        any,,1x-A100_80GB,x86_64,22,120,,A100-80GB,1,80,1.12,0.53,false,api
        any,,8x-A100_80GB,x86_64,128,1536,,A100-80GB,8,80,8.28,,false,api
        any,,1x-A100_40GB,x86_64,30,200,,A100-40GB,1,40,1.29,,false,api
        any,,8x-B200_180GB,x86_64,160,1792,,B200,8,180,35.20,,false,api
        any,,1x-L40S_48GB,x86_64,20,60,,L40S,1,48,0.91,0.26,false,api
        any,,1x-L40_48GB,x86_64,28,58,,L40,1,48,1.00,,false,api
        any,,1x-RTX6000Ada_48GB,x86_64,10,60,,RTX6000-ADA,1,48,0.83,0.23,false,api
        any,,1x-A6000_48GB,x86_64,10,60,,RTXA6000,1,48,0.47,0.12,false,api
        """#)
}
