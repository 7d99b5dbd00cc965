import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let paperspace = SnapshotFile(
        provider: .paperspace,
        text: #"""
        # provider: paperspace
        # currency: USD
        # source ps https://www.paperspace.com/pricing 2026-09-20
        # note: hourly on-demand machine prices (Paperspace by DigitalOcean); storage is bought separately -> disk_gb empty
        # note: region ids are the datacenter codes: API names are 'East Coast (NY2)' 'Europe (AMS1)' 'West Coast (CA1)' (contain spaces so not used verbatim); per-type availability from docs.digitalocean.com/products/paperspace/machines/details/availability
        # note: Quadro GPUs -> M4000, P4000, P5000, P6000, RTX4000-TURING, RTX5000-TURING; GPU+ is the M4000 machine
        # note: vcpus/memory_gb per machine type from Paperspace's machine-type docs (from memory; 8 vCPU/30 GB for Pascal/Turing/V100 types; 8 vCPU/45 GB for A4000/A5000/A6000)
        # note: H100 / A100 / A100-80G / V100-32G / C-series CPU rows left out: the 2026-09-20 page transcription shows 'H100 $3.09' and 'A100-80G $1.15**' (footnoted commitment price) which could not be matched unambiguously to on-demand machine types
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        ny2 ams1,,GPU+,x86_64,8,30,,M4000,1,8,0.45,,false,ps
        ny2 ams1 ca1,,P4000,x86_64,8,30,,P4000,1,8,0.51,,false,ps
        ny2 ams1 ca1,,RTX4000,x86_64,8,30,,RTX4000-TURING,1,8,0.56,,false,ps
        ny2 ams1 ca1,,P5000,x86_64,8,30,,P5000,1,16,0.78,,false,ps
        ny2,,RTX5000,x86_64,8,30,,RTX5000-TURING,1,16,0.82,,false,ps
        ny2 ams1 ca1,,P6000,x86_64,8,30,,P6000,1,24,1.10,,false,ps
        ny2 ams1 ca1,,A4000,x86_64,8,45,,RTXA4000,1,16,0.76,,false,ps
        ny2 ca1,,A5000,x86_64,8,45,,RTXA5000,1,24,1.38,,false,ps
        ny2 ca1,,A6000,x86_64,8,45,,RTXA6000,1,48,1.89,,false,ps
        ny2 ams1,,V100,x86_64,8,30,,V100-16GB,1,16,2.30,,false,ps
        """#)
}
