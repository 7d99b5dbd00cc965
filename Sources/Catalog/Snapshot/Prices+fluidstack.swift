import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let fluidstack = SnapshotFile(
        provider: .fluidstack,
        text: #"""
        # provider: fluidstack
        # currency: USD
        # source sky https://github.com/skypilot-org/skypilot-catalog/blob/002403bca05e2ab5110637448f3b1654c983d5d5/catalogs/v6/fluidstack/vms.csv 2024-10-04
        # note: STALE (2024) and legacy-API only. Prices are SkyPilot's auto-fetched copy of Fluidstack's legacy public API (GET https://platform.fluidstack.io/list_available_configurations, field price_per_gpu_hr x gpu_count). The file version has no recorded date; 2024-10-04 is the date a SkyPilot user's log (github.com/skypilot-org/skypilot/issues/4044) showed the same Fluidstack row live (A100_PCIE_80GB::1, 28 vCPU, 120 GB, CANADA, $1.8/h). A later, undated version of the same file (commit 7dc0cfec) keeps the same A100 prices (1.80/GPU-h) and H100_NVLINK_80GB::8 at 23.92, but lists A100 in NORTH_DAKOTA_USA GERMANY ARIZONA_USA and no longer lists H100_PCIE_80GB or L40_48GB.
        # note: instance_type is SkyPilot's '<gpu_type>::<gpu_count>' id; gpu_type is the legacy Fluidstack API string. Fluidstack's current API (Atlas, api.atlas.fluidstack.io/api/v1alpha1) sells mostly reserved clusters and may not accept these ids. vCPU/RAM are SkyPilot's hard-coded per-plan minimums (min_cpu_count/min_memory in fetch_fluidstack.py), not measured. Disk unknown (empty).
        # note: H100_NVLINK_80GB mapped to H100-SXM (8x 80 GB NVLink/HGX board); Fluidstack also had a separate H100_SXM5_80GB type, so treat the mapping as an assumption. Regions are the legacy Fluidstack region ids.
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        CANADA NORTH_DAKOTA_USA ARIZONA_USA,,A100_PCIE_80GB::1,x86_64,28,120,,A100-80GB,1,80,1.80,,false,sky
        CANADA NORTH_DAKOTA_USA ARIZONA_USA,,A100_PCIE_80GB::2,x86_64,60,240,,A100-80GB,2,80,3.60,,false,sky
        CANADA NORTH_DAKOTA_USA ARIZONA_USA,,A100_PCIE_80GB::4,x86_64,124,480,,A100-80GB,4,80,7.20,,false,sky
        CANADA NORTH_DAKOTA_USA ARIZONA_USA,,A100_PCIE_80GB::8,x86_64,252,1440,,A100-80GB,8,80,14.40,,false,sky
        UTAH_USA CANADA,,H100_PCIE_80GB::1,x86_64,28,180,,H100-PCIE,1,80,2.89,,false,sky
        UTAH_USA CANADA,,H100_PCIE_80GB::2,x86_64,60,360,,H100-PCIE,2,80,5.78,,false,sky
        UTAH_USA CANADA,,H100_PCIE_80GB::4,x86_64,124,720,,H100-PCIE,4,80,11.56,,false,sky
        FINLAND,,H100_NVLINK_80GB::8,x86_64,252,1440,,H100-SXM,8,80,23.92,,false,sky
        CANADA,,L40_48GB::1,x86_64,32,60,,L40,1,48,1.25,,false,sky
        CANADA,,L40_48GB::2,x86_64,64,120,,L40,2,48,2.50,,false,sky
        CANADA,,L40_48GB::4,x86_64,126,240,,L40,4,48,5.00,,false,sky
        CANADA,,L40_48GB::8,x86_64,252,480,,L40,8,48,10.00,,false,sky
        """#)
}
