#!/usr/bin/python3
"""Writes the small HDF5 fixtures that GenStats' image readers are tested on (Debian python3-h5py).

Run from this folder: /usr/bin/python3 make_fixtures.py. Every value follows a formula the tests restate,
so a test checks the reader against the formula, not against GenStats' own output.

calogan-small.h5 -- the CaloGAN layout (Paganini et al. 2018) with its three layer shapes,
  4 events, written as h5py writes the CaloGAN files (float32, layers chunked + gzip):
    energy   [4, 1]        energy[i, 0]       = 10 * (i + 1)
    layer_0  [4, 3, 96]    layer_0[i, r, c]   = i + r / 10 + c / 1000
    layer_1  [4, 12, 12]   layer_1[i, r, c]   = 100 * i + r + c / 100
    layer_2  [4, 12, 6]    layer_2[i, r, c]   = -(i + r + c)   (negative values survive)
    overflow [4, 3]        overflow[i, k]     = i + k / 10
simple-h5py.h5 -- the simple layout as a user would write it with h5py: 3 events of 2 x 3 cells,
  images float64 (GenStats rounds to float32), conditions float32 [3, 2] with variable-length
  string names ['px', 'pz'], weights float64 [3] (one negative):
    images[i, r, c] = i + r / 2 + c / 4;  conditions[i] = (i, -i);  weights = (1.5, -0.5, 2)
"""
import h5py
import numpy as np

n = 4
with h5py.File("calogan-small.h5", "w") as f:
    i = np.arange(n, dtype=np.float64)[:, None, None]
    f.create_dataset("energy", data=(10.0 * (np.arange(n) + 1)).reshape(n, 1).astype(np.float32))
    r, c = np.meshgrid(np.arange(3), np.arange(96), indexing="ij")
    f.create_dataset("layer_0", data=(i + r / 10 + c / 1000).astype(np.float32), chunks=(2, 3, 96), compression="gzip")
    r, c = np.meshgrid(np.arange(12), np.arange(12), indexing="ij")
    f.create_dataset("layer_1", data=(100 * i + r + c / 100).astype(np.float32), chunks=(2, 12, 12), compression="gzip")
    r, c = np.meshgrid(np.arange(12), np.arange(6), indexing="ij")
    f.create_dataset("layer_2", data=(-(i + r + c)).astype(np.float32), chunks=(2, 12, 6), compression="gzip")
    f.create_dataset("overflow", data=(np.arange(n)[:, None] + np.arange(3)[None, :] / 10).astype(np.float32))

with h5py.File("simple-h5py.h5", "w") as f:
    i = np.arange(3, dtype=np.float64)[:, None, None]
    r, c = np.meshgrid(np.arange(2), np.arange(3), indexing="ij")
    f.create_dataset("images", data=i + r / 2 + c / 4)
    d = f.create_dataset("conditions", data=np.stack([np.arange(3), -np.arange(3)], axis=1).astype(np.float32))
    d.attrs["names"] = ["px", "pz"]
    f.create_dataset("weights", data=np.array([1.5, -0.5, 2.0]))
