"""Prints the BLAS libraries and kernels the benchmark references run with (threadpoolctl), once
after importing numpy and once after importing torch, as `blas: ...` lines for RESULTS.md."""
import sys

import threadpoolctl

import numpy  # noqa: F401  (loads numpy's OpenBLAS)

def show(after: str) -> int:
    found = 0
    for pool in threadpoolctl.threadpool_info():
        if pool.get("user_api") == "blas" and pool.get("internal_api") == "openblas":
            found += 1
            print(f"blas ({after}): {pool.get('internal_api')} {pool.get('version')} "
                  f"kernel={pool.get('architecture')} threads={pool.get('num_threads')} "
                  f"{pool.get('filepath')}")
    return found

if show("numpy") == 0:
    # threadpoolctl sees OpenBLAS, MKL and BLIS; netlib's reference BLAS is invisible to it.
    print("blas (numpy): not OpenBLAS (netlib's reference BLAS?); install libopenblas0-pthread")
    sys.exit(1)
try:
    import torch
    show("torch")
    print(f"torch: {torch.__version__}, intra-op threads {torch.get_num_threads()}")
except ImportError:
    print("torch: not installed")
