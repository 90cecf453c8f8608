#!/usr/bin/env python3
"""PyTorch CUDA reference of the GenStats `gpu` benchmark suite (tests/GenStats.Benchmarks/Engine/GpuSuite.cs).

Usage: gpu_reference.py
Prints:
  device NAME                 (torch.cuda.get_device_name)
  train STEPS_PER_S           (the Cramér GAN generator step of CramerGanBench.cs / engine_reference.py, on CUDA)
  infer SAMPLES_PER_S         (generator forward at batch 10^5, no grad)
Medians over repetitions; torch.cuda.synchronize() closes every timed call. Exit code 3 without CUDA.
"""
import statistics
import sys
import time

import torch
import torch.nn as nn

if not torch.cuda.is_available():
    print("no CUDA device visible to PyTorch", file=sys.stderr)
    sys.exit(3)
dev = torch.device("cuda")
print(f"device {torch.cuda.get_device_name(0).replace(' ', '_')}", flush=True)
torch.manual_seed(0)
B, LAT, COND, FEAT, COUT, HID, DEPTH, NCRIT, LAM = 512, 64, 3, 5, 256, 128, 10, 15, 10.0


def median_time(fn, reps, warmup=1):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def mlp(inp, out):
    layers, w = [], inp
    for _ in range(DEPTH):
        layers += [nn.Linear(w, HID), nn.ReLU()]
        w = HID
    layers.append(nn.Linear(w, out))
    return nn.Sequential(*layers).to(dev)


gen = mlp(LAT + COND, FEAT)
critic = mlp(FEAT + COND, COUT)
opt_g = torch.optim.RMSprop(gen.parameters(), lr=1e-4)
opt_c = torch.optim.RMSprop(critic.parameters(), lr=1e-4)
sch_g = torch.optim.lr_scheduler.ExponentialLR(opt_g, 0.999)
sch_c = torch.optim.lr_scheduler.ExponentialLR(opt_c, 0.999)


def randn(*shape):
    return torch.randn(*shape, device=dev)


def f(x, y):
    return critic(torch.cat([x, y], 1))


def g(y):
    return gen(torch.cat([randn(B, LAT), y], 1))


def h(fx, fg2):
    return torch.linalg.norm(fx - fg2, dim=1) - torch.linalg.norm(fx, dim=1)


def critic_step():
    xr, y = randn(B, FEAT), randn(B, COND)
    with torch.no_grad():
        xg, xg2 = g(y), g(y)
    fg2 = f(xg2, y)
    loss = (h(f(xr, y), fg2) - h(f(xg, y), fg2)).mean()
    eps = torch.rand(B, 1, device=dev)
    xhat = (eps * xr + (1 - eps) * xg).detach().requires_grad_(True)
    grad = torch.autograd.grad(h(f(xhat, y), fg2).sum(), xhat, create_graph=True)[0]
    gp = torch.relu(torch.linalg.norm(grad, dim=1) - 1).pow(2).mean()
    closs = -loss + LAM * gp
    opt_c.zero_grad()
    closs.backward()
    opt_c.step()


def generator_step():
    for _ in range(NCRIT):
        critic_step()
    for p in critic.parameters():
        p.requires_grad_(False)
    xr, y = randn(B, FEAT), randn(B, COND)
    fg2 = f(g(y), y)
    loss = (h(f(xr, y), fg2) - h(f(g(y), y), fg2)).mean()
    opt_g.zero_grad()
    loss.backward()
    opt_g.step()
    for p in critic.parameters():
        p.requires_grad_(True)
    sch_g.step()
    sch_c.step()


t = median_time(generator_step, reps=7, warmup=2)
print(f"train {1.0 / t:.4f}", flush=True)

n = 100_000


def infer():
    with torch.no_grad():
        gen(torch.cat([randn(n, LAT), randn(n, COND)], 1))


t = median_time(infer, reps=20, warmup=2)
print(f"infer {n / t:.1f}", flush=True)
