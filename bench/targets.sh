#!/usr/bin/env bash
# Measures every speed and memory target of the project in one run, on an
# otherwise idle machine, one section after the other:
#   1. rate engine against the paper's PyTorch code (bench/compare.sh);
#   2. spiking engine against a dense PyTorch implementation
#      (bench/compare_spiking.sh);
#   3. matrix products against OpenBLAS (bench/compare_openblas.sh);
#   4. memory against depth, and
#   5. scaling with threads, width and (spiking) input rate
#      (drtp bench --only threads,width,memory,spiking-rate).
# Everything goes to standard output; about 17 minutes with the defaults.
# Rounds are the alternating rounds of sections 1–3 and of the thread
# scaling, each reported as a median.
#
# Usage: bench/targets.sh [seconds per measurement, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
rounds=${2:-3}
echo "bench/targets.sh $secs $rounds at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
section() { printf '\n## %s\n\n' "$1"; }
section "1. Rate engine against PyTorch (bench/compare.sh $secs $rounds)"
bench/compare.sh "$secs" "$rounds"
section "2. Spiking engine against PyTorch (bench/compare_spiking.sh $secs $rounds)"
bench/compare_spiking.sh "$secs" "$rounds"
gsecs=$(awk -v s="$secs" 'BEGIN { print (s > 4 ? 2 : s / 2) }')
section "3. Matrix products against OpenBLAS (bench/compare_openblas.sh $gsecs $rounds)"
bench/compare_openblas.sh "$gsecs" "$rounds"
section "4–5. Memory against depth; scaling with threads, width and input rate (drtp bench)"
go run ./cmd/drtp bench --only threads,width,memory,spiking-rate --time "${secs}s" --rounds "$rounds"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
