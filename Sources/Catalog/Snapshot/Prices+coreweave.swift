import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let coreweave = SnapshotFile(
        provider: .coreweave,
        text: #"""
        # provider: coreweave
        # currency: USD
        # source list https://www.coreweave.com/pricing 2026-09-20
        # source list2 https://www.coreweave.com/pricing 2026-10-04
        # note: North America on-demand per-instance-hour list prices; spot_price = the 'Spot Price (NA)' figures on the same page; reserved capacity is by contract
        # note: instance_type = CKS Node Pool instanceType id; specs from docs.coreweave.com/platform/instances; disk_gb = included local NVMe (TB x 1000); region any = pick an Availability Zone that lists the type (availability varies by zone)
        # note: list2 rows (extra CPU types) seen in only one transcription of the pricing page; B300/GB300/Vera Rubin are 'Contact sales' and omitted
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        any,,gb200-4x,arm64,144,960,30720,GB200,4,186,42.00,,false,list
        any,,b200-8x,x86_64,128,2048,30720,B200,8,180,68.80,34.11,false,list
        any,,gd-8xh200ib-i128,x86_64,128,2048,30720,H200,8,141,50.44,20.93,false,list
        any,,gd-8xh100ib-i128,x86_64,128,2048,30720,H100-SXM,8,80,49.24,19.71,false,list
        any,,gd-8xa100-i128,x86_64,128,2048,7680,A100-80GB,8,80,21.60,9.65,false,list
        any,,gd-8xl40s-i128,x86_64,128,1024,7680,L40S,8,48,18.00,,false,list
        any,,gd-8xl40-i128,x86_64,128,1024,7680,L40,8,48,10.00,,false,list
        any,,rtxp6000-8x,x86_64,128,1024,7680,RTXPRO6000,8,96,20.00,,false,list
        any,,gd-1xgh200,arm64,72,480,7680,GH200,1,96,6.50,,false,list
        any,,cd-hp-a96-genoa,x86_64,96,768,7680,,0,,6.42,3.50,false,list
        any,,cd-gp-a192-genoa,x86_64,192,1536,7680,,0,,7.78,3.32,false,list
        any,,cd-gp-i96-icelake,x86_64,96,384,6400,,0,,3.36,2.29,false,list
        any,,cd-gp-l-a192-genoa,x86_64,192,1536,30720,,0,,8.86,,false,list2
        any,,cd-hc-a384-genoa,x86_64,384,1536,30720,,0,,7.54,,false,list2
        any,,turin-gp,x86_64,192,1536,7680,,0,,8.18,,false,list2
        any,,turin-gp-l,x86_64,192,1536,30720,,0,,9.31,,false,list2
        any,,cd-gp-i64-erapids,x86_64,64,512,7680,,0,,5.31,,false,list2
        """#)
}
