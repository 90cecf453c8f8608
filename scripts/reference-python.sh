#!/usr/bin/env bash
# The Python that runs the benchmark references (numpy/scipy/sklearn/PyTorch on OpenBLAS), set up
# to run as fast as OpenBLAS can on this CPU. Some machines here pin OPENBLAS_CORETYPE=Haswell
# (and OPENBLAS_L2_SIZE) so that old OpenBLAS builds run at all; that holds current OpenBLAS to
# AVX2 kernels. Those pins are dropped here, for the reference command only (tests and CI keep
# them). Debian 12's OpenBLAS 0.3.21 does not recognise every newer CPU and then falls back to its
# generic Prescott kernel (measured here: 15 GFLOP/s SGEMM against 108 with SkylakeX), so the
# kernel is chosen from the CPU's flags: AVX-512 → SkylakeX, AVX2 → Haswell, else OpenBLAS's own
# detection. GENSTATS_OPENBLAS_CORETYPE overrides the choice; scripts/blas-kernel.py prints it.
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
core=${GENSTATS_OPENBLAS_CORETYPE:-}
if [ -z "$core" ]; then
    case " $flags " in
        *" avx512f "*) core=SkylakeX ;;
        *" avx2 "*) core=Haswell ;;
    esac
fi
if [ -n "$core" ]; then
    exec env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$core" "${GENSTATS_REFERENCE_PYTHON:-/usr/bin/python3}" "$@"
fi
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${GENSTATS_REFERENCE_PYTHON:-/usr/bin/python3}" "$@"
