#!/usr/bin/env python3
"""Reference for the `physics` benchmark: the same extended unbinned ML fit (Gaussian signal +
exponential background on [lo, hi]) and sPlot sWeights as GenStats, written with numpy/scipy.
scipy.optimize.minimize(method="BFGS") with its default finite-difference gradient, a
central-difference Hessian at the minimum (as GenStats), then summation-variant sWeights.
Usage: splot_fit.py FILE.f64 LO HI REPEATS   (FILE.f64: raw little-endian float64 masses)
Prints: `reference_seconds MEDIAN` and the fitted yields."""
import sys, time
import numpy as np
from scipy.optimize import minimize
from scipy.special import ndtr

x = np.fromfile(sys.argv[1], dtype="<f8")
lo, hi, repeats = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
n = len(x)


def densities(p):
    ns, nb, mu, log_sigma, slope = p
    sigma = np.exp(log_sigma)
    gauss = np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi) * (ndtr((hi - mu) / sigma) - ndtr((lo - mu) / sigma)))
    if abs(slope * (hi - lo)) < 1e-9:
        expo = np.full_like(x, 1.0 / (hi - lo))
    else:
        expo = slope * np.exp(slope * (x - lo)) / np.expm1(slope * (hi - lo))
    return gauss, expo


def nll(p):
    g, e = densities(p)
    d = p[0] * g + p[1] * e
    if np.any(d <= 0):
        return 1e30
    return p[0] + p[1] - np.sum(np.log(d))


def hessian(f, p, steps):
    k = len(p)
    h = np.zeros((k, k))
    f0 = f(p)
    for i in range(k):
        for j in range(i, k):
            ei = np.zeros(k); ei[i] = steps[i]
            ej = np.zeros(k); ej[j] = steps[j]
            if i == j:
                h[i, i] = (f(p + ei) - 2 * f0 + f(p - ei)) / steps[i] ** 2
            else:
                h[i, j] = h[j, i] = (f(p + ei + ej) - f(p + ei - ej) - f(p - ei + ej) + f(p - ei - ej)) / (4 * steps[i] * steps[j])
    return h


def run():
    start = np.array([0.5 * n, 0.5 * n, 1860.0, np.log(8.0), 0.0])
    scale = np.array([np.sqrt(n), np.sqrt(n), 0.1, 0.01, 1e-4])
    # Minimise in scaled coordinates so BFGS sees O(1) steps, with central differences of step 1e-3
    # (as GenStats): scipy's default forward differences of step 1.5e-8 lose precision on a
    # likelihood of 10⁶ events and stop ~5σ from the minimum.
    res = minimize(lambda u: nll(start + scale * u) - nll(start), np.zeros(5), method="BFGS", jac="3-point",
                   options={"gtol": 1e-4, "finite_diff_rel_step": 1e-3})
    run.message = f"{res.message} nit={res.nit} nfev={res.nfev}"
    best = start + scale * res.x
    cov = np.linalg.inv(hessian(nll, best, 0.1 * scale))
    g, e = densities(best)
    f = np.vstack([g, e])
    d = best[0] * g + best[1] * e
    vinv = (f / d) @ (f / d).T
    v = np.linalg.inv(vinv)
    sw = (v @ f) / d
    return best, cov, sw


times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    best, cov, sw = run()
    times.append(time.perf_counter() - t0)
print(f"reference_seconds {np.median(times):.4f}")
print(f"reference_minimiser {run.message}")
print(f"reference_yields {best[0]:.2f} {best[1]:.2f} sum_sw {sw[0].sum():.2f}")
