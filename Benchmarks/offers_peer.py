"""A Python command doing what `blueprint-remote offers --cpus 2 --memory 4 --json` does: load
the catalog (the same bundled snapshot, as CSV), filter, sort by price, print JSON. The peer for
the command's cold start in Benchmarks/optimizer.sh.

    python3 offers_peer.py SNAPSHOT_CSV"""
import csv
import json
import sys

rows = []
with open(sys.argv[1]) as handle:
    for r in csv.DictReader(handle):
        vcpus = float(r["vcpus"]) if r["vcpus"] else None
        memory = float(r["memory_gb"]) if r["memory_gb"] else None
        if r["gpu_model"] or not r["price"] or (vcpus is not None and vcpus < 2) or (memory is not None and memory < 4):
            continue
        rows.append({"provider": r["provider"], "region": r["region"], "instance_type": r["instance_type"], "vcpus": vcpus,
                     "memory_gb": memory, "price_per_hour": float(r["price"])})
rows.sort(key=lambda row: row["price_per_hour"])
json.dump({"offers": rows}, sys.stdout)
