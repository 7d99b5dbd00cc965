import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let digitalocean = SnapshotFile(
        provider: .digitalocean,
        text: #"""
        # provider: digitalocean
        # currency: USD
        # source basic https://www.digitalocean.com/pricing/droplets 2026-09-09
        # source list https://www.digitalocean.com/pricing/droplets 2025-06-01
        # source gpu https://docs.digitalocean.com/products/droplets/details/pricing/ 2026-05-28
        # source gpu25 https://docs.digitalocean.com/products/droplets/details/pricing/ 2025-04-22
        # note: hourly = DO's published hourly rate (monthly price / 672 h); CPU Droplets are billed per second since 2026 at the same rate; same price in every region.
        # note: 'basic' rows (Basic Regular s-*) match DO's pricing page as transcribed on 2026-09-09 ($4/6/12/18/24/48/96 per month, disks 10/25/50/60/80/160/320 GB).
        # note: 'list' rows (Premium AMD/Intel, General Purpose g-*, CPU-Optimized c-*, Memory-Optimized m-*) are DO list prices from our own knowledge of the pricing page (unchanged since the July 2022 repricing as far as we know); partially corroborated (g-2vcpu-8gb $63, g-16vcpu-64gb $504, g-32vcpu-128gb $1008, c-2 $42, c-4 $84) by API-derived data; not re-verified against a 2026 page.
        # note: GPU prices per Droplet from DO's Droplet pricing doc (validated 2026-05-28): H100 $3.39, H100x8 $23.92, L40S $1.57, MI300X $1.99, MI300X x8 $15.92; RTX 4000 Ada $0.76 and RTX 6000 Ada $1.89 from the 2025-04-22 version of the same page (the 2026 copy was truncated there; DO's 2026 pricing page still says on-demand GPUs from $0.76/GPU/h). The OpenAPI example price for gpu-h100x1-80gb (6.74) is the stale pre-2025 rate.
        # note: GPU disk_gb = boot disk (H100/MI300X also have a separately listed scratch NVMe disk: 5 TiB per x1, 40 TiB per x8). GPU regions as DO lists for GPU Droplets (nyc2 tor1 atl1); MI300X atl1 only; per-plan availability varies, check /v2/sizes.
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-1vcpu-512mb-10gb,x86_64,1,0.5,10,,0,,0.00595,,false,basic
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-1vcpu-1gb,x86_64,1,1,25,,0,,0.00893,,false,basic
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-1vcpu-2gb,x86_64,1,2,50,,0,,0.01786,,false,basic
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-2vcpu-2gb,x86_64,2,2,60,,0,,0.02679,,false,basic
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-2vcpu-4gb,x86_64,2,4,80,,0,,0.03571,,false,basic
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-4vcpu-8gb,x86_64,4,8,160,,0,,0.07143,,false,basic
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-8vcpu-16gb,x86_64,8,16,320,,0,,0.14286,,false,basic
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-1vcpu-1gb-amd,x86_64,1,1,25,,0,,0.01042,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-1vcpu-2gb-amd,x86_64,1,2,50,,0,,0.02083,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-2vcpu-2gb-amd,x86_64,2,2,60,,0,,0.03125,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-2vcpu-4gb-amd,x86_64,2,4,80,,0,,0.04167,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-4vcpu-8gb-amd,x86_64,4,8,160,,0,,0.08333,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-8vcpu-16gb-amd,x86_64,8,16,320,,0,,0.16667,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-1vcpu-1gb-intel,x86_64,1,1,25,,0,,0.01042,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-1vcpu-2gb-intel,x86_64,1,2,50,,0,,0.02083,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-2vcpu-2gb-intel,x86_64,2,2,60,,0,,0.03125,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-2vcpu-4gb-intel,x86_64,2,4,80,,0,,0.04167,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-4vcpu-8gb-intel,x86_64,4,8,160,,0,,0.08333,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,s-8vcpu-16gb-intel,x86_64,8,16,320,,0,,0.16667,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,g-2vcpu-8gb,x86_64,2,8,25,,0,,0.09375,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,g-4vcpu-16gb,x86_64,4,16,50,,0,,0.1875,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,g-8vcpu-32gb,x86_64,8,32,100,,0,,0.375,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,g-16vcpu-64gb,x86_64,16,64,200,,0,,0.75,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,g-32vcpu-128gb,x86_64,32,128,400,,0,,1.5,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,c-2,x86_64,2,4,25,,0,,0.0625,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,c-4,x86_64,4,8,50,,0,,0.125,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,c-8,x86_64,8,16,100,,0,,0.25,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,c-16,x86_64,16,32,200,,0,,0.5,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,c-32,x86_64,32,64,400,,0,,1.0,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,m-2vcpu-16gb,x86_64,2,16,50,,0,,0.125,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,m-4vcpu-32gb,x86_64,4,32,100,,0,,0.25,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,m-8vcpu-64gb,x86_64,8,64,200,,0,,0.5,,false,list
        nyc1 nyc3 sfo3 ams3 sgp1 lon1 fra1 tor1 blr1 syd1,,m-16vcpu-128gb,x86_64,16,128,400,,0,,1.0,,false,list
        nyc2 tor1 atl1,,gpu-h100x1-80gb,x86_64,20,240,720,H100-SXM,1,80,3.39,,false,gpu
        nyc2 tor1 atl1,,gpu-h100x8-640gb,x86_64,160,1920,2046,H100-SXM,8,80,23.92,,false,gpu
        nyc2 tor1 atl1,,gpu-l40sx1-48gb,x86_64,8,64,500,L40S,1,48,1.57,,false,gpu
        nyc2 tor1 atl1,,gpu-rtx4000x1-20gb,x86_64,8,32,500,RTX4000-ADA,1,20,0.76,,false,gpu25
        nyc2 tor1 atl1,,gpu-rtx6000adax1-48gb,x86_64,8,64,500,RTX6000-ADA,1,48,1.89,,false,gpu25
        atl1,,gpu-mi300x1-192gb,x86_64,20,240,720,MI300X,1,192,1.99,,false,gpu
        atl1,,gpu-mi300x8-1536gb,x86_64,160,1920,2046,MI300X,8,192,15.92,,false,gpu
        """#)
}
