import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let azure = SnapshotFile(
        provider: .azure,
        text: #"""
        # provider: azure
        # currency: USD
        # source catalog https://raw.githubusercontent.com/skypilot-org/skypilot-catalog/master/catalogs/v6/azure/vms.csv 2024-07-01
        # source gpuchk https://raw.githubusercontent.com/datareceipts/data-receipts/main/109-gpu-pricing/hyperscalers.json 2026-11-09
        # note: Linux pay-as-you-go list prices for eastus as captured from the Azure Retail Prices API (prices.azure.com) in the skypilot-catalog v6 azure snapshot; the snapshot's exact fetch date is not recorded, 2024-07-01 is an approximation (file has a single version; v6 catalogs date from mid-2024). Azure had not changed these eastus rates through 2025 to our knowledge, and the 2026-11-09 third-party check (gpuchk) still shows NC24ads_A100_v4 3.673 and NC40ads_H100_v5 6.98.
        # note: westeurope is NOT included: no stored source gave West Europe prices and we would not guess them.
        # note: spot_price is the Azure Retail Prices API Spot meter at snapshot time (spot prices move); left empty for B-series v1 (no spot meter), confidential DCas_v5/ECas_v5 (snapshot values looked anomalous) and NC40ads_H100_v5 (snapshot spot equalled on-demand).
        # note: E2s_v5/E4s_v5 on-demand derived from the strictly per-vCPU-linear Esv5 rate card (E8-2s_v5/E16s_v5/E32s_v5 rows: 0.063 USD per vCPU-hour); their spot left empty. disk_gb empty: boot disk is a separately billed managed disk.
        # note: NC40ads_H100_v5 carries one H100 NVL (94 GB); ND96asr_v4 = 8x A100 40GB SXM; NV36ads_A10_v5 = one full A10 (24 GB).
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        eastus,,Standard_B1s,x86_64,1,1,,,0,,0.0104,,false,catalog
        eastus,,Standard_B2s,x86_64,2,4,,,0,,0.0416,,false,catalog
        eastus,,Standard_B2ms,x86_64,2,8,,,0,,0.0832,,false,catalog
        eastus,,Standard_D2s_v5,x86_64,2,8,,,0,,0.096,0.01056,false,catalog
        eastus,,Standard_D4s_v5,x86_64,4,16,,,0,,0.192,0.02112,false,catalog
        eastus,,Standard_D8s_v5,x86_64,8,32,,,0,,0.384,0.04224,false,catalog
        eastus,,Standard_D16s_v5,x86_64,16,64,,,0,,0.768,0.08448,false,catalog
        eastus,,Standard_D32s_v5,x86_64,32,128,,,0,,1.536,0.16896,false,catalog
        eastus,,Standard_D2as_v5,x86_64,2,8,,,0,,0.086,0.00946,false,catalog
        eastus,,Standard_D4as_v5,x86_64,4,16,,,0,,0.172,0.01892,false,catalog
        eastus,,Standard_D8as_v5,x86_64,8,32,,,0,,0.344,0.03784,false,catalog
        eastus,,Standard_D16as_v5,x86_64,16,64,,,0,,0.688,0.07568,false,catalog
        eastus,,Standard_D2ps_v5,arm64,2,8,,,0,,0.077,0.00847,false,catalog
        eastus,,Standard_D4ps_v5,arm64,4,16,,,0,,0.154,0.01694,false,catalog
        eastus,,Standard_D8ps_v5,arm64,8,32,,,0,,0.308,0.03388,false,catalog
        eastus,,Standard_D16ps_v5,arm64,16,64,,,0,,0.616,0.06776,false,catalog
        eastus,,Standard_E2s_v5,x86_64,2,16,,,0,,0.126,,false,catalog
        eastus,,Standard_E4s_v5,x86_64,4,32,,,0,,0.252,,false,catalog
        eastus,,Standard_E8s_v5,x86_64,8,64,,,0,,0.504,0.05544,false,catalog
        eastus,,Standard_E16s_v5,x86_64,16,128,,,0,,1.008,0.11088,false,catalog
        eastus,,Standard_F2s_v2,x86_64,2,4,,,0,,0.0846,0.009306,false,catalog
        eastus,,Standard_F4s_v2,x86_64,4,8,,,0,,0.169,0.01859,false,catalog
        eastus,,Standard_F8s_v2,x86_64,8,16,,,0,,0.338,0.03718,false,catalog
        eastus,,Standard_F16s_v2,x86_64,16,32,,,0,,0.677,0.07447,false,catalog
        eastus,,Standard_DC2as_v5,x86_64,2,8,,,0,,0.086,,true,catalog
        eastus,,Standard_DC4as_v5,x86_64,4,16,,,0,,0.172,,true,catalog
        eastus,,Standard_DC8as_v5,x86_64,8,32,,,0,,0.344,,true,catalog
        eastus,,Standard_DC16as_v5,x86_64,16,64,,,0,,0.688,,true,catalog
        eastus,,Standard_EC2as_v5,x86_64,2,16,,,0,,0.113,,true,catalog
        eastus,,Standard_EC4as_v5,x86_64,4,32,,,0,,0.226,,true,catalog
        eastus,,Standard_EC8as_v5,x86_64,8,64,,,0,,0.452,,true,catalog
        eastus,,Standard_EC16as_v5,x86_64,16,128,,,0,,0.904,,true,catalog
        eastus,,Standard_NC4as_T4_v3,x86_64,4,28,,T4,1,16,0.526,0.062699,false,catalog
        eastus,,Standard_NC8as_T4_v3,x86_64,8,56,,T4,1,16,0.752,0.089638,false,catalog
        eastus,,Standard_NC16as_T4_v3,x86_64,16,110,,T4,1,16,1.204,0.143517,false,catalog
        eastus,,Standard_NC24ads_A100_v4,x86_64,24,220,,A100-80GB,1,80,3.673,0.444433,false,gpuchk
        eastus,,Standard_NC40ads_H100_v5,x86_64,40,320,,H100-NVL,1,94,6.98,,false,gpuchk
        eastus,,Standard_ND96asr_v4,x86_64,96,900,,A100-40GB,8,40,27.197,2.99167,false,catalog
        eastus,,Standard_NV36ads_A10_v5,x86_64,36,440,,A10,1,24,3.2,0.8,false,catalog
        """#)
}
