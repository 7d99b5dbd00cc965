"""The same job as Benchmarks/EC2Bench with boto3: COUNT instances created CONCURRENCY at a time
(image looked up, key pair imported and security group made once, as the driver does), waited for
with batched describes, terminated CONCURRENCY at a time, the group deleted. Prints seconds.

    python3 ec2_boto3.py ENDPOINT COUNT CONCURRENCY
"""
import sys, time, uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

endpoint, count, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1",
                   config=Config(max_pool_connections=concurrency, retries={"mode": "standard"}))
started = time.perf_counter()
images = ec2.describe_images(Owners=["099720109477"], Filters=[
    {"Name": "name", "Values": ["ubuntu/images/*ubuntu-*-amd64-server-*"]}, {"Name": "state", "Values": ["available"]}])["Images"]
image = max(images, key=lambda i: i["CreationDate"])["ImageId"]
ec2.import_key_pair(KeyName="boto3-bench", PublicKeyMaterial=b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcbR6WOPXJhS4hztYSvvSh5OSJ1a8ctJnBFNY2ZbfoO bench")
group = ec2.create_security_group(GroupName="boto3-bench", Description="bench")["GroupId"]
ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}])
owner = str(uuid.uuid4())

def create(index):
    # The same request the driver sends: its five tags on the instance and its volume, a gp3 disk.
    tags = [{"Key": "Name", "Value": f"bench-{index}"}, {"Key": "blueprint-remote-deployment", "Value": "dboto30000001"},
            {"Key": "blueprint-remote-expires", "Value": "2033-05-18T03:33:20Z"}, {"Key": "blueprint-remote-owner", "Value": owner},
            {"Key": "blueprint-remote-request", "Value": f"dboto30000001-{index}"}]
    answer = ec2.run_instances(
        ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1, ClientToken=f"dboto30000001-{index}",
        KeyName="boto3-bench", SecurityGroupIds=[group],
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 10, "VolumeType": "gp3", "DeleteOnTermination": True}}],
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags}, {"ResourceType": "volume", "Tags": tags}])
    return answer["Instances"][0]["InstanceId"]

with ThreadPoolExecutor(concurrency) as pool:
    ids = list(pool.map(create, range(count)))
while True:
    pages = ec2.get_paginator("describe_instances").paginate(Filters=[{"Name": "instance-id", "Values": ids}])
    states = [i["State"]["Name"] for page in pages for r in page["Reservations"] for i in r["Instances"]]
    if all(state == "running" for state in states):
        break
    time.sleep(0.1)
with ThreadPoolExecutor(concurrency) as pool:
    list(pool.map(lambda i: ec2.terminate_instances(InstanceIds=[i]), ids))
ec2.delete_security_group(GroupId=group)
print(f"{time.perf_counter() - started:.3f}")
