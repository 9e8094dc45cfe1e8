#!/usr/bin/env python3
"""Speed reference for BenchmarkSphericalGradient (docs/spherical.md, "Speed").

Times one gradient of the spherical 3-spin Hamiltonian at N = 200 two ways,
alternately, so that both see the same machine load:

  * deepglass: models.Spherical.Gradient (folded storage, C(N+2,3) couplings,
    4 flops each), through the Go benchmark binary;
  * NumPy: the same gradient from the full symmetrized N^3 tensor, one BLAS
    matrix-vector product, grad = 3 c * T.reshape(N, N*N) @ kron(s, s)
    (2 N^3 flops), OpenBLAS restricted to one thread.

Usage (from the repository root):
  go test -c -o /tmp/models.test ./models
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/testdata/spherical_gradient_numpy.py /tmp/models.test
"""
import os
import re
import subprocess
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

N = 200
ROUNDS = 5
REPS = 200


def go_ms(binary):
    out = subprocess.run([binary, "-test.run", "XXX", "-test.bench", "SphericalGradient/p=3/N=200$",
                          "-test.benchtime", f"{REPS}x"], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"([0-9.]+) ms/grad", out).group(1))


def numpy_ms(t, s, c):
    g = None
    start = time.perf_counter()
    for _ in range(REPS):
        g = 3 * c * (t @ np.kron(s, s))
    return 1e3 * (time.perf_counter() - start) / REPS, g


def main():
    rng = np.random.default_rng(1)
    j = rng.standard_normal((N, N, N))
    sym = (j + j.transpose(0, 2, 1) + j.transpose(1, 0, 2) + j.transpose(1, 2, 0) + j.transpose(2, 0, 1) + j.transpose(2, 1, 0)) / 6
    t = np.ascontiguousarray(sym.reshape(N, N * N))
    del j, sym
    s = rng.standard_normal(N)
    s *= np.sqrt(N) / np.linalg.norm(s)
    c = N ** -1.0
    gos, nps = [], []
    for _ in range(ROUNDS):
        gos.append(go_ms(sys.argv[1]))
        ms, _ = numpy_ms(t, s, c)
        nps.append(ms)
    gos.sort()
    nps.sort()
    go, npy = gos[ROUNDS // 2], nps[ROUNDS // 2]
    print(f"p=3 N={N}: deepglass {go:.3f} ms/grad ({4 * (N + 2) * (N + 1) * N / 6 / go / 1e6:.2f} Gflop/s), "
          f"NumPy full tensor {npy:.3f} ms/grad ({2 * N ** 3 / npy / 1e6:.2f} Gflop/s); ratio NumPy/deepglass {npy / go:.2f} "
          f"(medians of {ROUNDS} alternating rounds of {REPS} gradients; load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
