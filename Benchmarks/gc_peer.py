"""The floor for gc's reconcile, with boto3: what any tool must do to clean up COUNT orphans.

    python3 Benchmarks/gc_peer.py seed URL OWNER COUNT     launch COUNT tagged instances
    python3 Benchmarks/gc_peer.py reconcile URL OWNER      list them by owner tag, terminate
                                                           them (1000 per call), describe until
                                                           all are terminated; prints seconds
"""
import sys, time
import boto3

command, url, owner = sys.argv[1], sys.argv[2], sys.argv[3]
ec2 = boto3.client("ec2", endpoint_url=url, region_name="us-east-1")

if command == "seed":
    count = int(sys.argv[4])
    image = ec2.describe_images(Owners=["099720109477"])["Images"][0]["ImageId"]
    tags = [{"Key": "blueprint-remote-owner", "Value": owner}, {"Key": "blueprint-remote-deployment", "Value": "d-bench-orphans"}]
    made = 0
    while made < count:
        batch = min(500, count - made)
        ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=batch, MaxCount=batch,
                          TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])
        made += batch
    sys.exit(0)

started = time.monotonic()
ids = []
for page in ec2.get_paginator("describe_instances").paginate(
        Filters=[{"Name": "tag:blueprint-remote-owner", "Values": [owner]},
                 {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}],
        PaginationConfig={"PageSize": 1000}):
    for reservation in page["Reservations"]:
        ids += [instance["InstanceId"] for instance in reservation["Instances"]]
for start in range(0, len(ids), 1000):
    ec2.terminate_instances(InstanceIds=ids[start:start + 1000])
remaining = set(ids)
while remaining:
    batch = list(remaining)
    for start in range(0, len(batch), 200):
        answer = ec2.describe_instances(Filters=[{"Name": "instance-id", "Values": batch[start:start + 200]}])
        for reservation in answer["Reservations"]:
            for instance in reservation["Instances"]:
                if instance["State"]["Name"] == "terminated":
                    remaining.discard(instance["InstanceId"])
    if remaining:
        time.sleep(0.5)
print(f"{time.monotonic() - started:.3f} {len(ids)}")
