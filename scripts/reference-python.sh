#!/usr/bin/env bash
# The Python that runs the benchmark references (numpy/scipy/sklearn/PyTorch). These machines set
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE so that old OpenBLAS builds run at all; they pin current
# OpenBLAS to older (AVX2) kernels and make the references slower than they can be. They are unset
# here, for the reference command only — tests and CI keep them.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${GENSTATS_REFERENCE_PYTHON:-/usr/bin/python3}" "$@"
