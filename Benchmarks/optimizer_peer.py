"""The optimizer's three benchmark requests answered in Python over the same offers: with the
standard library (a plain script) and, when it is installed, with pandas (as SkyPilot's catalog
does). Prints one line per request: name, median ms, fitting count, cheapest price.

    python3 optimizer_peer.py OFFERS_CSV RUNS [pandas]"""
import csv
import statistics
import sys
import time

path, runs = sys.argv[1], int(sys.argv[2])
use_pandas = len(sys.argv) > 3 and sys.argv[3] == "pandas"
FAMILY = {"H100": {"H100-SXM", "H100-PCIE", "H100-NVL"}}
REGIONS = {f"region-{n}" for n in range(1, 6)}
SPECS = [
    ("cpu 4 vCPU/16 GB", dict(cpus=4, mem=16, disk=50, gpu=None, spot="never", cap=None, regions=None)),
    ("gpu 1x H100 >=80 GB, spot or on-demand", dict(cpus=8, mem=32, disk=10, gpu=(1, FAMILY["H100"], 80), spot="auto", cap=None, regions=None)),
    ("cpu 2 vCPU, <= $0.50/h, 5 regions", dict(cpus=2, mem=4, disk=10, gpu=None, spot="never", cap=0.5, regions=REGIONS)),
]


def num(text):
    return float(text) if text else None


def plain(rows, s):
    out = []
    for r in rows:
        if r["arch"] != "x86_64" or (r["vcpus"] is not None and r["vcpus"] < s["cpus"]) or (r["memory_gb"] is not None and r["memory_gb"] < s["mem"]):
            continue
        if r["disk_gb"] is not None and r["disk_gb"] < s["disk"]:
            continue
        if s["regions"] is not None and r["region"] not in s["regions"]:
            continue
        if s["gpu"] is None:
            if r["gpu_model"]:
                continue
        else:
            count, models, memory = s["gpu"]
            if not r["gpu_model"] or r["gpu_model"] not in models or r["gpu_count"] < count or (r["gpu_memory_gb"] or 0) < memory:
                continue
        prices = []
        if s["spot"] != "only" and r["price"] is not None:
            prices.append((r["price"], "on-demand"))
        if s["spot"] != "never" and r["spot_price"] is not None:
            prices.append((r["spot_price"], "spot"))
        for price, market in prices:
            if s["cap"] is None or price <= s["cap"]:
                out.append((price, -r["observed"], r["provider"], r["region"], r["instance_type"], market))
    out.sort()
    return out


def with_pandas(frame, s):
    import pandas as pd
    f = frame[(frame.arch == "x86_64") & ~(frame.vcpus < s["cpus"]) & ~(frame.memory_gb < s["mem"]) & ~(frame.disk_gb < s["disk"])]
    if s["regions"] is not None:
        f = f[f.region.isin(s["regions"])]
    if s["gpu"] is None:
        f = f[f.gpu_model.isna()]
    else:
        count, models, memory = s["gpu"]
        f = f[f.gpu_model.isin(models) & (f.gpu_count >= count) & (f.gpu_memory_gb >= memory)]
    parts = []
    if s["spot"] != "only":
        parts.append(f[f.price.notna()].assign(pay=f.price, market="on-demand"))
    if s["spot"] != "never":
        parts.append(f[f.spot_price.notna()].assign(pay=f.spot_price, market="spot"))
    out = pd.concat(parts)
    if s["cap"] is not None:
        out = out[out.pay <= s["cap"]]
    return out.sort_values(["pay", "observed", "provider", "region", "instance_type"], ascending=[True, False, True, True, True])


if use_pandas:
    import pandas as pd
    data = pd.read_csv(path)
else:
    with open(path) as handle:
        data = []
        for r in csv.DictReader(handle):
            for key in ("vcpus", "memory_gb", "disk_gb", "gpu_memory_gb", "price", "spot_price", "observed"):
                r[key] = num(r[key])
            r["gpu_count"] = int(r["gpu_count"] or 0)
            data.append(r)

for name, spec in SPECS:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = with_pandas(data, spec) if use_pandas else plain(data, spec)
        times.append((time.perf_counter() - start) * 1000)
    if use_pandas:
        cheapest = float(result.pay.iloc[0]) if len(result) else 0.0
    else:
        cheapest = result[0][0] if result else 0.0
    print(f"{name}\t{statistics.median(times):.2f}\t{len(result)}\t{cheapest:.4f}")
