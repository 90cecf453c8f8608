#!/usr/bin/env python3
"""Reference timings for the `stats` benchmark suite (tests/GenStats.Benchmarks/StatsSuite.cs).

usage: stats_reference.py DATA_DIR REPEATS CASE...
Reads the raw little-endian float64 files the C# side wrote into DATA_DIR, times each named case
REPEATS times (after one warm-up) and prints one line per case: "NAME MEDIAN_SECONDS VALUE".
Add a case: a function taking DATA_DIR, returning a zero-argument callable that returns a float.
"""
import os
import sys
import time

import numpy as np
from scipy import stats


def _one_dimensional(data_dir):
    a = np.fromfile(os.path.join(data_dir, "a1d.f64"), dtype="<f8")
    b = np.fromfile(os.path.join(data_dir, "b1d.f64"), dtype="<f8")
    return a, b


def ks_1e6(data_dir):
    a, b = _one_dimensional(data_dir)
    return lambda: stats.ks_2samp(a, b).pvalue


def w1_1e6(data_dir):
    a, b = _one_dimensional(data_dir)
    return lambda: stats.wasserstein_distance(a, b)


def energy_1e6(data_dir):
    a, b = _one_dimensional(data_dir)
    return lambda: stats.energy_distance(a, b)


CASES = {f.__name__: f for f in (ks_1e6, w1_1e6, energy_1e6)}


def main(argv):
    data_dir, repeats, names = argv[1], int(argv[2]), argv[3:]
    for name in names:
        if name not in CASES:
            print(f"no reference for {name}", file=sys.stderr)
            continue
        run = CASES[name](data_dir)
        run()
        times, value = [], float("nan")
        for _ in range(repeats):
            start = time.perf_counter()
            value = run()
            times.append(time.perf_counter() - start)
        print(f"{name} {sorted(times)[len(times) // 2]!r} {float(value)!r}", flush=True)


if __name__ == "__main__":
    main(sys.argv)
