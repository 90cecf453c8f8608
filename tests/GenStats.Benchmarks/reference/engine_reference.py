#!/usr/bin/env python3
"""Reference side of the GenStats `engine` benchmark suite.

Usage: engine_reference.py THREADS [--torch-only] [--cuda]
Prints one line per figure:
  sgemm M N K GFLOPS          (numpy float32 matmul, i.e. the BLAS numpy links: OpenBLAS on Debian)
  train STEPS_PER_S           (PyTorch CPU, the Cramér GAN generator step of CramerGanBench.cs)
  infer SAMPLES_PER_S         (PyTorch CPU, generator forward at batch 10^4, no grad)
Medians over repetitions, same thread count as the GenStats side.
With --cuda (the `gpu` suite, Engine/GpuSuite.cs; implies --torch-only) the same step runs on
PyTorch CUDA, inference at batch 10^5, each timed call closed by torch.cuda.synchronize(); it
prints `device NAME` first and exits with 3 when PyTorch sees no CUDA device.
"""
import os
import statistics
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(threads)

import numpy as np  # noqa: E402  (after the thread variables)


cuda = "--cuda" in sys.argv


def median_time(fn, reps, warmup=1, sync=lambda: None):
    for _ in range(warmup):
        fn()
    sync()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        sync()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def sgemm():
    rng = np.random.default_rng(1)
    for m, n, k in ((512, 128, 128), (512, 256, 256), (2048, 2048, 2048)):
        a = rng.random((m, k), dtype=np.float32)
        b = rng.random((k, n), dtype=np.float32)
        flops = 2.0 * m * n * k
        reps = int(min(2000, max(5, 2e10 / flops)))
        t = median_time(lambda: a @ b, reps, warmup=3)
        print(f"sgemm {m} {n} {k} {flops / t / 1e9:.3f}", flush=True)


def torch_side():
    import torch
    import torch.nn as nn

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    dev = torch.device("cuda" if cuda else "cpu")
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    if cuda:
        if not torch.cuda.is_available():
            print("no CUDA device visible to PyTorch", file=sys.stderr)
            sys.exit(3)
        print(f"device {torch.cuda.get_device_name(0).replace(' ', '_')}", flush=True)
    B, LAT, COND, FEAT, COUT, HID, DEPTH, NCRIT, LAM = 512, 64, 3, 5, 256, 128, 10, 15, 10.0

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

    t = median_time(generator_step, reps=int(os.environ.get("GENSTATS_BENCH_TRAIN_REPS", "7")), warmup=1, sync=sync)
    print(f"train {1.0 / t:.4f}", flush=True)

    n = 100_000 if cuda else 10_000

    def infer():
        with torch.no_grad():
            gen(torch.cat([randn(n, LAT), randn(n, COND)], 1))

    t = median_time(infer, reps=20, warmup=2, sync=sync)
    print(f"infer {n / t:.1f}", flush=True)


if __name__ == "__main__":
    if "--torch-only" not in sys.argv and not cuda:  # suite `models` needs only the PyTorch figures
        sgemm()
    torch_side()
