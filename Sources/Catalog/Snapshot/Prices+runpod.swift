import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let runpod = SnapshotFile(
        provider: .runpod,
        text: #"""
        # provider: runpod
        # currency: USD
        # source rp1109 https://www.runpod.io/pricing 2026-11-09
        # source rp1007 https://www.runpod.io/pricing 2026-10-07
        # source rp0819 https://www.runpod.io/pricing 2026-08-19
        # note: one row per GPU type id (gpuTypeId exactly as the REST API takes it) for 1 GPU; region `secure` = Secure Cloud on-demand price; region `community` = Community Cloud on-demand price (not a spot price); spot_price left empty
        # note: figures are the runpod.io pricing page as transcribed by third parties on the dated days (2026-11-09 data-receipts; 2026-10-07 api-evangelist; 2026-08-19 privum dataset); RunPod raised several Secure prices during 2026 (H100 SXM 3.29 in Aug -> 3.49 Sep/Oct -> 3.99 Oct/Nov)
        # note: vcpus/memory_gb = the per-GPU allocation shown on the pricing page for Secure Cloud where it was transcribed; empty where unknown; pod container/volume disk is sized and billed separately -> disk_gb empty
        # note: consumer/workstation GPUs (RTX 4090/5090/3090 A6000 L40S L4 ...) omitted: no dated 2026 price found
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        secure,,NVIDIA H100 80GB HBM3,x86_64,20,125,,H100-SXM,1,80,3.99,,false,rp1109
        community,,NVIDIA H100 80GB HBM3,x86_64,,,,H100-SXM,1,80,2.69,,false,rp1109
        secure,,NVIDIA H100 PCIe,x86_64,,,,H100-PCIE,1,80,2.89,,false,rp1109
        community,,NVIDIA H100 PCIe,x86_64,,,,H100-PCIE,1,80,1.99,,false,rp1109
        secure,,NVIDIA H100 NVL,x86_64,,,,H100-NVL,1,94,3.19,,false,rp1109
        community,,NVIDIA H100 NVL,x86_64,,,,H100-NVL,1,94,2.59,,false,rp1109
        secure,,NVIDIA A100 80GB PCIe,x86_64,,,,A100-80GB,1,80,1.79,,false,rp1109
        community,,NVIDIA A100 80GB PCIe,x86_64,,,,A100-80GB,1,80,1.19,,false,rp1109
        secure,,NVIDIA A100-SXM4-80GB,x86_64,,,,A100-80GB,1,80,1.79,,false,rp1109
        community,,NVIDIA A100-SXM4-80GB,x86_64,,,,A100-80GB,1,80,1.39,,false,rp1109
        secure,,NVIDIA H200,x86_64,24,276,,H200,1,141,4.59,,false,rp1007
        secure,,NVIDIA B200,x86_64,28,283,,B200,1,180,6.79,,false,rp1007
        community,,NVIDIA B200,x86_64,,,,B200,1,180,5.98,,false,rp0819
        secure,,NVIDIA B300 SXM6 AC,x86_64,32,251,,B300,1,288,7.89,,false,rp1007
        community,,NVIDIA B300 SXM6 AC,x86_64,,,,B300,1,288,6.94,,false,rp0819
        secure,,NVIDIA A40,x86_64,,,,A40,1,48,0.44,,false,rp0819
        """#)
}
