#!/usr/bin/python3
"""Reference for BenchmarkSimulate/weights: the same explicit random net in NumPy.

Width 1000, 3 inputs, tanh, σ_w² = 3, σ_b² = 0.05; per layer a fresh N×N Gaussian
weight matrix (PCG64 standard normals), W @ tanh(H) + b. Prints ns per
unit·layer·input, the unit of the Go benchmark. Run alternately with
  go test -run XXX -bench 'Simulate/weights' -benchtime 3x ./nets/meanfield/
"""
import time
import numpy as np

N, K, L, NETS = 1000, 3, 10, 2
rng = np.random.default_rng(1)
sw, sb = np.sqrt(3 / N), np.sqrt(0.05)
start = time.perf_counter()
for _ in range(NETS):
    h = rng.standard_normal((N, K))
    for _ in range(L):
        w = sw * rng.standard_normal((N, N))
        b = sb * rng.standard_normal((N, 1))
        h = w @ np.tanh(h) + b
elapsed = time.perf_counter() - start
print(f"numpy: {elapsed * 1e9 / (NETS * L * N * K):.0f} ns/unit-layer-input")
