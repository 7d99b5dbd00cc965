import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let lambda = SnapshotFile(
        provider: .lambda,
        text: #"""
        # provider: lambda
        # currency: USD
        # source lambda https://lambda.ai/instances 2026-09-20
        # source lambdaapi https://cloud.lambda.ai/api/v1/instance-types 2026-05-28
        # note: on-demand list prices; Lambda prices are the same in every region; the region field lists Lambda's public regions but each type has capacity only in some of them at a given time (GET /instance-types regions_with_capacity_available)
        # note: per-type $/h = price_cents_per_hour from /instance-types (2026-04/05 captures) and equal to the per-GPU price on lambda.ai/instances x GPU count (2026-09-20 transcription; the 1x A100 40GB $1.99/GPU still held on 2026-11-09)
        # note: disk_gb = local NVMe in GiB (TiB x 1024 from the pricing page; 5.8 TiB -> 5939; 1.3 TiB -> 1331); gpu_1x_a6000 disk (200) and the 2x/4x A100 PCIe disk (1024) are from memory of the API specs
        # note: gpu_1x_rtx6000 is the Quadro RTX 6000 (Turing 24 GB) -> gpu_model RTX6000-TURING; gpu_1x_gh200 is Arm (Grace) -> arm64
        # note: gpu_1x_a100 / gpu_2x_a100 / gpu_4x_a100 = A100 PCIe 40 GB; gpu_1x_a100_sxm4 / gpu_8x_a100 = A100 SXM4 40 GB; cpu_4x_general local disk size unknown (left empty)
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_gh200,arm64,64,432,4096,GH200,1,96,2.29,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_b200_sxm6,x86_64,26,360,2816,B200,1,180,6.99,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_2x_b200_sxm6,x86_64,52,720,5632,B200,2,180,13.78,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_4x_b200_sxm6,x86_64,104,1440,11264,B200,4,180,27.16,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_8x_b200_sxm6,x86_64,208,2900,22528,B200,8,180,53.52,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_h100_sxm5,x86_64,26,225,2816,H100-SXM,1,80,4.29,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_2x_h100_sxm5,x86_64,52,450,5632,H100-SXM,2,80,8.38,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_4x_h100_sxm5,x86_64,104,900,11264,H100-SXM,4,80,16.36,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_8x_h100_sxm5,x86_64,208,1800,22528,H100-SXM,8,80,31.92,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_h100_pcie,x86_64,26,225,1024,H100-PCIE,1,80,3.29,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_8x_a100_80gb_sxm4,x86_64,240,1800,19968,A100-80GB,8,80,22.32,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_8x_a100,x86_64,124,1800,5939,A100-40GB,8,40,15.92,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_a100_sxm4,x86_64,30,200,512,A100-40GB,1,40,1.99,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_a100,x86_64,30,200,512,A100-40GB,1,40,1.99,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_2x_a100,x86_64,60,400,1024,A100-40GB,2,40,3.98,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_4x_a100,x86_64,120,800,1024,A100-40GB,4,40,7.96,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_a10,x86_64,30,226,1331,A10,1,24,1.29,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_a6000,x86_64,14,100,200,RTXA6000,1,48,1.09,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_2x_a6000,x86_64,28,200,1024,RTXA6000,2,48,2.18,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_4x_a6000,x86_64,56,400,1024,RTXA6000,4,48,4.36,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_1x_rtx6000,x86_64,14,46,512,RTX6000-TURING,1,24,0.69,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,gpu_8x_v100,x86_64,88,448,5939,V100-16GB,8,16,6.32,,false,lambda
        us-east-1 us-east-2 us-east-3 us-west-1 us-west-2 us-west-3 us-south-1 us-south-2 us-south-3 us-midwest-1 europe-central-1 europe-south-1 asia-south-1 asia-northeast-1 asia-northeast-2 me-west-1 australia-east-1,,cpu_4x_general,x86_64,4,16,,,0,,0.20,,false,lambdaapi
        """#)
}
