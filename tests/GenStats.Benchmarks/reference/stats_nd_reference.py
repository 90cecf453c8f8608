"""Reference timings for the stats-nd suite: numpy/scipy on the data GenStats wrote.

energy_nd: the weighted-free V-statistic sqrt(2 E|X-Y| - E|X-X'| - E|Y-Y'|) from
scipy.spatial.distance.cdist, in row blocks of 2000 so that memory stays bounded.
frechet: np.cov + scipy.linalg.sqrtm(sigma1 @ sigma2), as pytorch-fid computes FID.
Prints `name value` lines: energy, energy_s, frechet, frechet_s (median seconds).
"""
import sys
import time

import numpy as np
from scipy import linalg
from scipy.spatial.distance import cdist


def load(path, d):
    return np.fromfile(path, dtype="<f8").reshape(-1, d)


def mean_distance(x, y, block=2000):
    total = 0.0
    for i in range(0, len(x), block):
        total += cdist(x[i:i + block], y).sum()
    return total / (len(x) * len(y))


def energy(x, y):
    return np.sqrt(2 * mean_distance(x, y) - mean_distance(x, x) - mean_distance(y, y))


def frechet(x, y):
    mu1, mu2 = x.mean(axis=0), y.mean(axis=0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    covmean = covmean.real
    diff = mu1 - mu2
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)


def median_time(runs, f):
    times, value = [], None
    for _ in range(runs):
        t = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), value


def main():
    folder, _, ed, _, fd = sys.argv[1], *map(int, sys.argv[2:6])
    ea, eb = load(f"{folder}/ea.bin", ed), load(f"{folder}/eb.bin", ed)
    fa, fb = load(f"{folder}/fa.bin", fd), load(f"{folder}/fb.bin", fd)
    t, v = median_time(3, lambda: energy(ea, eb))
    print(f"energy {v!r}\nenergy_s {t!r}")
    t, v = median_time(15, lambda: frechet(fa, fb))
    print(f"frechet {v!r}\nfrechet_s {t!r}")


if __name__ == "__main__":
    main()
