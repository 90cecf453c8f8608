#!/usr/bin/env bash
# The GPU check of issue 15, for a machine with an NVIDIA GPU, its driver and PyTorch (CUDA) but no
# dotnet: unpacks the bundle that scripts/publish-gpu.sh builds (self-contained linux-x64), runs the
# ILGPU kernel tests and the per-backend engine tests on CUDA, then the `gpu` benchmark suite with
# that machine's PyTorch CUDA as the reference in the same run.
# Usage: gpu-check.sh [genstats-gpu.tar.gz | BUNDLE_DIR]   (default: the folder this script is in)
# Exit: 0 all passed (or no GPU: one line says why), 1 a test or the benchmark failed, 2 no bundle.
set -uo pipefail
arg=${1:-$(cd "$(dirname "$0")" && pwd)}
if [[ $arg == *.tar.gz ]]; then
    dir=$(mktemp -d)
    tar -xzf "$arg" -C "$dir" || { echo "gpu-check: cannot unpack $arg"; exit 2; }
    dir=$dir/genstats-gpu
else
    dir=$arg
fi
if [ ! -x "$dir/GenStats.Benchmarks" ] || [ ! -x "$dir/GenStats.Core.Tests" ]; then
    echo "gpu-check: no bundle in $dir (build genstats-gpu.tar.gz with scripts/publish-gpu.sh)"
    exit 2
fi
py=${GENSTATS_PYTHON:-python3}
# cuBLAS: NVIDIA's pip wheel nvidia-cublas-cu12 (PyTorch's CUDA wheels bring it), else a CUDA toolkit.
libs=$("$py" -c 'import nvidia.cublas, os; print(os.path.join(list(nvidia.cublas.__path__)[0], "lib"))' 2>/dev/null || true)
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do [ -d "$d" ] && libs="${libs:+$libs:}$d"; done
[ -n "$libs" ] && export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1

echo "== GPU"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "(nvidia-smi not found)"
if ! "$dir/GenStats.Benchmarks" --cuda-probe; then
    echo "gpu-check: nothing to check on this machine (the line above says why)"
    exit 0
fi
status=0
echo "== ILGPU kernel tests and per-backend engine tests on CUDA"
# GENSTATS_TEST_ILGPU=cuda: the kernel-vs-managed tests target the CUDA backend; BackendCombos adds
# "cuda" to every per-backend test (BackendCombos.testOnEach) by itself: the second run takes those.
GENSTATS_TEST_ILGPU=cuda timeout "${GENSTATS_TEST_TIMEOUT:-300}" "$dir/GenStats.Core.Tests" --colours 0 --no-spinner \
    --filter-test-list "ilgpu-cpu kernels vs managed" || status=1
GENSTATS_TEST_ILGPU=cuda timeout "${GENSTATS_TEST_TIMEOUT:-300}" "$dir/GenStats.Core.Tests" --colours 0 --no-spinner \
    --filter-test-case "cuda" || status=1
echo "== bench gpu (GenStats CUDA vs PyTorch CUDA, same run)"
GENSTATS_PYTHON=$py timeout "${GENSTATS_BENCH_TIMEOUT:-300}" "$dir/GenStats.Benchmarks" gpu || status=1
exit $status
