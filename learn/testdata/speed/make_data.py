"""Writes a digits-like binary data set: N rows of 28×28 pixels, each row a random
stroke pattern (pixel on with probability high inside a random blob, low outside).

Usage: python3 make_data.py N OUT.csv
"""
import sys

import numpy as np

n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(1)
yy, xx = np.mgrid[0:28, 0:28]
rows = []
for _ in range(n):
    cy, cx = rng.uniform(8, 20, size=2)
    ry, rx = rng.uniform(3, 8, size=2)
    inside = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
    ring = np.abs(inside - 1) < 0.35
    p = np.where(ring, 0.9, 0.02)
    rows.append((rng.uniform(size=(28, 28)) < p).astype(np.uint8).ravel())
np.savetxt(out, np.array(rows), fmt="%d", delimiter=",")
