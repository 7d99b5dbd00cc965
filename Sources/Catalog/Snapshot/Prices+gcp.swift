import RemoteProvidersCore

// Imported by scripts/snapshot-import; the format is described in docs/CATALOG.md.
extension SnapshotPrices {
    static let gcp = SnapshotFile(
        provider: .gcp,
        text: #"""
        # provider: gcp
        # currency: USD
        # source skycat https://github.com/skypilot-org/skypilot-catalog/blob/017e2502fb63c7a28757acd94002b2d6099d3e3d/catalogs/v7/gcp/vms.csv 2025-06-01
        # source gcpkb https://cloud.google.com/compute/vm-instance-pricing 2025-06-01
        # note: Linux on-demand and Spot per hour. skycat = SkyPilot's snapshot of the Cloud Billing Catalog (snapshot date not recorded in the stored copy; date approximate); gcpkb = published us-central1 list prices recalled from the official page (not read from a stored copy)
        # note: Spot prices are the skycat snapshot values (GCP may change Spot prices up to once a month). g2 and n1+T4 rows = machine price + attached GPU price. Types in a row that were not read directly are derived linearly from a sibling (see aws-gcp-notes.md)
        # note: instance_type "n1-standard-8+1xnvidia-tesla-t4" = machine type n1-standard-8 with one nvidia-tesla-t4 accelerator attached (gcloud --machine-type n1-standard-8 --accelerator type=nvidia-tesla-t4,count=1)
        # note: e2-micro/small/medium are shared-core (0.25/0.5/1 vCPU billed, burst to 2). tee=true for n2d (Confidential VM with AMD SEV)
        region,zone,instance_type,arch,vcpus,memory_gb,disk_gb,gpu_model,gpu_count,gpu_memory_gb,price,spot_price,tee,source
        us-central1 us-east1,,e2-micro,x86_64,2,1,,,0,,0.008376,0.00335,false,gcpkb
        us-central1 us-east1,,e2-small,x86_64,2,2,,,0,,0.016751,0.0067,false,gcpkb
        us-central1 us-east1,,e2-medium,x86_64,2,4,,,0,,0.033503,0.0134,false,gcpkb
        europe-west4,,e2-micro,x86_64,2,1,,,0,,0.009221,0.00368,false,skycat
        europe-west4,,e2-small,x86_64,2,2,,,0,,0.018443,0.00737,false,skycat
        europe-west4,,e2-medium,x86_64,2,4,,,0,,0.036885,0.01474,false,skycat
        asia-east1,,e2-micro,x86_64,2,1,,,0,,0.009699,0.00388,false,skycat
        asia-east1,,e2-small,x86_64,2,2,,,0,,0.019397,0.00776,false,skycat
        asia-east1,,e2-medium,x86_64,2,4,,,0,,0.038795,0.01551,false,skycat
        us-central1 us-east1,,e2-standard-2,x86_64,2,8,,,0,,0.067006,0.02679,false,skycat
        us-central1 us-east1,,e2-standard-4,x86_64,4,16,,,0,,0.134012,0.05358,false,skycat
        us-central1 us-east1,,e2-standard-8,x86_64,8,32,,,0,,0.268024,0.10716,false,skycat
        us-central1 us-east1,,e2-standard-16,x86_64,16,64,,,0,,0.536048,0.21432,false,skycat
        europe-west4,,e2-standard-2,x86_64,2,8,,,0,,0.07377,0.02947,false,skycat
        europe-west4,,e2-standard-4,x86_64,4,16,,,0,,0.14754,0.05894,false,skycat
        europe-west4,,e2-standard-8,x86_64,8,32,,,0,,0.29508,0.11788,false,skycat
        europe-west4,,e2-standard-16,x86_64,16,64,,,0,,0.59016,0.23576,false,skycat
        asia-east1,,e2-standard-2,x86_64,2,8,,,0,,0.07759,0.03103,false,skycat
        asia-east1,,e2-standard-4,x86_64,4,16,,,0,,0.15518,0.06206,false,skycat
        asia-east1,,e2-standard-8,x86_64,8,32,,,0,,0.31036,0.12412,false,skycat
        asia-east1,,e2-standard-16,x86_64,16,64,,,0,,0.62072,0.24824,false,skycat
        us-central1 us-east1,,e2-highmem-2,x86_64,2,16,,,0,,0.09039,0.03613,false,skycat
        us-central1 us-east1,,e2-highmem-4,x86_64,4,32,,,0,,0.18078,0.07226,false,skycat
        us-central1 us-east1,,e2-highmem-8,x86_64,8,64,,,0,,0.36156,0.14452,false,skycat
        europe-west4,,e2-highmem-2,x86_64,2,16,,,0,,0.09951,0.03973,false,skycat
        europe-west4,,e2-highmem-4,x86_64,4,32,,,0,,0.19902,0.07946,false,skycat
        europe-west4,,e2-highmem-8,x86_64,8,64,,,0,,0.39804,0.15892,false,skycat
        asia-east1,,e2-highmem-2,x86_64,2,16,,,0,,0.10467,0.04185,false,skycat
        asia-east1,,e2-highmem-4,x86_64,4,32,,,0,,0.20934,0.0837,false,skycat
        asia-east1,,e2-highmem-8,x86_64,8,64,,,0,,0.41868,0.1674,false,skycat
        us-central1 us-east1,,n2-standard-2,x86_64,2,8,,,0,,0.097118,0.02776,false,skycat
        us-central1 us-east1,,n2-standard-4,x86_64,4,16,,,0,,0.194236,0.05552,false,skycat
        us-central1 us-east1,,n2-standard-8,x86_64,8,32,,,0,,0.388472,0.11104,false,skycat
        us-central1 us-east1,,n2-standard-16,x86_64,16,64,,,0,,0.776944,0.22208,false,skycat
        us-central1 us-east1,,n2-standard-32,x86_64,32,128,,,0,,1.553888,0.44416,false,skycat
        europe-west4,,n2-standard-2,x86_64,2,8,,,0,,0.106916,0.03544,false,skycat
        europe-west4,,n2-standard-4,x86_64,4,16,,,0,,0.213833,0.07087,false,skycat
        europe-west4,,n2-standard-8,x86_64,8,32,,,0,,0.427665,0.14175,false,skycat
        europe-west4,,n2-standard-16,x86_64,16,64,,,0,,0.85533,0.28349,false,skycat
        europe-west4,,n2-standard-32,x86_64,32,128,,,0,,1.71066,0.56698,false,skycat
        asia-east1,,n2-standard-2,x86_64,2,8,,,0,,0.112452,0.03224,false,skycat
        asia-east1,,n2-standard-4,x86_64,4,16,,,0,,0.224904,0.06447,false,skycat
        asia-east1,,n2-standard-8,x86_64,8,32,,,0,,0.449808,0.12895,false,skycat
        asia-east1,,n2-standard-16,x86_64,16,64,,,0,,0.899615,0.25789,false,skycat
        asia-east1,,n2-standard-32,x86_64,32,128,,,0,,1.79923,0.51578,false,skycat
        us-central1 us-east1,,n2d-standard-2,x86_64,2,8,,,0,,0.084492,0.01753,true,skycat
        us-central1 us-east1,,n2d-standard-4,x86_64,4,16,,,0,,0.168984,0.03506,true,skycat
        us-central1 us-east1,,n2d-standard-8,x86_64,8,32,,,0,,0.337968,0.07013,true,skycat
        us-central1 us-east1,,n2d-standard-16,x86_64,16,64,,,0,,0.675936,0.14026,true,skycat
        europe-west4,,n2d-standard-2,x86_64,2,8,,,0,,0.09302,0.0193,true,skycat
        europe-west4,,n2d-standard-4,x86_64,4,16,,,0,,0.18604,0.0386,true,skycat
        europe-west4,,n2d-standard-8,x86_64,8,32,,,0,,0.37208,0.0772,true,skycat
        europe-west4,,n2d-standard-16,x86_64,16,64,,,0,,0.74416,0.1544,true,skycat
        asia-east1,,n2d-standard-2,x86_64,2,8,,,0,,0.097832,0.03914,true,skycat
        asia-east1,,n2d-standard-4,x86_64,4,16,,,0,,0.195664,0.07827,true,skycat
        asia-east1,,n2d-standard-8,x86_64,8,32,,,0,,0.391328,0.15654,true,skycat
        asia-east1,,n2d-standard-16,x86_64,16,64,,,0,,0.782656,0.31309,true,skycat
        us-central1 us-east1,,g2-standard-4,x86_64,4,16,,L4,1,24,0.706832,0.28184,false,skycat
        us-central1 us-east1,,g2-standard-8,x86_64,8,32,,L4,1,24,0.853624,0.34057,false,skycat
        us-central1 us-east1,,g2-standard-12,x86_64,12,48,,L4,1,24,1.000416,0.39931,false,skycat
        us-central1 us-east1,,g2-standard-24,x86_64,24,96,,L4,2,24,2.000832,0.79862,false,skycat
        us-central1 us-east1,,g2-standard-48,x86_64,48,192,,L4,4,24,4.001664,1.59723,false,skycat
        europe-west4,,g2-standard-4,x86_64,4,16,,L4,1,24,0.742326,0.27234,false,skycat
        europe-west4,,g2-standard-8,x86_64,8,32,,L4,1,24,0.896612,0.33407,false,skycat
        europe-west4,,g2-standard-12,x86_64,12,48,,L4,1,24,1.050898,0.39581,false,skycat
        europe-west4,,g2-standard-24,x86_64,24,96,,L4,2,24,2.101795,0.79161,false,skycat
        europe-west4,,g2-standard-48,x86_64,48,192,,L4,4,24,4.20359,1.58323,false,skycat
        asia-east1,,g2-standard-4,x86_64,4,16,,L4,1,24,0.818441,0.25294,false,skycat
        asia-east1,,g2-standard-8,x86_64,8,32,,L4,1,24,0.988412,0.29407,false,skycat
        asia-east1,,g2-standard-12,x86_64,12,48,,L4,1,24,1.158383,0.33521,false,skycat
        asia-east1,,g2-standard-24,x86_64,24,96,,L4,2,24,2.316765,0.67041,false,skycat
        asia-east1,,g2-standard-48,x86_64,48,192,,L4,4,24,4.63353,1.34083,false,skycat
        us-central1 us-east1,,n1-standard-4+1xnvidia-tesla-t4,x86_64,4,15,,T4,1,16,0.54,0.18815,false,skycat
        us-central1 us-east1,,n1-standard-8+1xnvidia-tesla-t4,x86_64,8,30,,T4,1,16,0.73,0.2363,false,skycat
        europe-west4,,n1-standard-4+1xnvidia-tesla-t4,x86_64,4,15,,T4,1,16,0.57667,0.21782,false,skycat
        europe-west4,,n1-standard-8+1xnvidia-tesla-t4,x86_64,8,30,,T4,1,16,0.78584,0.29564,false,skycat
        asia-east1,,n1-standard-4+1xnvidia-tesla-t4,x86_64,4,15,,T4,1,16,0.57,0.18224,false,skycat
        asia-east1,,n1-standard-8+1xnvidia-tesla-t4,x86_64,8,30,,T4,1,16,0.79,0.22447,false,skycat
        us-central1,,a2-highgpu-1g,x86_64,12,85,,A100-40GB,1,40,3.673385,,false,gcpkb
        us-central1,,a2-highgpu-2g,x86_64,24,170,,A100-40GB,2,40,7.34677,,false,gcpkb
        us-central1,,a2-highgpu-4g,x86_64,48,340,,A100-40GB,4,40,14.69354,,false,gcpkb
        us-central1,,a2-highgpu-8g,x86_64,96,680,,A100-40GB,8,40,29.38708,,false,gcpkb
        us-central1,,a2-ultragpu-1g,x86_64,12,170,,A100-80GB,1,80,5.06879,,false,gcpkb
        us-central1,,a2-ultragpu-8g,x86_64,96,1360,,A100-80GB,8,80,40.55034,,false,gcpkb
        """#)
}
