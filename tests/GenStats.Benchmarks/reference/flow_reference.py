#!/usr/bin/env python3
"""Reference side of the flow benchmark of suite `models` (FlowBench.cs), in PyTorch CPU.
Usage: flow_reference.py THREADS
The same conditional neural spline flow as GenStats' default coupling flow, written here from
Durkan et al. 2019 (arXiv:1906.04032) in the nflows convention: 6 features, 3 conditions, 8 coupling
layers (3 identity columns, alternating order), conditioners 2 x 128 ReLU on (x_A, y), K = 8 bins
on [-4, 4] with identity tails, min bin width/height/derivative 1e-3, base N(0, I), Adam 1e-3.
Prints:
  flow_train STEPS_PER_S      (one weighted-NLL Adam step at batch 512)
  flow_sample SAMPLES_PER_S   (inverse pass at 10^5 conditions, no grad)
Medians over repetitions, same thread count as the GenStats side.
"""
import math
import os
import statistics
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(threads)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(threads)
torch.manual_seed(0)
D, C, L, HID, K, B, BATCH, N_SAMPLE = 6, 3, 8, 128, 8, 4.0, 512, 100_000
MIN_W = MIN_H = MIN_D = 1e-3
A = D // 2
P = 3 * K - 1


def median_time(fn, reps, warmup=1):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def knots(u):
    frac = MIN_W + (1 - MIN_W * K) * torch.softmax(u, dim=-1)
    cum = torch.cat([torch.zeros_like(frac[..., :1]), torch.cumsum(frac[..., :-1], -1), torch.ones_like(frac[..., :1])], -1)
    cum = 2 * B * cum - B
    return cum, cum[..., 1:] - cum[..., :-1]


def spline(x, p, inverse):
    """Element-wise RQ spline of x [N, d] with parameters [N, d, 3K-1]; returns (y, log|dy/dx|)."""
    cw, w = knots(p[..., :K])
    ch, h = knots(p[..., K:2 * K])
    one = torch.ones_like(p[..., :1])
    d = torch.cat([one, MIN_D + F.softplus(p[..., 2 * K:]), one], -1)
    inside = (x >= -B) & (x <= B)
    xc = x.clamp(-B, B)
    edges = ch if inverse else cw
    k = (torch.searchsorted(edges.contiguous(), xc.unsqueeze(-1).contiguous(), right=True) - 1).clamp(0, K - 1)
    g = lambda t: t.gather(-1, k).squeeze(-1)  # noqa: E731
    cwk, wk, chk, hk, d0 = g(cw), g(w), g(ch), g(h), g(d)
    d1 = d.gather(-1, k + 1).squeeze(-1)
    delta = hk / wk
    s = d0 + d1 - 2 * delta
    if not inverse:
        t = (xc - cwk) / wk
        tt = t * (1 - t)
        y = chk + hk * (delta * t * t + d0 * tt) / (delta + s * tt)
    else:
        r = xc - chk
        a = hk * (delta - d0) + r * s
        b = hk * d0 - r * s
        c = -delta * r
        t = 2 * c / (-b - torch.sqrt((b * b - 4 * a * c).clamp(min=0)))
        y = t * wk + cwk
        tt = t * (1 - t)
    lad = torch.log(delta * delta * (d1 * t * t + 2 * delta * tt + d0 * (1 - t) ** 2)) - 2 * torch.log(delta + s * tt)
    if inverse:
        lad = -lad
    return torch.where(inside, y, x), torch.where(inside, lad, torch.zeros_like(lad))


def conditioner():
    net = nn.Sequential(nn.Linear(A + C, HID), nn.ReLU(), nn.Linear(HID, HID), nn.ReLU(), nn.Linear(HID, (D - A) * P))
    return net


nets = nn.ModuleList([conditioner() for _ in range(L)])
orders = [list(range(D)) if l % 2 == 0 else list(reversed(range(D))) for l in range(L)]
inverses = [[o.index(i) for i in range(D)] for o in orders]


def log_prob(x, y):
    total = torch.zeros(x.shape[0])
    for l in range(L):
        xo = x[:, orders[l]]
        p = nets[l](torch.cat([xo[:, :A], y], 1)).view(-1, D - A, P)
        zb, lad = spline(xo[:, A:], p, False)
        x = torch.cat([xo[:, :A], zb], 1)[:, inverses[l]]
        total = total + lad.sum(1)
    return -0.5 * (x * x).sum(1) - 0.5 * D * math.log(2 * math.pi) + total


def sample(y):
    z = torch.randn(y.shape[0], D)
    for l in reversed(range(L)):
        zo = z[:, orders[l]]
        p = nets[l](torch.cat([zo[:, :A], y], 1)).view(-1, D - A, P)
        xb, _ = spline(zo[:, A:], p, True)
        z = torch.cat([zo[:, :A], xb], 1)[:, inverses[l]]
    return z


x_all, y_all, w_all = torch.randn(100_000, D), torch.randn(100_000, C), torch.rand(100_000) * 1.5 - 0.25
opt = torch.optim.Adam(nets.parameters(), lr=1e-3)


def train_step():
    idx = torch.randint(0, x_all.shape[0], (BATCH,))
    w = w_all[idx]
    loss = -(w * log_prob(x_all[idx], y_all[idx])).sum() / w.sum()
    opt.zero_grad()
    loss.backward()
    opt.step()


t = median_time(train_step, 50, warmup=5)
print(f"flow_train {1 / t:.3f}", flush=True)
cond = y_all[:N_SAMPLE]
with torch.no_grad():
    t = median_time(lambda: sample(cond), 5, warmup=1)
print(f"flow_sample {N_SAMPLE / t:.1f}", flush=True)
