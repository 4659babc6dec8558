#!/usr/bin/env bash
# Measures drtp's matrix products against OpenBLAS on this machine, in one
# run: installs Debian's OpenBLAS and a C compiler if needed, builds
# bench/openblas_sgemm.c, and times both on the products the MNIST networks
# compute (benchmark.NetworkShapes, as `drtp bench --only gemm` prints
# them), with one thread and with two, the sides alternating for several
# rounds. Prints drtp's GFLOP/s as a percentage of OpenBLAS's (medians,
# ranges beside them) and, per thread count, the lowest and median
# percentage over the shapes.
#
# Usage: bench/compare_openblas.sh [seconds per product, default 2] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-2}
rounds=${2:-3}
if ! echo 'int main(void){return 0;}' | cc -x c - -lopenblas -o /dev/null 2>/dev/null; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y gcc libopenblas-dev
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/drtp" ./cmd/drtp
cc -O2 -o "$tmp/openblas_sgemm" bench/openblas_sgemm.c -lopenblas -lm
# drtp bench spends --time/2 on each product.
dtime=$(awk -v s="$secs" 'BEGIN { print 2 * s "s" }')
GOMAXPROCS=1 "$tmp/drtp" bench --json --only gemm --time "$dtime" > "$tmp/drtp-1.jsonl"
shapes=$(/usr/bin/python3 -c '
import json, sys
for j in map(json.loads, open(sys.argv[1])):
    op, shape = j["name"].split()[1:3]
    print(f"{op}:{shape}")' "$tmp/drtp-1.jsonl")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "OpenBLAS $(dpkg-query -W -f '${Version}' libopenblas0 2>/dev/null || echo '(version unknown)'), cblas_sgemm; drtp $(go version | cut -d' ' -f3)"
# shellcheck source=bench/openblas_core.sh
source bench/openblas_core.sh
for r in $(seq "$rounds"); do
  for t in 1 2; do
    # shellcheck disable=SC2086 # one argument per shape
    OPENBLAS_NUM_THREADS=$t "$tmp/openblas_sgemm" "$t" "$secs" $shapes >> "$tmp/openblas.jsonl"
    if [ "$r" -gt 1 ] || [ "$t" -gt 1 ]; then
      GOMAXPROCS=$t "$tmp/drtp" bench --json --only gemm --time "$dtime" >> "$tmp/drtp-$t.jsonl"
    fi
  done
done
/usr/bin/python3 - "$tmp" "$rounds" <<'PY'
import json, statistics, sys
tmp, rounds = sys.argv[1], sys.argv[2]
def runs(path, threads=None):
    out = {}
    for j in map(json.loads, open(path)):
        if threads is not None and j["threads"] != threads:
            continue
        name = j["name"].split(" (")[0]  # drtp's names end with the kernel
        out.setdefault(name, []).append(j["gflops"])
    return out
fmt = lambda v: f"{statistics.median(v):6.1f} [{min(v):.0f}–{max(v):.0f}]"
print(f"GFLOP/s, median of {rounds} alternating rounds [min–max]")
for t in (1, 2):
    blas, ours = runs(f"{tmp}/openblas.jsonl", t), runs(f"{tmp}/drtp-{t}.jsonl")
    print(f"\n{t} thread{'s' if t > 1 else ''}")
    print(f"{'product':26s} {'OpenBLAS':>18s} {'drtp':>18s} {'drtp/OpenBLAS':>14s}")
    pct = []
    for name, b in blas.items():
        o = ours[name]
        pct.append(100 * statistics.median(o) / statistics.median(b))
        print(f"{name:26s} {fmt(b):>18s} {fmt(o):>18s} {pct[-1]:13.0f}%")
    print(f"lowest {min(pct):.0f}%, median {statistics.median(pct):.0f}% of OpenBLAS over {len(pct)} products")
PY
