#!/usr/bin/env bash
# Measures how long one epoch of each network of the paper's protocol takes
# here (training and evaluation, one process on every core), from which
# `drtp reproduce list` estimates its times (experiments/catalog.go,
# Minutes). Each line runs one epoch on a cut of the data and one on almost
# none (the start-up: loading the data, building the network), and scales
# the difference to the full training set:
#
#   data network rule flags seconds-per-epoch start-up-seconds
#
# FA, DFA and sDFA cost about what BP does, shallow learning what DRTP does.
# CIFAR-10 is timed on random images of its size when the real files are not
# in the user cache (only the time is wanted). About 8 minutes, on an
# otherwise idle machine.
#
# Usage: bench/epoch_times.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/drtp" ./cmd/drtp
echo "bench/epoch_times.sh at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"

cifar=${XDG_CACHE_HOME:-$HOME/.cache}/drtp/cifar-10-batches-bin
if [ ! -f "$cifar/test_batch.bin" ]; then
	cifar=$tmp/cifar
	mkdir -p "$cifar"
	python3 - "$cifar" <<'EOF'
import os, sys
for name in [f"data_batch_{b}.bin" for b in range(1, 6)] + ["test_batch.bin"]:
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        for i in range(10000):
            f.write(bytes([i % 10]) + os.urandom(3072))
EOF
	echo "(CIFAR-10 timed on random images of its size)"
fi

wall() { # out train-limit test-limit flags...
	local out=$1 tl=$2 sl=$3
	shift 3
	local t0 t1
	t0=$(date +%s.%N)
	"$tmp/drtp" train "$@" --epochs 1 --train-limit "$tl" --test-limit "$sl" --out "$out" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}
n=0
one() { # data train-samples cut test-cut net rule flags...
	local data=$1 ntrain=$2 cut=$3 tcut=$4 net=$5 rule=$6
	shift 6
	local dir=()
	[ "$data" = cifar10 ] && dir=(--data-dir "$cifar")
	n=$((n + 1))
	local w0 w
	w0=$(wall "$tmp/r$n-0" 100 20 --data "$data" "${dir[@]}" --net "$net" --algo "$rule" "$@")
	w=$(wall "$tmp/r$n-1" "$cut" "$tcut" --data "$data" "${dir[@]}" --net "$net" --algo "$rule" "$@")
	local flags="$*"
	printf '%s %s %s %s %.1f %.1f\n' "$data" "$net" "$rule" "${flags:-none}" "$(echo "($w - $w0) * $ntrain / $cut" | bc -l)" "$w0"
}

mconv=CONV_32_5_1_2_FC_1000_FC_10
cconv=CONV_64_3_1_1_CONV_256_3_1_1_FC_1000_FC_1000_FC_10
for net in FC_500_FC_10 FC_1000_FC_10 FC_500_FC_500_FC_10 FC_1000_FC_1000_FC_10; do
	for rule in bp drtp; do one mnist 60000 30000 5000 $net $rule; done
done
for rule in bp drtp; do
	one mnist 60000 12000 2000 $mconv $rule
	one mnist 60000 12000 2000 $mconv $rule --freeze-conv
done
one mnist 60000 30000 5000 FC_1000_FC_10 drtp --angles 60
one mnist 60000 30000 5000 FC_1000_FC_10 sdfa --angles 60
one mnist 60000 12000 2000 $mconv drtp --angles 60
one mnist 60000 12000 2000 $mconv fa --angles 60
for net in FC_500_FC_10 FC_1000_FC_10 FC_500_FC_500_FC_10 FC_1000_FC_1000_FC_10; do
	for rule in bp drtp; do one cifar10 50000 25000 5000 $net $rule --batch 100; done
done
one cifar10 50000 25000 5000 FC_1000_FC_10 drtp --batch 100 --angles 100
one cifar10 50000 25000 5000 FC_1000_FC_10 sdfa --batch 100 --angles 100
for rule in bp drtp; do
	one cifar10 50000 5000 1000 $cconv $rule --batch 100
	one cifar10 50000 5000 1000 $cconv $rule --batch 100 --freeze-conv
done
