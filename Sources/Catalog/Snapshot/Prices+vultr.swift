import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let vultr = SnapshotFile(
        provider: .vultr,
        text: #"""
        # provider: vultr
        # currency: USD
        # source list https://www.vultr.com/pricing/ 2025-06-01
        # source spec https://github.com/vultr/vultr-python-client/blob/8cd1eaf/openapi-client/swagger.json 2025-08-13
        # note: hourly rates are Vultr's published hourly price (monthly cap / 672 h, rounded to 0.001 as Vultr shows it); same price in the listed locations.
        # note: 'list' rows are Vultr Cloud Compute (Regular Performance, vc2-*) list prices from our own knowledge of the pricing page ($5/$10/$20/$40/$80 per month), corroborated by several API-shaped fixtures ($5 with 0.007/h and $20 with 0.030/h for vc2-1c-1gb / vc2-2c-4gb); not re-verified against a 2026 page - one 2026 fixture shows vc2-1c-1gb at $6, so treat as possibly stale.
        # note: vhf-8c-32gb: $192/month and 512 GB disk from the /plans response example in Vultr's OpenAPI document (2025-08-13); hourly derived as 192/672. Examples can be stale.
        # note: not included for lack of a reliable price: other vc2/vhf sizes, vhp-*, voc-* and all Cloud GPU (vcg-*) plans.
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        ewr ord dfw lax sjc atl mia sea ams fra lhr cdg nrt sgp syd,,vc2-1c-1gb,x86_64,1,1,25,,0,,0.007,,false,list
        ewr ord dfw lax sjc atl mia sea ams fra lhr cdg nrt sgp syd,,vc2-1c-2gb,x86_64,1,2,55,,0,,0.015,,false,list
        ewr ord dfw lax sjc atl mia sea ams fra lhr cdg nrt sgp syd,,vc2-2c-4gb,x86_64,2,4,80,,0,,0.030,,false,list
        ewr ord dfw lax sjc atl mia sea ams fra lhr cdg nrt sgp syd,,vc2-4c-8gb,x86_64,4,8,160,,0,,0.060,,false,list
        ewr ord dfw lax sjc atl mia sea ams fra lhr cdg nrt sgp syd,,vc2-6c-16gb,x86_64,6,16,320,,0,,0.119,,false,list
        ewr ord dfw lax sjc atl mia sea ams fra lhr cdg nrt sgp syd,,vhf-8c-32gb,x86_64,8,32,512,,0,,0.286,,false,spec
        """#)
}
