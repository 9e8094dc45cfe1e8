"""Times PyTorch training of an MLP on MNIST, the way `deepglass nets train` trains it.

Usage: python3 torch_mlp.py -data mnist|mnist10 -layers 784,300,100,10 -batch 128
                            -optimizer sgd|momentum|adam -lr 0.001 -epochs 1 -threads 2
                            [-n 60000] [-mnist DIR]

Same architecture (nn.Linear layers, ReLU hidden activations, linear output), loss
(F.cross_entropy, mean over the batch), optimizer (torch.optim.SGD with momentum 0 or
0.9, torch.optim.Adam with β = (0.9, 0.999), ε = 1e-8), float32, minibatches drawn by
a fresh permutation each epoch (the last one holds the remainder), initialization as
deepglass's default for ReLU (He: N(0, 2/fan_in), zero biases). The MNIST files are
read from the GoMNIST module in the Go module cache (or -mnist DIR); mnist10 is area-
averaged to 10×10 as deepglass does (each output pixel the mean over a 2.8×2.8 square).
Prints one JSON line {"perf": {"samples_per_second", "seconds", "threads",
"cpu_seconds", "samples_per_cpu_second"}, "final_loss"}: the wall and CPU time
(time.process_time, all threads) of the training loop only (data loading excluded),
as deepglass's perf.samples_per_second and perf.samples_per_cpu_second.
"""
import argparse
import gzip
import json
import os
import subprocess
import time

import numpy as np
import torch
import torch.nn.functional as F

MODULE_DIR = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63"

p = argparse.ArgumentParser()
p.add_argument("-data", default="mnist")
p.add_argument("-layers", default="784,300,100,10")
p.add_argument("-batch", type=int, default=128)
p.add_argument("-optimizer", default="sgd")
p.add_argument("-lr", type=float, default=0.01)
p.add_argument("-epochs", type=int, default=1)
p.add_argument("-threads", type=int, default=1)
p.add_argument("-n", type=int, default=0)
p.add_argument("-mnist", default="")
p.add_argument("-seed", type=int, default=1)
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
d = a.mnist
if not d:
    cache = os.environ.get("GOMODCACHE") or subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True).stdout.strip()
    d = os.path.join(cache, MODULE_DIR, "data")


def idx(name):
    b = gzip.open(os.path.join(d, name + ".gz")).read()
    nd = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * nd).reshape(dims)


X = idx("train-images-idx3-ubyte").astype(np.float32) / 255
Y = idx("train-labels-idx1-ubyte").astype(np.int64)
if a.n:
    X, Y = X[:a.n], Y[:a.n]
if a.data == "mnist10":
    def weights(n, size):
        w = np.zeros((size, n))
        step = n / size
        for i in range(size):
            lo, hi = i * step, (i + 1) * step
            for r in range(n):
                ov = min(hi, r + 1) - max(lo, r)
                if ov > 0:
                    w[i, r] = ov / step
        return w
    w = weights(28, 10)
    X = np.einsum("ir,nrc,jc->nij", w, X, w).astype(np.float32)
X = torch.from_numpy(X.reshape(len(X), -1).copy())
Y = torch.from_numpy(Y.copy())
sizes = [int(s) for s in a.layers.split(",")]
assert sizes[0] == X.shape[1], "layers %s do not fit %d inputs" % (a.layers, X.shape[1])

layers = []
for i in range(len(sizes) - 1):
    lin = torch.nn.Linear(sizes[i], sizes[i + 1])
    torch.nn.init.normal_(lin.weight, 0, (2 / sizes[i]) ** 0.5)
    torch.nn.init.zeros_(lin.bias)
    layers.append(lin)
    if i < len(sizes) - 2:
        layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
if a.optimizer == "adam":
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
else:
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9 if a.optimizer == "momentum" else 0)

n = len(X)
t0, c0 = time.perf_counter(), time.process_time()
for epoch in range(a.epochs):
    perm = torch.randperm(n)
    for s in range(0, n, a.batch):
        rows = perm[s:s + a.batch]
        xb, yb = X[rows], Y[rows]
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
dt, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"perf": {"samples_per_second": n * a.epochs / dt, "seconds": dt, "threads": torch.get_num_threads(),
                           "cpu_seconds": cpu, "samples_per_cpu_second": n * a.epochs / cpu},
                  "final_loss": loss.item()}))
