#!/bin/sh
# Compares fermi's trace replay with libCacheSim's on the same trace: LRU at 10,000 objects.
#
# libCacheSim (https://github.com/1a1a11a/libCacheSim) is installed from PyPI as its Python
# bindings (`pip install libcachesim`, into a virtual environment); nothing of it is kept in
# this repository. The text trace is converted to libCacheSim's binary oracleGeneral layout
# (24-byte little-endian records: u32 time, u64 id, u32 size, i64 next access, -1 = unknown
# here), which both tools then read: fermi with --trace-format oracle-general.
#
# Usage: tools/libcachesim-compare.sh TRACE.txt.gz [WORKDIR]   (default WORKDIR /tmp/lcs)
# Needs: python3 with venv, /usr/bin/time, and a release build (cargo build --release).
set -eu
trace=$1
work=${2:-/tmp/lcs}
mkdir -p "$work"
[ -x "$work/venv/bin/python" ] || { python3 -m venv "$work/venv" && "$work/venv/bin/pip" install -q libcachesim; }
bin="$work/trace.oracleGeneral.bin"
[ -s "$bin" ] || gzip -dc "$trace" | python3 -c '
import struct, sys
out = open(sys.argv[1], "wb")
pack = struct.Struct("<IQIq").pack
buf = []
for t, line in enumerate(sys.stdin.buffer):
    buf.append(pack(t, int(line), 1, -1))
    if len(buf) == 65536:
        out.write(b"".join(buf)); buf = []
out.write(b"".join(buf))
' "$bin"
cat > "$work/lru.py" <<'PY'
import sys, libcachesim as lcs
reader = lcs.TraceReader(sys.argv[1], lcs.TraceType.ORACLE_GENERAL_TRACE)
print("libCacheSim LRU 10K:", lcs.LRU(cache_size=10_000).process_trace(reader))
PY
echo "== libCacheSim (Python bindings over its C core)"
/usr/bin/time -f "%e s wall, %U s user" "$work/venv/bin/python" "$work/lru.py" "$bin"
echo "== fermi"
/usr/bin/time -f "%e s wall, %U s user" ./target/release/fermi sim cache --trace "$bin" --trace-format oracle-general --policy lru --size 10K
