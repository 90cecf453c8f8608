#!/usr/bin/env python3
"""Reference side of the conv-GAN benchmark of suite `models` (ConvGanBench.cs), in PyTorch CPU.
Usage: conv_gan_reference.py THREADS
The same networks and training step as GenStats' ConvGanTrainer at its defaults, written here from
the seed's LHCb-ECAL description and Gulrajani et al. (WGAN-GP): generator (64 noise + 5 conditions)
-> Linear -> 256x4x4 -> BN, ReLU -> 3 x (nearest 2x upsample, 3x3 conv, BN, ReLU) to 32x32x32 -> 3x3
conv to 1 channel -> centre crop 30x30 -> ReLU; critic: zero pad to 32x32, 3x3 conv 1->32, 3 stride-2
3x3 convs to 64/128/256 (leaky ReLU 0.2), flatten + conditions -> 128 -> 1; regressor: the same
ladder with 16/32/64/64 channels -> 128 -> 5, frozen. One step = 5 critic updates (weighted WGAN loss
+ 10 x two-sided gradient penalty on interpolates, double backward through the convolutions) and one
generator update (weighted -D + 1 x weighted MSE of the regressor), Adam 1e-4, betas (0.5, 0.9),
batch 64, signed weights. Prints:
  conv_gan_train STEPS_PER_S
Median over repetitions, same thread count as the GenStats side.
"""
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
N, H, W, C, LAT, B, NCRIT = 2000, 30, 30, 5, 64, 64, 5


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        ch = [256, 128, 64, 32]
        self.fc = nn.Linear(LAT + C, ch[0] * 16)
        self.bn0 = nn.BatchNorm2d(ch[0])
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ch[i], ch[i + 1], 3, padding=1),
                          nn.BatchNorm2d(ch[i + 1]), nn.ReLU()) for i in range(3))
        self.head = nn.Conv2d(ch[3], 1, 3, padding=1)

    def forward(self, z):
        x = F.relu(self.bn0(self.fc(z).view(-1, 256, 4, 4)))
        for b in self.blocks:
            x = b(x)
        return F.relu(self.head(x)[:, :, 1:31, 1:31])


class Encoder(nn.Module):
    def __init__(self, ch, cond, out):
        super().__init__()
        layers = [nn.Conv2d(1, ch[0], 3, padding=1)]
        layers += [nn.Conv2d(ch[i - 1], ch[i], 3, stride=2, padding=1) for i in range(1, 4)]
        self.convs = nn.ModuleList(layers)
        self.hidden = nn.Linear(ch[3] * 16 + cond, 128)
        self.out = nn.Linear(128, out)

    def forward(self, x, y=None):
        x = F.pad(x, (1, 1, 1, 1))
        for c in self.convs:
            x = F.leaky_relu(c(x), 0.2)
        f = x.flatten(1)
        if y is not None:
            f = torch.cat([f, y], 1)
        return self.out(F.leaky_relu(self.hidden(f), 0.2))


gen, critic, reg = Generator(), Encoder([32, 64, 128, 256], C, 1), Encoder([16, 32, 64, 64], 0, C)
for p in reg.parameters():
    p.requires_grad_(False)
opt_g = torch.optim.Adam(gen.parameters(), lr=1e-4, betas=(0.5, 0.9))
opt_c = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.5, 0.9))
images = torch.log1p(torch.where(torch.rand(N, 1, H, W) < 0.4, torch.empty(N, 1, H, W).exponential_(), torch.zeros(N, 1, H, W)))
conds = torch.randn(N, C)
weights = 1.5 * torch.rand(N) - 0.25


def wmean(v, w):
    return (v * w).sum() / w.sum()


def batch():
    i = torch.randint(0, N, (B,))
    return images[i], conds[i], weights[i]


def step():
    for _ in range(NCRIT):
        x, y, w = batch()
        with torch.no_grad():
            xg = gen(torch.cat([torch.randn(B, LAT), y], 1))
        loss = wmean(critic(xg, y).view(-1), w) - wmean(critic(x, y).view(-1), w)
        eps = torch.rand(B, 1, 1, 1)
        xh = (eps * x + (1 - eps) * xg).requires_grad_(True)
        g, = torch.autograd.grad(critic(xh, y).sum(), xh, create_graph=True)
        gp = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
        opt_c.zero_grad()
        (loss + 10 * gp).backward()
        opt_c.step()
    x, y, w = batch()
    for p in critic.parameters():
        p.requires_grad_(False)
    xg = gen(torch.cat([torch.randn(B, LAT), y], 1))
    loss = -wmean(critic(xg, y).view(-1), w) + wmean(((reg(xg) - y) ** 2).mean(1), w.clamp(min=0))
    opt_g.zero_grad()
    loss.backward()
    opt_g.step()
    for p in critic.parameters():
        p.requires_grad_(True)


def median_time(fn, reps, warmup=1):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


print("conv_gan_train", 1 / median_time(step, int(os.environ.get("GENSTATS_BENCH_TRAIN_REPS", "5"))))
