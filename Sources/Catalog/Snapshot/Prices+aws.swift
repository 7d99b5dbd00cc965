import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let aws = SnapshotFile(
        provider: .aws,
        text: #"""
        # provider: aws
        # currency: USD
        # source karpenter https://github.com/aws/karpenter-provider-aws/blob/main/pkg/providers/pricing/zz_generated.pricing_aws.go 2026-01-19
        # source skycat https://github.com/skypilot-org/skypilot-catalog/blob/001367d22a0033fac286a8c71aeac7109e431bcb/catalogs/v7/aws/vms.csv 2025-05-01
        # note: Linux on-demand list prices. karpenter = AWS Price List API snapshot (us-east-1) generated 2026-01-19; us-west-2 shown on the same row only where the skycat snapshot showed us-west-2 == us-east-1 for that type or family
        # note: eu-west-1/eu-central-1 rows come from the skycat (SkyPilot catalog) snapshot of the AWS price list; its exact date is not recorded (it predates the June-2025 P4/P5 cut, so no EU rows are given for p4d/p4de/p5). Some EU sizes are derived linearly from a sibling size of the same family (see aws-gcp-notes.md)
        # note: spot_price empty (AWS spot is read live). disk_gb = included NVMe instance store where known; empty = EBS only or not filled. tee=true only for m6a (AMD SEV-SNP); Nitro Enclaves not marked
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        us-east-1 us-west-2,,t3.nano,x86_64,2,0.5,,,0,,0.0026,,false,karpenter
        eu-west-1,,t3.nano,x86_64,2,0.5,,,0,,0.00285,,false,skycat
        eu-central-1,,t3.nano,x86_64,2,0.5,,,0,,0.003,,false,skycat
        us-east-1 us-west-2,,t3.micro,x86_64,2,1,,,0,,0.0052,,false,karpenter
        eu-west-1,,t3.micro,x86_64,2,1,,,0,,0.0057,,false,skycat
        eu-central-1,,t3.micro,x86_64,2,1,,,0,,0.006,,false,skycat
        us-east-1 us-west-2,,t3.small,x86_64,2,2,,,0,,0.0104,,false,karpenter
        eu-west-1,,t3.small,x86_64,2,2,,,0,,0.0114,,false,skycat
        eu-central-1,,t3.small,x86_64,2,2,,,0,,0.012,,false,skycat
        us-east-1 us-west-2,,t3.medium,x86_64,2,4,,,0,,0.0208,,false,karpenter
        eu-west-1,,t3.medium,x86_64,2,4,,,0,,0.0228,,false,skycat
        eu-central-1,,t3.medium,x86_64,2,4,,,0,,0.024,,false,skycat
        us-east-1 us-west-2,,t3.large,x86_64,2,8,,,0,,0.0416,,false,karpenter
        eu-west-1,,t3.large,x86_64,2,8,,,0,,0.0456,,false,skycat
        eu-central-1,,t3.large,x86_64,2,8,,,0,,0.048,,false,skycat
        us-east-1 us-west-2,,t3.xlarge,x86_64,4,16,,,0,,0.0832,,false,karpenter
        eu-west-1,,t3.xlarge,x86_64,4,16,,,0,,0.0912,,false,skycat
        eu-central-1,,t3.xlarge,x86_64,4,16,,,0,,0.096,,false,skycat
        us-east-1 us-west-2,,t3.2xlarge,x86_64,8,32,,,0,,0.1664,,false,karpenter
        eu-west-1,,t3.2xlarge,x86_64,8,32,,,0,,0.1824,,false,skycat
        eu-central-1,,t3.2xlarge,x86_64,8,32,,,0,,0.192,,false,skycat
        us-east-1 us-west-2,,t4g.micro,arm64,2,1,,,0,,0.0084,,false,karpenter
        eu-west-1,,t4g.micro,arm64,2,1,,,0,,0.0092,,false,skycat
        eu-central-1,,t4g.micro,arm64,2,1,,,0,,0.0096,,false,skycat
        us-east-1 us-west-2,,t4g.small,arm64,2,2,,,0,,0.0168,,false,karpenter
        eu-west-1,,t4g.small,arm64,2,2,,,0,,0.0184,,false,skycat
        eu-central-1,,t4g.small,arm64,2,2,,,0,,0.0192,,false,skycat
        us-east-1 us-west-2,,t4g.medium,arm64,2,4,,,0,,0.0336,,false,karpenter
        eu-west-1,,t4g.medium,arm64,2,4,,,0,,0.0368,,false,skycat
        eu-central-1,,t4g.medium,arm64,2,4,,,0,,0.0384,,false,skycat
        us-east-1 us-west-2,,t4g.large,arm64,2,8,,,0,,0.0672,,false,karpenter
        eu-west-1,,t4g.large,arm64,2,8,,,0,,0.0736,,false,skycat
        eu-central-1,,t4g.large,arm64,2,8,,,0,,0.0768,,false,skycat
        us-east-1 us-west-2,,t4g.xlarge,arm64,4,16,,,0,,0.1344,,false,karpenter
        eu-west-1,,t4g.xlarge,arm64,4,16,,,0,,0.1472,,false,skycat
        eu-central-1,,t4g.xlarge,arm64,4,16,,,0,,0.1536,,false,skycat
        us-east-1 us-west-2,,m5.large,x86_64,2,8,,,0,,0.096,,false,karpenter
        eu-west-1,,m5.large,x86_64,2,8,,,0,,0.107,,false,skycat
        eu-central-1,,m5.large,x86_64,2,8,,,0,,0.115,,false,skycat
        us-east-1 us-west-2,,m5.xlarge,x86_64,4,16,,,0,,0.192,,false,karpenter
        eu-west-1,,m5.xlarge,x86_64,4,16,,,0,,0.214,,false,skycat
        eu-central-1,,m5.xlarge,x86_64,4,16,,,0,,0.23,,false,skycat
        us-east-1 us-west-2,,m5.2xlarge,x86_64,8,32,,,0,,0.384,,false,karpenter
        eu-west-1,,m5.2xlarge,x86_64,8,32,,,0,,0.428,,false,skycat
        eu-central-1,,m5.2xlarge,x86_64,8,32,,,0,,0.46,,false,skycat
        us-east-1 us-west-2,,m5.4xlarge,x86_64,16,64,,,0,,0.768,,false,karpenter
        eu-west-1,,m5.4xlarge,x86_64,16,64,,,0,,0.856,,false,skycat
        eu-central-1,,m5.4xlarge,x86_64,16,64,,,0,,0.92,,false,skycat
        us-east-1 us-west-2,,m6i.large,x86_64,2,8,,,0,,0.096,,false,karpenter
        eu-west-1,,m6i.large,x86_64,2,8,,,0,,0.107,,false,skycat
        eu-central-1,,m6i.large,x86_64,2,8,,,0,,0.115,,false,skycat
        us-east-1 us-west-2,,m6i.xlarge,x86_64,4,16,,,0,,0.192,,false,karpenter
        eu-west-1,,m6i.xlarge,x86_64,4,16,,,0,,0.214,,false,skycat
        eu-central-1,,m6i.xlarge,x86_64,4,16,,,0,,0.23,,false,skycat
        us-east-1 us-west-2,,m6i.2xlarge,x86_64,8,32,,,0,,0.384,,false,karpenter
        eu-west-1,,m6i.2xlarge,x86_64,8,32,,,0,,0.428,,false,skycat
        eu-central-1,,m6i.2xlarge,x86_64,8,32,,,0,,0.46,,false,skycat
        us-east-1 us-west-2,,m6i.4xlarge,x86_64,16,64,,,0,,0.768,,false,karpenter
        eu-west-1,,m6i.4xlarge,x86_64,16,64,,,0,,0.856,,false,skycat
        eu-central-1,,m6i.4xlarge,x86_64,16,64,,,0,,0.92,,false,skycat
        us-east-1 us-west-2,,m7i.large,x86_64,2,8,,,0,,0.1008,,false,karpenter
        eu-west-1,,m7i.large,x86_64,2,8,,,0,,0.11235,,false,skycat
        eu-central-1,,m7i.large,x86_64,2,8,,,0,,0.12075,,false,skycat
        us-east-1 us-west-2,,m7i.xlarge,x86_64,4,16,,,0,,0.2016,,false,karpenter
        eu-west-1,,m7i.xlarge,x86_64,4,16,,,0,,0.2247,,false,skycat
        eu-central-1,,m7i.xlarge,x86_64,4,16,,,0,,0.2415,,false,skycat
        us-east-1 us-west-2,,m7i.2xlarge,x86_64,8,32,,,0,,0.4032,,false,karpenter
        eu-west-1,,m7i.2xlarge,x86_64,8,32,,,0,,0.4494,,false,skycat
        eu-central-1,,m7i.2xlarge,x86_64,8,32,,,0,,0.483,,false,skycat
        us-east-1 us-west-2,,m7i.4xlarge,x86_64,16,64,,,0,,0.8064,,false,karpenter
        eu-west-1,,m7i.4xlarge,x86_64,16,64,,,0,,0.8988,,false,skycat
        eu-central-1,,m7i.4xlarge,x86_64,16,64,,,0,,0.966,,false,skycat
        us-east-1 us-west-2,,m6a.large,x86_64,2,8,,,0,,0.0864,,true,karpenter
        eu-west-1,,m6a.large,x86_64,2,8,,,0,,0.0963,,true,skycat
        eu-central-1,,m6a.large,x86_64,2,8,,,0,,0.1035,,true,skycat
        us-east-1 us-west-2,,m6a.xlarge,x86_64,4,16,,,0,,0.1728,,true,karpenter
        eu-west-1,,m6a.xlarge,x86_64,4,16,,,0,,0.1926,,true,skycat
        eu-central-1,,m6a.xlarge,x86_64,4,16,,,0,,0.207,,true,skycat
        us-east-1 us-west-2,,m6a.2xlarge,x86_64,8,32,,,0,,0.3456,,true,karpenter
        eu-west-1,,m6a.2xlarge,x86_64,8,32,,,0,,0.3852,,true,skycat
        eu-central-1,,m6a.2xlarge,x86_64,8,32,,,0,,0.414,,true,skycat
        us-east-1 us-west-2,,m6a.4xlarge,x86_64,16,64,,,0,,0.6912,,true,karpenter
        eu-west-1,,m6a.4xlarge,x86_64,16,64,,,0,,0.7704,,true,skycat
        eu-central-1,,m6a.4xlarge,x86_64,16,64,,,0,,0.828,,true,skycat
        us-east-1 us-west-2,,m7g.large,arm64,2,8,,,0,,0.0816,,false,karpenter
        eu-west-1,,m7g.large,arm64,2,8,,,0,,0.09095,,false,skycat
        eu-central-1,,m7g.large,arm64,2,8,,,0,,0.09775,,false,skycat
        us-east-1 us-west-2,,m7g.xlarge,arm64,4,16,,,0,,0.1632,,false,karpenter
        eu-west-1,,m7g.xlarge,arm64,4,16,,,0,,0.1819,,false,skycat
        eu-central-1,,m7g.xlarge,arm64,4,16,,,0,,0.1955,,false,skycat
        us-east-1 us-west-2,,m7g.2xlarge,arm64,8,32,,,0,,0.3264,,false,karpenter
        eu-west-1,,m7g.2xlarge,arm64,8,32,,,0,,0.3638,,false,skycat
        eu-central-1,,m7g.2xlarge,arm64,8,32,,,0,,0.391,,false,skycat
        us-east-1 us-west-2,,m7g.4xlarge,arm64,16,64,,,0,,0.6528,,false,karpenter
        eu-west-1,,m7g.4xlarge,arm64,16,64,,,0,,0.7276,,false,skycat
        eu-central-1,,m7g.4xlarge,arm64,16,64,,,0,,0.7821,,false,skycat
        us-east-1 us-west-2,,c5.large,x86_64,2,4,,,0,,0.085,,false,karpenter
        eu-west-1,,c5.large,x86_64,2,4,,,0,,0.096,,false,skycat
        eu-central-1,,c5.large,x86_64,2,4,,,0,,0.097,,false,skycat
        us-east-1 us-west-2,,c5.xlarge,x86_64,4,8,,,0,,0.17,,false,karpenter
        eu-west-1,,c5.xlarge,x86_64,4,8,,,0,,0.192,,false,skycat
        eu-central-1,,c5.xlarge,x86_64,4,8,,,0,,0.194,,false,skycat
        us-east-1 us-west-2,,c5.2xlarge,x86_64,8,16,,,0,,0.34,,false,karpenter
        eu-west-1,,c5.2xlarge,x86_64,8,16,,,0,,0.384,,false,skycat
        eu-central-1,,c5.2xlarge,x86_64,8,16,,,0,,0.388,,false,skycat
        us-east-1 us-west-2,,c5.4xlarge,x86_64,16,32,,,0,,0.68,,false,karpenter
        eu-west-1,,c5.4xlarge,x86_64,16,32,,,0,,0.768,,false,skycat
        eu-central-1,,c5.4xlarge,x86_64,16,32,,,0,,0.776,,false,skycat
        us-east-1 us-west-2,,c6i.large,x86_64,2,4,,,0,,0.085,,false,karpenter
        eu-west-1,,c6i.large,x86_64,2,4,,,0,,0.0912,,false,skycat
        eu-central-1,,c6i.large,x86_64,2,4,,,0,,0.097,,false,skycat
        us-east-1 us-west-2,,c6i.xlarge,x86_64,4,8,,,0,,0.17,,false,karpenter
        eu-west-1,,c6i.xlarge,x86_64,4,8,,,0,,0.1824,,false,skycat
        eu-central-1,,c6i.xlarge,x86_64,4,8,,,0,,0.194,,false,skycat
        us-east-1 us-west-2,,c6i.2xlarge,x86_64,8,16,,,0,,0.34,,false,karpenter
        eu-west-1,,c6i.2xlarge,x86_64,8,16,,,0,,0.3648,,false,skycat
        eu-central-1,,c6i.2xlarge,x86_64,8,16,,,0,,0.388,,false,skycat
        us-east-1 us-west-2,,c6i.4xlarge,x86_64,16,32,,,0,,0.68,,false,karpenter
        eu-west-1,,c6i.4xlarge,x86_64,16,32,,,0,,0.7296,,false,skycat
        eu-central-1,,c6i.4xlarge,x86_64,16,32,,,0,,0.776,,false,skycat
        us-east-1 us-west-2,,c7i.large,x86_64,2,4,,,0,,0.08925,,false,karpenter
        eu-west-1,,c7i.large,x86_64,2,4,,,0,,0.09576,,false,skycat
        eu-central-1,,c7i.large,x86_64,2,4,,,0,,0.10185,,false,skycat
        us-east-1 us-west-2,,c7i.xlarge,x86_64,4,8,,,0,,0.1785,,false,karpenter
        eu-west-1,,c7i.xlarge,x86_64,4,8,,,0,,0.19152,,false,skycat
        eu-central-1,,c7i.xlarge,x86_64,4,8,,,0,,0.2037,,false,skycat
        us-east-1 us-west-2,,c7i.2xlarge,x86_64,8,16,,,0,,0.357,,false,karpenter
        eu-west-1,,c7i.2xlarge,x86_64,8,16,,,0,,0.38304,,false,skycat
        eu-central-1,,c7i.2xlarge,x86_64,8,16,,,0,,0.4074,,false,skycat
        us-east-1 us-west-2,,c7i.4xlarge,x86_64,16,32,,,0,,0.714,,false,karpenter
        eu-west-1,,c7i.4xlarge,x86_64,16,32,,,0,,0.76608,,false,skycat
        eu-central-1,,c7i.4xlarge,x86_64,16,32,,,0,,0.8148,,false,skycat
        us-east-1 us-west-2,,c7g.large,arm64,2,4,,,0,,0.0725,,false,karpenter
        eu-west-1,,c7g.large,arm64,2,4,,,0,,0.077525,,false,skycat
        eu-central-1,,c7g.large,arm64,2,4,,,0,,0.08245,,false,skycat
        us-east-1 us-west-2,,c7g.xlarge,arm64,4,8,,,0,,0.145,,false,karpenter
        eu-west-1,,c7g.xlarge,arm64,4,8,,,0,,0.15505,,false,skycat
        eu-central-1,,c7g.xlarge,arm64,4,8,,,0,,0.1649,,false,skycat
        us-east-1 us-west-2,,c7g.2xlarge,arm64,8,16,,,0,,0.29,,false,karpenter
        eu-west-1,,c7g.2xlarge,arm64,8,16,,,0,,0.3101,,false,skycat
        eu-central-1,,c7g.2xlarge,arm64,8,16,,,0,,0.3298,,false,skycat
        us-east-1 us-west-2,,c7g.4xlarge,arm64,16,32,,,0,,0.58,,false,karpenter
        eu-west-1,,c7g.4xlarge,arm64,16,32,,,0,,0.6202,,false,skycat
        eu-central-1,,c7g.4xlarge,arm64,16,32,,,0,,0.6596,,false,skycat
        us-east-1 us-west-2,,r5.large,x86_64,2,16,,,0,,0.126,,false,karpenter
        eu-west-1,,r5.large,x86_64,2,16,,,0,,0.141,,false,skycat
        eu-central-1,,r5.large,x86_64,2,16,,,0,,0.152,,false,skycat
        us-east-1 us-west-2,,r5.xlarge,x86_64,4,32,,,0,,0.252,,false,karpenter
        eu-west-1,,r5.xlarge,x86_64,4,32,,,0,,0.282,,false,skycat
        eu-central-1,,r5.xlarge,x86_64,4,32,,,0,,0.304,,false,skycat
        us-east-1 us-west-2,,r5.2xlarge,x86_64,8,64,,,0,,0.504,,false,karpenter
        eu-west-1,,r5.2xlarge,x86_64,8,64,,,0,,0.564,,false,skycat
        eu-central-1,,r5.2xlarge,x86_64,8,64,,,0,,0.608,,false,skycat
        us-east-1 us-west-2,,r5.4xlarge,x86_64,16,128,,,0,,1.008,,false,karpenter
        eu-west-1,,r5.4xlarge,x86_64,16,128,,,0,,1.128,,false,skycat
        eu-central-1,,r5.4xlarge,x86_64,16,128,,,0,,1.216,,false,skycat
        us-east-1 us-west-2,,r6i.large,x86_64,2,16,,,0,,0.126,,false,karpenter
        eu-west-1,,r6i.large,x86_64,2,16,,,0,,0.141,,false,skycat
        eu-central-1,,r6i.large,x86_64,2,16,,,0,,0.152,,false,skycat
        us-east-1 us-west-2,,r6i.xlarge,x86_64,4,32,,,0,,0.252,,false,karpenter
        eu-west-1,,r6i.xlarge,x86_64,4,32,,,0,,0.282,,false,skycat
        eu-central-1,,r6i.xlarge,x86_64,4,32,,,0,,0.304,,false,skycat
        us-east-1 us-west-2,,r6i.2xlarge,x86_64,8,64,,,0,,0.504,,false,karpenter
        eu-west-1,,r6i.2xlarge,x86_64,8,64,,,0,,0.564,,false,skycat
        eu-central-1,,r6i.2xlarge,x86_64,8,64,,,0,,0.608,,false,skycat
        us-east-1 us-west-2,,r6i.4xlarge,x86_64,16,128,,,0,,1.008,,false,karpenter
        eu-west-1,,r6i.4xlarge,x86_64,16,128,,,0,,1.128,,false,skycat
        eu-central-1,,r6i.4xlarge,x86_64,16,128,,,0,,1.216,,false,skycat
        us-east-1,,r7g.large,arm64,2,16,,,0,,0.1071,,false,karpenter
        us-east-1,,r7g.xlarge,arm64,4,32,,,0,,0.2142,,false,karpenter
        us-east-1,,r7g.2xlarge,arm64,8,64,,,0,,0.4284,,false,karpenter
        us-east-1,,r7g.4xlarge,arm64,16,128,,,0,,0.8568,,false,karpenter
        us-east-1 us-west-2,,g4dn.xlarge,x86_64,4,16,125,T4,1,16,0.526,,false,karpenter
        eu-west-1,,g4dn.xlarge,x86_64,4,16,125,T4,1,16,0.587,,false,skycat
        eu-central-1,,g4dn.xlarge,x86_64,4,16,125,T4,1,16,0.658,,false,skycat
        us-east-1 us-west-2,,g4dn.2xlarge,x86_64,8,32,225,T4,1,16,0.752,,false,karpenter
        us-east-1 us-west-2,,g4dn.12xlarge,x86_64,48,192,900,T4,4,16,3.912,,false,karpenter
        us-east-1 us-west-2,,g5.xlarge,x86_64,4,16,250,A10G,1,24,1.006,,false,karpenter
        us-east-1 us-west-2,,g5.2xlarge,x86_64,8,32,450,A10G,1,24,1.212,,false,karpenter
        eu-west-1,,g5.2xlarge,x86_64,8,32,450,A10G,1,24,1.35296,,false,skycat
        eu-central-1,,g5.2xlarge,x86_64,8,32,450,A10G,1,24,1.5156,,false,skycat
        us-east-1 us-west-2,,g5.12xlarge,x86_64,48,192,3800,A10G,4,24,5.672,,false,karpenter
        eu-west-1,,g5.12xlarge,x86_64,48,192,3800,A10G,4,24,6.33167,,false,skycat
        eu-central-1,,g5.12xlarge,x86_64,48,192,3800,A10G,4,24,7.09282,,false,skycat
        us-east-1 us-west-2,,g5.48xlarge,x86_64,192,768,7600,A10G,8,24,16.288,,false,karpenter
        eu-west-1,,g5.48xlarge,x86_64,192,768,7600,A10G,8,24,18.18233,,false,skycat
        eu-central-1,,g5.48xlarge,x86_64,192,768,7600,A10G,8,24,20.3681,,false,skycat
        us-east-1,,g6.xlarge,x86_64,4,16,,L4,1,24,0.8048,,false,karpenter
        us-east-1,,g6.12xlarge,x86_64,48,192,,L4,4,24,4.6016,,false,karpenter
        us-east-1,,g6e.xlarge,x86_64,4,32,,L40S,1,48,1.861,,false,karpenter
        us-east-1 us-west-2,,p3.2xlarge,x86_64,8,61,,V100-16GB,1,16,3.06,,false,karpenter
        eu-west-1,,p3.2xlarge,x86_64,8,61,,V100-16GB,1,16,3.305,,false,skycat
        eu-central-1,,p3.2xlarge,x86_64,8,61,,V100-16GB,1,16,3.823,,false,skycat
        us-east-1 us-west-2,,p3.8xlarge,x86_64,32,244,,V100-16GB,4,16,12.24,,false,karpenter
        eu-west-1,,p3.8xlarge,x86_64,32,244,,V100-16GB,4,16,13.22,,false,skycat
        eu-central-1,,p3.8xlarge,x86_64,32,244,,V100-16GB,4,16,15.292,,false,skycat
        us-east-1,,p4d.24xlarge,x86_64,96,1152,8000,A100-40GB,8,40,21.957642,,false,karpenter
        us-east-1,,p4de.24xlarge,x86_64,96,1152,8000,A100-80GB,8,80,27.44705,,false,karpenter
        us-east-1,,p5.4xlarge,x86_64,16,256,3840,H100-SXM,1,80,6.88,,false,karpenter
        us-east-1,,p5.48xlarge,x86_64,192,2048,30720,H100-SXM,8,80,55.04,,false,karpenter
        us-east-1,,p5en.48xlarge,x86_64,192,2048,,H200,8,141,63.296,,false,karpenter
        """#)
}
