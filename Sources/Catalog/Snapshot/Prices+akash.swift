import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let akash = SnapshotFile(
        provider: .akash,
        text: #"""
        # provider: akash
        # currency: USD
        # source list https://akash.network/pricing/gpus/ 2026-09-20
        # note: marketplace (providers bid; paid in AKT or USDC): the page's 'Starting at' per-GPU-hour price in USD, i.e. typical lowest listed price, not a fixed rate
        # note: vCPU/RAM/storage are chosen in the SDL and bid on separately, so they are left empty; instance_type is a descriptive id, not an API id
        # note: omitted models without a canonical name (RTX 8000, Quadro RTX 6000, P40, P2000, M4000, GTX 1050/1050 Ti/1070 Ti, RTX 3090 Ti) and models listed as --/hr
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        any,,1x-B300,x86_64,,,,B300,1,288,6.00,,false,list
        any,,1x-B200,x86_64,,,,B200,1,180,5.00,,false,list
        any,,1x-H200,x86_64,,,,H200,1,141,4.45,,false,list
        any,,1x-H100-SXM,x86_64,,,,H100-SXM,1,80,2.71,,false,list
        any,,1x-A100-80GB-SXM,x86_64,,,,A100-80GB,1,80,1.71,,false,list
        any,,1x-RTXPRO6000-SE,x86_64,,,,RTXPRO6000,1,96,2.04,,false,list
        any,,1x-RTXPRO6000-WE,x86_64,,,,RTXPRO6000,1,96,1.45,,false,list
        any,,1x-RTX5090,x86_64,,,,RTX5090,1,32,0.67,,false,list
        any,,1x-RTX4090,x86_64,,,,RTX4090,1,24,0.39,,false,list
        any,,1x-RTX4080,x86_64,,,,RTX4080,1,16,0.15,,false,list
        any,,1x-RTX4000-ADA,x86_64,,,,RTX4000-ADA,1,20,0.41,,false,list
        any,,1x-RTX3090,x86_64,,,,RTX3090,1,24,0.16,,false,list
        any,,1x-RTX3060,x86_64,,,,RTX3060,1,12,0.14,,false,list
        any,,1x-V100-32GB,x86_64,,,,V100-32GB,1,32,0.17,,false,list
        any,,1x-V100-16GB-SXM2,x86_64,,,,V100-16GB,1,16,0.36,,false,list
        any,,1x-T4,x86_64,,,,T4,1,16,0.15,,false,list
        any,,1x-P4,x86_64,,,,P4,1,8,0.03,,false,list
        """#)
}
