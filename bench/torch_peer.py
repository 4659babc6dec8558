#!/usr/bin/env python3
"""PyTorch peer for `drtp bench`: the same training, written the way a user of
PyTorch would write it, timed the same way (training loop only).

Rate networks: FC/CONV topologies as in drtp, tanh hidden units, sigmoid
outputs, BCE loss, Adam; the learning rule applied through autograd hooks
(BP, FA, DFA, sDFA, DRTP, shallow), as the paper's released code does.
Prints one JSON line per configuration: {"name", "samples_per_sec", "threads"}.

Usage: torch_peer.py [--threads 2] [--seconds 5] [--mnist DIR] CONFIG...
where CONFIG is TOPOLOGY:RULE, e.g. FC_1000_FC_10:drtp.
"""
import argparse
import gzip
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def load_mnist(folder, n):
    """First n training images of the idx files in folder, scaled to [0, 1]."""
    with gzip.open(os.path.join(folder, "train-images-idx3-ubyte.gz")) as f:
        raw = f.read()
    with gzip.open(os.path.join(folder, "train-labels-idx1-ubyte.gz")) as f:
        lab = f.read()
    x = torch.frombuffer(bytearray(raw[16:16 + n * 784]), dtype=torch.uint8).float().div_(255).view(n, 1, 28, 28)
    y = torch.frombuffer(bytearray(lab[8:8 + n]), dtype=torch.uint8).long()
    return x, y


class Signal(torch.autograd.Function):
    """Identity forward; backward replaces the gradient at a hidden layer's
    output by the rule's estimate (DFA, sDFA, DRTP) or zero (shallow)."""

    @staticmethod
    def forward(ctx, x, target, err, b, rule):
        # Kept as attributes, not saved tensors: err is filled in place once
        # the output exists, before backward runs.
        ctx.rule, ctx.target, ctx.err, ctx.b = rule, target, err, b
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        target, err, b = ctx.target, ctx.err, ctx.b
        if ctx.rule == "shallow":
            return torch.zeros_like(grad), None, None, None, None
        if ctx.rule == "drtp":
            s = target
        elif ctx.rule == "dfa":
            s = err
        else:
            s = torch.sign(err)
        return s.mm(b.view(b.shape[0], -1)).view_as(grad), None, None, None, None


class FALinear(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, bias, back):
        ctx.save_for_backward(x, back)
        return F.linear(x, w, bias)

    @staticmethod
    def backward(ctx, grad):
        x, back = ctx.saved_tensors
        return grad.mm(back), grad.t().mm(x), grad.sum(0), None


class Net(nn.Module):
    def __init__(self, topology, rule, classes=10, size=28, channels=1):
        super().__init__()
        self.rule = rule
        tok = topology.split("_")
        self.layers = nn.ModuleList()
        self.kinds, self.fb, self.fa = [], [], []
        shape = (channels, size, size)
        i = 0
        specs = []
        while i < len(tok):
            if tok[i] == "CONV":
                specs.append(("CONV", *map(int, tok[i + 1:i + 5])))
                i += 5
            else:
                specs.append(("FC", int(tok[i + 1])))
                i += 2
        for k, s in enumerate(specs):
            last = k == len(specs) - 1
            if s[0] == "CONV":
                _, out, ker, st, pad = s
                self.layers.append(nn.Conv2d(shape[0], out, ker, st, pad))
                h = (shape[1] - ker + 2 * pad) // st + 1
                out_shape = (out, h, h)
                shape = (out, h // 2, h // 2)
            else:
                fan = shape[0] * shape[1] * shape[2] if isinstance(shape, tuple) else shape
                self.layers.append(nn.Linear(fan, s[1]))
                out_shape = (s[1],)
                shape = s[1]
            self.kinds.append(s[0])
            b = torch.empty(classes, *out_shape)
            nn.init.kaiming_uniform_(b)
            self.fb.append(b if not last else None)
            if rule == "fa":
                w = self.layers[-1].weight
                fa = torch.empty_like(w)
                nn.init.kaiming_uniform_(fa)
                self.fa.append(fa)

    def forward(self, x, target=None, err=None):
        for k, (layer, kind) in enumerate(zip(self.layers, self.kinds)):
            last = k == len(self.layers) - 1
            if kind == "FC":
                x = x.reshape(x.shape[0], -1)
                if self.rule == "fa" and self.training:
                    x = FALinear.apply(x, layer.weight, layer.bias, self.fa[k])
                else:
                    x = layer(x)
            else:
                x = layer(x)
            if last:
                return torch.sigmoid(x)
            x = torch.tanh(x)
            if self.training and self.rule in ("drtp", "dfa", "sdfa", "shallow"):
                x = Signal.apply(x, target, err, self.fb[k], self.rule)
            if kind == "CONV":
                x = F.max_pool2d(x, 2, 2)
        return x


def bench(topology, rule, x, y, batch, seconds, threads):
    torch.manual_seed(1)
    net = Net(topology, rule)
    opt = torch.optim.Adam(net.parameters(), lr=1.5e-4)
    onehot = F.one_hot(y, 10).float()
    n = x.shape[0] // batch
    err = torch.zeros(batch, 10)

    def step(i):
        i %= n
        xb, tb = x[i * batch:(i + 1) * batch], onehot[i * batch:(i + 1) * batch]
        opt.zero_grad()
        out = net(xb, tb, err)
        loss = F.binary_cross_entropy(out, tb)
        if rule in ("dfa", "sdfa"):
            err.copy_(out.detach() - tb)  # the error reaches the hooks in backward
        loss.backward()
        opt.step()

    for i in range(3):
        step(i)
    start, steps = time.perf_counter(), 0
    while time.perf_counter() - start < seconds or steps < 5:
        step(steps)
        steps += 1
    el = time.perf_counter() - start
    return {"name": f"train {topology} {rule} batch {batch}", "samples_per_sec": steps * batch / el, "threads": threads}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--batch", type=int, default=60)
    ap.add_argument("--mnist", default="")
    ap.add_argument("configs", nargs="+")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.mnist:
        x, y = load_mnist(a.mnist, 6000)
    else:
        g = torch.Generator().manual_seed(1)
        x = (torch.rand(6000, 1, 28, 28, generator=g) < 0.19).float() * torch.rand(6000, 1, 28, 28, generator=g)
        y = torch.randint(0, 10, (6000,), generator=g)
    for c in a.configs:
        topo, rule = c.split(":")
        print(json.dumps(bench(topo, rule, x, y, a.batch, a.seconds, a.threads)), flush=True)


if __name__ == "__main__":
    main()
