"""Compare fermi's miss counts with libCacheSim's on a trace (count-based, every size 1).

Setup (not part of CI; the numbers it printed are pinned in tests/suite/sim.rs):
    python3 -m venv /tmp/lcs && /tmp/lcs/bin/pip install libcachesim==0.3.5
    gzip -dc ../shared/data/zipf_a0.9_m200K_n2M_seed42.txt.gz > /tmp/t2m.txt
    /tmp/lcs/bin/python tools/libcachesim/compare.py /tmp/t2m.txt target/release/fermi

libCacheSim's Belady needs an oracle trace with next-access times, which a plain-text trace
does not carry, so its Belady row is not comparable (it is printed, not checked).
"""
import libcachesim as lcs, json, subprocess, sys
trace = sys.argv[1]; fermi = sys.argv[2]
sizes = [200, 2000, 10000, 20000]
pols = {"lru": lcs.LRU, "fifo": lcs.FIFO, "clock": lcs.Clock, "sieve": lcs.Sieve, "lfu": lcs.LFU, "s3fifo": lcs.S3FIFO, "arc": lcs.ARC, "tinylfu": lcs.WTinyLFU, "belady": lcs.Belady}
out = json.loads(subprocess.check_output([fermi, "sim", "cache", "--trace", trace, "--size", ",".join(map(str, sizes)), "--policy", ",".join(pols), "--format", "json"]))
ours = {(r["policy"], r["size"]): r["misses"] for r in out}
n = out[0]["requests"]
print(f"{'policy':8} {'size':>6} {'libCacheSim':>12} {'fermi':>12} {'diff':>8}")
for p, cls in pols.items():
    for s in sizes:
        r = lcs.TraceReader(trace, lcs.TraceType.PLAIN_TXT_TRACE)
        mr, _ = cls(s).process_trace(r)
        theirs = round(mr * n)
        print(f"{p:8} {s:>6} {theirs:>12} {ours[(p, s)]:>12} {ours[(p, s)] - theirs:>8}")
