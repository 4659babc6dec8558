#!/usr/bin/env python3
"""PyTorch peer of drtp's spiking engine: the same spiking DRTP training as
spiking.DefaultConfig, written the way a PyTorch user would write it (dense
tensors over a batch, a Python loop over the T time steps, matrix products at
every step), timed the same way as `drtp bench --only spiking` (training loop
only).

The training (the equation labels are those of spiking/doc.go, neuron/doc.go,
encode/doc.go and synapse's three-factor rule):

  network      LIF 784-1000-10, T = 50 steps of dt = 1 ms; the state starts
               at zero for every sample
  input        Poisson (Bernoulli per step): p = min(1, x * 400 Hz * dt/1000)  (E1)
  current      i_k[t] = W_k s_{k-1}[t] + b_k, the hidden spikes of step t
               reaching the readout in the same step                         (K1)
  membrane     v[t] = a v[t-1] + i[t] - theta s[t-1], a = exp(-dt/20 ms)     (N1, N2)
  spike        s[t] = (v[t] >= theta), theta = 1                             (N3)
  post factor  hidden: psi = max(0, 1 - |v - theta|/theta)                   (N5)
               readout: psi = 1 (straight through)                           (N6'')
  trace        xbar[t] = a_x xbar[t-1] + s[t], a_x = exp(-dt/tau_x),
               tau_x = tau_m = 20 ms (the engine's TauTrace 0)               (T1)
  third factor hidden: d = B^T y*, B (10 x 1000) uniform +-sqrt(6/1000),
               fixed                                                         (D1)
               plus the firing-rate regulariser, lambda = 0.05 towards
               rho_h = 100 Hz: d[t] += lambda (r[t] - rho_h dt/1000), r[t]
               the neuron's spikes per step so far in the sample             (R1)
               readout: e[t] = s[t] - rho y*, rho = 200 Hz * dt/1000         (O1)
  update       grad W = sum_t (d * psi)[t]^T xbar[t], summed over the sample
               and the batch; the readout's bias learns with the trace of an
               always-on input, the hidden biases (zero) do not              (T2, T3)
  optimiser    Adam, lr 2.5e-3 for the hidden layer, 0.12 x that for the
               readout, both x0.7 after every epoch
  init         hidden weights uniform +-1/sqrt(784); readout weights zero;
               biases zero
  prediction   most output spikes; ties go to the larger summed potential

Prints one JSON line: {"name", "threads", "batch", "max_rate_hz"}, with
"samples_per_sec", "input_spikes_per_sample" and "hidden_spikes_per_sample"
from the throughput measurement (--seconds, on the first 6000 training
images, after one warm-up batch) and, after an accuracy run (--epochs N),
"test_error" and "train_error" (%, the last epoch's on the fly) and
"epoch_samples_per_sec". The name is the one `drtp bench --json` gives the
same measurement; --max-rate R other than 400 adds " max-rate RHz", as
`drtp bench --only spiking-rate` does.

Usage: torch_spiking_peer.py --mnist DIR [--threads 2] [--batch 100]
       [--seconds 5] [--max-rate 400] [--epochs 0 --train-limit 0 --test-limit 0]
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import torch

# spiking.DefaultConfig.
TOPOLOGY = "FC_1000_FC_10"
STEPS = 50  # T
DT = 1.0  # ms
MAX_RATE = 400.0  # Hz, input of value 1
TAU_MEM = 20.0  # ms
THETA = 1.0
TARGET_RATE = 200.0  # Hz, the label's output neuron
RATE_REG = 0.05  # lambda of eq. R1 (spiking.DefaultRateReg of DRTP)
HIDDEN_RATE = 100.0  # Hz, rho_h of eq. R1
LR = 2.5e-3
OUTPUT_LR = 0.12  # relative to LR
LR_DECAY = 0.7  # per epoch


def load_mnist(folder, kind, n):
    """The first n images (all if n is 0) of kind "train" or "t10k" from the
    idx .gz files in folder, scaled to [0, 1], and their labels."""
    with gzip.open(os.path.join(folder, f"{kind}-images-idx3-ubyte.gz")) as f:
        raw = f.read()
    with gzip.open(os.path.join(folder, f"{kind}-labels-idx1-ubyte.gz")) as f:
        lab = f.read()
    total = int.from_bytes(raw[4:8], "big")
    n = total if n <= 0 else min(n, total)
    x = torch.frombuffer(bytearray(raw[16:16 + n * 784]), dtype=torch.uint8).float().div_(255).view(n, 784)
    y = torch.frombuffer(bytearray(lab[8:8 + n]), dtype=torch.uint8).long()
    return x, y


class SpikingDRTP:
    """LIF 784-1000-10 trained by DRTP, summed updates, Adam."""

    def __init__(self, max_rate, seed=1):
        g = torch.Generator().manual_seed(seed)
        n_in, n_hid, n_out = 784, 1000, 10
        bound = 1 / math.sqrt(n_in)
        self.w1 = (torch.rand(n_hid, n_in, generator=g) * 2 - 1) * bound
        self.b1 = torch.zeros(n_hid)  # fixed (the hidden biases do not learn)
        self.w2 = torch.zeros(n_out, n_hid)
        self.b2 = torch.zeros(n_out)
        fb = math.sqrt(6 / n_hid)
        self.fb = (torch.rand(n_out, n_hid, generator=g) * 2 - 1) * fb  # B_1, C x n_1
        for p in (self.w1, self.w2, self.b2):
            p.grad = torch.zeros_like(p)
        self.opt = torch.optim.Adam([
            {"params": [self.w1], "lr": LR},
            {"params": [self.w2, self.b2], "lr": LR * OUTPUT_LR},
        ])
        self.p_max = max_rate * DT / 1000
        self.alpha = math.exp(-DT / TAU_MEM)
        self.alpha_x = math.exp(-DT / TAU_MEM)  # tau_x = tau_m
        self.rho = TARGET_RATE * DT / 1000
        self.rho_h = HIDDEN_RATE * DT / 1000
        self.gen = torch.Generator().manual_seed(seed + 1)  # input spikes

    @torch.no_grad()
    def run(self, x, y=None):
        """Simulates the batch x (B x 784) for T steps; with labels y, adds
        the summed three-factor updates to the .grad of the weights. Returns
        the predicted classes and the input and hidden spike counts."""
        batch = x.shape[0]
        learn = y is not None
        a, ax, theta = self.alpha, self.alpha_x, THETA
        p = (x * self.p_max).clamp_(max=1)
        v1 = torch.zeros(batch, 1000)
        s1 = torch.zeros(batch, 1000)
        v2 = torch.zeros(batch, 10)
        s2 = torch.zeros(batch, 10)
        count = torch.zeros(batch, 10)
        vsum = torch.zeros(batch, 10)
        n_in = torch.zeros(())
        n_hid = torch.zeros(())
        if learn:
            target = torch.nn.functional.one_hot(y, 10).float()
            d1 = target @ self.fb  # DRTP: B^T y*, fixed for the sample (D1)
            xbar0 = torch.zeros(batch, 784)  # pre traces of the hidden layer
            xbar1 = torch.zeros(batch, 1000)  # pre traces of the readout
            xbar_b = 0.0  # trace of the readout bias's always-on input
            count1 = torch.zeros(batch, 1000)  # hidden spikes so far (R1)
            g1, g2, gb2 = self.w1.grad, self.w2.grad, self.b2.grad
        for t in range(STEPS):
            # Input spikes (E1).
            s0 = (torch.rand(batch, 784, generator=self.gen) < p).float()
            # Hidden layer: current, leak, reset of the last spike, threshold.
            v1 = a * v1 + torch.addmm(self.b1, s0, self.w1.t()) - theta * s1
            s1 = (v1 >= theta).float()
            # Readout, driven by the hidden spikes of this step.
            v2 = a * v2 + torch.addmm(self.b2, s1, self.w2.t()) - theta * s2
            s2 = (v2 >= theta).float()
            count += s2
            vsum += v2
            n_in += s0.sum()
            n_hid += s1.sum()
            if not learn:
                continue
            # Pre-synaptic traces (T1).
            xbar0.mul_(ax).add_(s0)
            xbar1.mul_(ax).add_(s1)
            xbar_b = ax * xbar_b + 1
            # Hidden: d * psi with the triangle post factor (N5, D1), d
            # plus the rate regulariser (R1).
            psi1 = (1 - (v1 - theta).abs() / theta).clamp_(min=0)
            count1 += s1
            reg = (count1 / (t + 1) - self.rho_h).mul_(RATE_REG)
            g1.addmm_((reg.add_(d1)).mul_(psi1).t(), xbar0)
            # Readout: its own rate error, psi = 1 (O1).
            e = s2 - self.rho * target
            g2.addmm_(e.t(), xbar1)
            gb2.add_(e.sum(0), alpha=xbar_b)
        # Most spikes wins; ties go to the larger summed potential.
        best = count.max(1, keepdim=True).values
        pred = torch.where(count == best, vsum, torch.full_like(vsum, -math.inf)).argmax(1)
        return pred, n_in.item(), n_hid.item()

    def train_batch(self, x, y):
        for p in (self.w1, self.w2, self.b2):
            p.grad.zero_()
        out = self.run(x, y)
        self.opt.step()
        return out

    def decay(self):
        for group in self.opt.param_groups:
            group["lr"] *= LR_DECAY


def name(max_rate):
    n = f"spiking LIF {TOPOLOGY} T={STEPS} poisson drtp"
    if max_rate != MAX_RATE:
        n += f" max-rate {max_rate:g}Hz"
    return n


def throughput(x, y, batch, seconds, max_rate):
    """Trains on consecutive batches of x (wrapping around) for seconds,
    after one warm-up batch; returns samples/s and spikes per sample."""
    net = SpikingDRTP(max_rate)
    nb = x.shape[0] // batch
    if nb == 0:
        raise SystemExit(f"torch_spiking_peer: {x.shape[0]} samples make no batch of {batch}")

    def b(i):
        i %= nb
        return x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]

    net.train_batch(*b(0))
    steps, n_in, n_hid = 0, 0.0, 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or steps == 0:
        _, i, h = net.train_batch(*b(steps + 1))
        n_in, n_hid = n_in + i, n_hid + h
        steps += 1
    el = time.perf_counter() - start
    n = steps * batch
    return n / el, n_in / n, n_hid / n


def accuracy(x, y, xt, yt, batch, epochs, max_rate, log):
    """Trains for epochs on (x, y), shuffled every epoch, and returns the
    test error on (xt, yt) and the last epoch's training error, in %, and
    the training samples/s over all epochs."""
    net = SpikingDRTP(max_rate)
    g = torch.Generator().manual_seed(3)
    train_err, seconds = 0.0, 0.0
    for ep in range(epochs):
        perm = torch.randperm(x.shape[0], generator=g)
        wrong = 0
        start = time.perf_counter()
        for lo in range(0, x.shape[0], batch):
            idx = perm[lo:lo + batch]
            pred, _, _ = net.train_batch(x[idx], y[idx])
            wrong += (pred != y[idx]).sum().item()
        el = time.perf_counter() - start
        seconds += el
        net.decay()
        train_err = 100 * wrong / x.shape[0]
        log(f"epoch {ep + 1}: train error {train_err:.2f}%, {x.shape[0] / el:.0f} samples/s")
    wrong = 0
    for lo in range(0, xt.shape[0], batch):
        pred, _, _ = net.run(xt[lo:lo + batch])
        wrong += (pred != yt[lo:lo + batch]).sum().item()
    return 100 * wrong / xt.shape[0], train_err, epochs * x.shape[0] / seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mnist", required=True, help="folder of MNIST's four idx .gz files")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=5, help="time budget of the throughput measurement (0: skip it)")
    ap.add_argument("--max-rate", type=float, default=MAX_RATE, help="Hz, Poisson rate of an input of value 1")
    ap.add_argument("--epochs", type=int, default=0, help="accuracy run: training epochs (0: no accuracy run)")
    ap.add_argument("--train-limit", type=int, default=0, help="accuracy run: first N training samples (0: all)")
    ap.add_argument("--test-limit", type=int, default=0, help="accuracy run: first N test samples (0: all)")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)

    def log(msg):
        if not a.quiet:
            print(f"torch_spiking_peer: {msg}", file=sys.stderr, flush=True)

    out = {"name": name(a.max_rate), "threads": a.threads, "batch": a.batch, "max_rate_hz": a.max_rate}
    if a.seconds > 0:
        x, y = load_mnist(a.mnist, "train", 6000)
        sps, n_in, n_hid = throughput(x, y, a.batch, a.seconds, a.max_rate)
        out.update(samples_per_sec=sps, input_spikes_per_sample=n_in, hidden_spikes_per_sample=n_hid)
        log(f"{sps:.1f} training samples/s")
    if a.epochs > 0:
        x, y = load_mnist(a.mnist, "train", a.train_limit)
        xt, yt = load_mnist(a.mnist, "t10k", a.test_limit)
        test_err, train_err, sps = accuracy(x, y, xt, yt, a.batch, a.epochs, a.max_rate, log)
        out.update(test_error=test_err, train_error=train_err, epochs=a.epochs,
                   train_samples=x.shape[0], test_samples=xt.shape[0], epoch_samples_per_sec=sps)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
