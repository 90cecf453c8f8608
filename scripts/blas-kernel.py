"""Prints the BLAS libraries and kernels the benchmark references run with (threadpoolctl), once
after importing numpy and once after importing torch, as `blas: ...` lines for RESULTS.md."""
import threadpoolctl

import numpy  # noqa: F401  (loads numpy's OpenBLAS)

def show(after: str) -> None:
    for pool in threadpoolctl.threadpool_info():
        if pool.get("user_api") == "blas":
            print(f"blas ({after}): {pool.get('internal_api')} {pool.get('version')} "
                  f"kernel={pool.get('architecture')} threads={pool.get('num_threads')} "
                  f"{pool.get('filepath')}")

show("numpy")
try:
    import torch
    show("torch")
    print(f"torch: {torch.__version__}, intra-op threads {torch.get_num_threads()}")
except ImportError:
    print("torch: not installed")
