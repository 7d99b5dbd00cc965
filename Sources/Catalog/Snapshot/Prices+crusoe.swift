import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let crusoe = SnapshotFile(
        provider: .crusoe,
        text: #"""
        # provider: crusoe
        # currency: USD
        # source list https://www.crusoe.ai/cloud/pricing 2026-09-20
        # note: on-demand per-GPU-hour (GPU VMs) and per-vCPU-hour (c1a at 0.04) list prices x count; price is location-independent; spot on the page is 'Contact sales' so spot_price is empty
        # note: vCPU/RAM per type from Crusoe's own API as relayed by Shadeform and Prime Intellect catalogs; H100/H200 8x vCPU/RAM not found in stored sources and left empty
        # note: disk_gb left empty: OS disk is a persistent disk; GPU types carry ephemeral NVMe (7.5 TiB on the 8x A100/H100 nodes, none on L40S) whose size per smaller slice is not documented here
        # note: region lists only locations where the type was seen; check GET /capacities before provisioning. H100/A100 SXM types are sold via reservation (RIPA) per Crusoe support, though the page lists on-demand prices
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        us-east1-a eu-iceland1-a,,h100-80gb-sxm-ib.8x,x86_64,,,,H100-SXM,8,80,31.20,,false,list
        eu-iceland1-a,,h200-141gb-sxm-ib.8x,x86_64,,,,H200,8,141,34.32,,false,list
        us-east1-a,,a100-80gb-sxm-ib.8x,x86_64,96,960,,A100-80GB,8,80,18.40,,false,list
        us-east1-a,,a100-80gb.1x,x86_64,12,120,,A100-80GB,1,80,2.00,,false,list
        us-east1-a,,a100-80gb.2x,x86_64,24,240,,A100-80GB,2,80,4.00,,false,list
        us-east1-a,,a100-80gb.4x,x86_64,48,480,,A100-80GB,4,80,8.00,,false,list
        us-east1-a,,a100-80gb.8x,x86_64,96,960,,A100-80GB,8,80,16.00,,false,list
        us-east1-a us-southcentral1-a,,l40s-48gb.1x,x86_64,8,147,,L40S,1,48,1.50,,false,list
        us-east1-a us-southcentral1-a,,l40s-48gb.2x,x86_64,16,294,,L40S,2,48,3.00,,false,list
        us-east1-a us-southcentral1-a,,l40s-48gb.4x,x86_64,32,588,,L40S,4,48,6.00,,false,list
        us-east1-a us-southcentral1-a,,l40s-48gb.8x,x86_64,64,1176,,L40S,8,48,12.00,,false,list
        us-east1-a us-southcentral1-a,,l40s-48gb.10x,x86_64,80,1470,,L40S,10,48,15.00,,false,list
        us-east1-a us-southcentral1-a eu-iceland1-a,,c1a.2x,x86_64,2,8,,,0,,0.08,,false,list
        us-east1-a us-southcentral1-a eu-iceland1-a,,c1a.4x,x86_64,4,16,,,0,,0.16,,false,list
        us-east1-a us-southcentral1-a eu-iceland1-a,,c1a.8x,x86_64,8,32,,,0,,0.32,,false,list
        us-east1-a us-southcentral1-a eu-iceland1-a,,c1a.16x,x86_64,16,64,,,0,,0.64,,false,list
        """#)
}
