import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let hetzner = SnapshotFile(
        provider: .hetzner,
        text: #"""
        # provider: hetzner
        # currency: EUR
        # source api https://www.hetzner.com/cloud 2026-09-08
        # note: EUR per hour, net (excl. VAT), server price only - the primary IPv4 address is billed separately and is NOT included.
        # note: Hetzner repriced Cloud servers three times in 2026 (portfolio-wide increase 2026-04-01; new rates for new orders and rescales from 2026-06-15) and replaced the cx22/cx32/cx42/cx52 and cpx11..cpx51 types with cx23..cx53 and cpx12..cpx62 from 2025-10. Only cx23 could be confirmed from more than one independent 2026 source: EUR 5.49/month, EUR 0.0088/hour net in fsn1/nbg1/hel1 (server_types/pricing API responses captured 2026-07, and a hetzner.com/cloud transcription of 2026-09-08).
        # note: all other types (cx33..cx53, cpx12..cpx62, cax11..cax41, ccx13..ccx63) and the US (ash, hil) and sin locations are deliberately left out: the stored sources disagree or are single third-party transcriptions. See azure-do-vultr-hetzner-notes.md for the candidate figures.
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        fsn1 nbg1 hel1,,cx23,x86_64,2,4,40,,0,,0.0088,,false,api
        """#)
}
