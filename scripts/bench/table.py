#!/usr/bin/env python3
"""Prints the jctl/tgtd table of a compare.sh run folder (raw.tsv, memory.tsv, starvation.tsv, meta.txt);
with --markdown, the table of docs/performance.md (one run plus the ratios of repeat runs)."""
import csv
import os
import statistics
import sys

LOWER_IS_BETTER = {"usec", "MiB"}
NOISE = 0.10  # differences under about 10% are noise on a busy 2-core machine


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    values = [v for v in values if v is not None]
    m = med(values)
    if len(values) < 2 or not m:
        return "NA"
    return f"{(max(values) - min(values)) / m * 100:.0f}%"


def fmt(v, digits=1):
    return "NA" if v is None else f"{v:.{digits}f}"


def main(folder):
    raw = rows(os.path.join(folder, "raw.tsv"))
    meta = os.path.join(folder, "meta.txt")
    if os.path.exists(meta):
        print(open(meta).read().rstrip())
        print()
    order = []
    for r in raw:
        key = (r["kind"], r["workload"])
        if key not in order:
            order.append(key)
    head = (f"{'kind':5} {'workload':12} {'unit':5} {'jctl med':>9} {'tgtd med':>9} {'j/t':>6} {'pair j/t':>8} "
            f"{'pair range':>11} {'j sprd':>6} {'t sprd':>6} {'j cpuus':>8} {'j -jit':>7} {'t cpuus':>8} {'cpu j/t':>7} "
            f"{'host%':>5}  better")
    print(head)
    print("-" * len(head))
    for kind, w in order:
        sel = [r for r in raw if r["kind"] == kind and r["workload"] == w]
        unit = sel[0]["unit"]
        val = {s: [num(r["value"]) for r in sel if r["side"] == s] for s in ("jctl", "tgtd")}
        cpu = {s: med([num(r["cpu_us_per_io"]) for r in sel if r["side"] == s]) for s in ("jctl", "tgtd")}
        nojit = med([num(r["cpu_us_per_io"]) - num(r["jit_us_per_io"]) for r in sel if r["side"] == "jctl"
                     and num(r.get("jit_us_per_io")) is not None and num(r["cpu_us_per_io"]) is not None])
        mj, mt = med(val["jctl"]), med(val["tgtd"])
        ratio = mj / mt if mj is not None and mt else None
        pairs = []
        for rnd in sorted({r["round"] for r in sel}):
            a = [num(r["value"]) for r in sel if r["round"] == rnd and r["side"] == "jctl"]
            b = [num(r["value"]) for r in sel if r["round"] == rnd and r["side"] == "tgtd"]
            if a and b and a[0] is not None and b[0]:
                pairs.append(a[0] / b[0])
        pair = med(pairs)
        prange = f"{min(pairs):.2f}-{max(pairs):.2f}" if len(pairs) > 1 else "NA"
        cpu_ratio = cpu["jctl"] / cpu["tgtd"] if cpu["jctl"] is not None and cpu["tgtd"] else None
        host = med([num(r["host_busy_pct"]) for r in sel])
        if ratio is None:
            better = "NA"
        else:
            gain = ratio if unit not in LOWER_IS_BETTER else 1 / ratio
            better = "jctl" if gain > 1 + NOISE else "tgtd" if gain < 1 - NOISE else "~same"
        digits = 0 if unit == "IOPS" else 1
        print(f"{kind:5} {w:12} {unit:5} {fmt(mj, digits):>9} {fmt(mt, digits):>9} {fmt(ratio, 2):>6} "
              f"{fmt(pair, 2):>8} {prange:>11} {spread(val['jctl']):>6} {spread(val['tgtd']):>6} "
              f"{fmt(cpu['jctl']):>8} {fmt(nojit):>7} {fmt(cpu['tgtd']):>8} {fmt(cpu_ratio, 2):>7} {fmt(host, 0):>5}  {better}")
    print()
    print("j/t: ratio of the medians (jctl / tgtd); pair j/t: median of the per-round ratios (both measured back to")
    print("back) and its range; sprd: (max - min) / median over the rounds; cpuus: target CPU microseconds per I/O")
    print("(utime + stime of all its threads; 'j -jit' without jctl's JIT compiler threads, cpu j/t with them);")
    print("host%: whole machine busy during the measurements (100 = one core).")
    print(f"usec and MiB rows: lower is better. 'better' names a side only beyond {NOISE:.0%}.")

    starv = rows(os.path.join(folder, "starvation.tsv"))
    if starv:
        print()
        print("mix16 fairness: per-session IOPS max/min (target < 2), median over rounds [range]")
        for kind in dict.fromkeys(r["kind"] for r in starv):
            parts = []
            for side in ("jctl", "tgtd"):
                v = [num(r["max_over_min"]) for r in starv if r["kind"] == kind and r["side"] == side]
                ok = [x for x in v if x is not None]
                rng = f" [{min(ok):.2f}-{max(ok):.2f}]" if ok else ""
                parts.append(f"{side} {fmt(med(v), 2)}{rng}")
            print(f"  {kind:5} " + ", ".join(parts))
    mem = rows(os.path.join(folder, "memory.tsv"))
    if mem:
        print()
        print("resident memory (VmRSS, MiB; jctl's RAM disks' data is part of it: 'data', and what is left without it)")
        for when in dict.fromkeys(r["when"] for r in mem):
            parts = []
            for r in mem:
                if r["when"] != when:
                    continue
                rss, data = num(r["vmrss_kib"]), num(r.get("ramdisk_kib"))
                part = f"{r['side']} {fmt(rss / 1024 if rss else None)}"
                if rss and data:
                    part += f" (data {data / 1024:.1f}, without {(rss - data) / 1024:.1f})"
                parts.append(part)
            print(f"  {when:12} " + ", ".join(parts))


