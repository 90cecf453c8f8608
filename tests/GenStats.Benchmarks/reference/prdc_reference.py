"""Reference timing for the stats-prdc benchmark: precision, recall, density and coverage
exactly as the prdc package's compute_prdc computes them (scikit-learn pairwise_distances,
n_jobs=8, np.argpartition for the k-th neighbour). Reads the two samples GenStats wrote
(raw little-endian float64, shape given on the command line), times `repeats` runs and prints
one line per run plus the metric values, so the C# side can check that both agree.

usage: prdc_reference.py REAL.bin GENERATED.bin N M DIM K REPEATS
"""
import sys
import time

import numpy as np
import sklearn.metrics


def pairwise(x, y=None):
    return sklearn.metrics.pairwise_distances(x, x if y is None else y, metric="euclidean", n_jobs=8)


def kth_value(unsorted, k):
    idx = np.argpartition(unsorted, k, axis=-1)[..., :k]
    return np.take_along_axis(unsorted, idx, axis=-1).max(axis=-1)


def prdc(real, fake, k):
    real_radii = kth_value(pairwise(real), k + 1)  # k+1: the self-distance 0 is included
    fake_radii = kth_value(pairwise(fake), k + 1)
    d = pairwise(real, fake)
    precision = (d < real_radii[:, None]).any(axis=0).mean()
    recall = (d < fake_radii[None, :]).any(axis=1).mean()
    density = (1.0 / k) * (d < real_radii[:, None]).sum(axis=0).mean()
    coverage = (d.min(axis=1) < real_radii).mean()
    return precision, recall, density, coverage


def main():
    real_path, fake_path, n, m, dim, k, repeats = sys.argv[1:8]
    n, m, dim, k, repeats = int(n), int(m), int(dim), int(k), int(repeats)
    real = np.fromfile(real_path, dtype="<f8").reshape(n, dim)
    fake = np.fromfile(fake_path, dtype="<f8").reshape(m, dim)
    for _ in range(repeats):
        t0 = time.perf_counter()
        values = prdc(real, fake, k)
        print("seconds %.6f" % (time.perf_counter() - t0), flush=True)
    print("values %.17g %.17g %.17g %.17g" % values)


if __name__ == "__main__":
    main()
