import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let tensordock = SnapshotFile(
        provider: .tensordock,
        text: #"""
        # provider: tensordock
        # currency: USD
        # source td https://marketplace.tensordock.com 2026-09-20
        # note: marketplace (v2): hosts price each resource; the figures are the 'From $X/hr' starting prices on the marketplace landing page (indicative lowest GPU-hour price; vCPU/RAM/disk are added per host and billed separately -> empty); location chosen at deploy time -> region any
        # note: the page says only 'A100 SXM4'; 80 GB assumed (TensorDock's A100 SXM4 listings are 80 GB) - doubtful; instance_type ids are descriptive, the v2 API uses per-host GPU ids such as h100-sxm5-80gb / geforcertx4090-pcie-24gb
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        any,,1x-H100-SXM5-80GB,x86_64,,,,H100-SXM,1,80,2.25,,false,td
        any,,1x-A100-SXM4-80GB,x86_64,,,,A100-80GB,1,80,1.80,,false,td
        any,,1x-RTX4090,x86_64,,,,RTX4090,1,24,0.35,,false,td
        """#)
}