def summary(folder):
    """(kind, workload) -> dict of medians, ratio, spreads and CPU for one run folder."""
    raw = rows(os.path.join(folder, "raw.tsv"))
    out = {}
    for r in raw:
        out.setdefault((r["kind"], r["workload"]), []).append(r)
    res = {}
    for key, sel in out.items():
        val = {s: [num(r["value"]) for r in sel if r["side"] == s] for s in ("jctl", "tgtd")}
        mj, mt = med(val["jctl"]), med(val["tgtd"])
        cj = med([num(r["cpu_us_per_io"]) for r in sel if r["side"] == "jctl"])
        ct = med([num(r["cpu_us_per_io"]) for r in sel if r["side"] == "tgtd"])
        nojit = med([num(r["cpu_us_per_io"]) - num(r["jit_us_per_io"]) for r in sel if r["side"] == "jctl"
                     and num(r.get("jit_us_per_io")) is not None and num(r["cpu_us_per_io"]) is not None])
        res[key] = dict(unit=sel[0]["unit"], jctl=mj, tgtd=mt, ratio=mj / mt if mj is not None and mt else None,
                        sj=spread(val["jctl"]), st=spread(val["tgtd"]), cj=cj, nojit=nojit, ct=ct)
    return res


def markdown(folder, repeats):
    """The table of docs/performance.md: one run, plus the j/t ratio of repeat runs for the run-to-run spread."""
    main_run = summary(folder)
    others = [summary(f) for f in repeats]
    head = "| kind | workload | unit | jctl | tgtd | jctl/tgtd |" + "".join(" repeat |" for _ in others) + \
        " spread j / t | CPU µs/IO jctl (no JIT) | CPU µs/IO tgtd | CPU jctl/tgtd (no JIT) |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for (kind, w), v in main_run.items():
        digits = 0 if v["unit"] == "IOPS" else 1
        rep = "".join(f" {fmt(o.get((kind, w), {}).get('ratio'), 2)} |" for o in others)
        cpu_ratio = fmt(v["nojit"] / v["ct"], 2) if v["nojit"] is not None and v["ct"] else "NA"
        print(f"| {kind} | {w} | {v['unit']} | {fmt(v['jctl'], digits)} | {fmt(v['tgtd'], digits)} | "
              f"**{fmt(v['ratio'], 2)}** |{rep} {v['sj']} / {v['st']} | {fmt(v['cj'])} ({fmt(v['nojit'])}) | "
              f"{fmt(v['ct'])} | {cpu_ratio} |")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--markdown":
        markdown(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit("usage: table.py RUN_FOLDER | table.py --markdown RUN_FOLDER [REPEAT_FOLDER...]")
