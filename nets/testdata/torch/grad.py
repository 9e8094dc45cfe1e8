"""Gradients and optimizer steps of a deepglass MLP, recomputed by PyTorch in float64.

Usage: /usr/bin/python3 grad.py DIR...

Each DIR (written by the Go test TestTorchGradients of package nets) holds
  model/            the net as nets.Save writes it with float64 NPY files
                    (model.json; layerL.weight.npy of shape out×in, layerL.bias.npy)
  x.npy, y.npy      a batch: inputs (B×D float64), labels (B, float64 holding integers)
  steps.json        optimizer runs: [{"name", "optimizer", "lr", "momentum", "wd",
                    "clip", "batches": [[row indices], ...]}, ...]
and receives
  grad/layerL.weight.npy, grad/layerL.bias.npy   ∂(mean loss over the batch)/∂θ
  loss.json                                        {"loss": mean loss}
  NAME/layerL.weight.npy, ...                      parameters after each optimizer run

The loss is torch.nn.functional.cross_entropy (mean over the batch) for "xent" and
0.5 * sum_k (z_k - onehot_k)^2 averaged over the batch for "mse"; the hidden
activation is relu, tanh, sigmoid, erf or linear; the output layer is linear.
Optimizers are torch.optim.SGD (momentum 0 or μ, dampening 0, nesterov False) and
torch.optim.Adam, weight_decay as given, torch.nn.utils.clip_grad_norm_ before each
step when clip > 0.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def run(d):
    meta = json.load(open(os.path.join(d, "model", "model.json")))
    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
           "erf": torch.erf, "linear": lambda z: z}[meta["activation"]]
    x = torch.from_numpy(np.load(os.path.join(d, "x.npy")))
    y = torch.from_numpy(np.load(os.path.join(d, "y.npy"))).long()
    classes = meta["sizes"][-1]

    def params():
        ps = []
        for layer in meta["layers"]:
            w = torch.from_numpy(np.load(os.path.join(d, "model", layer["weight"]))).clone().requires_grad_(True)
            b = torch.from_numpy(np.load(os.path.join(d, "model", layer["bias"]))).clone().requires_grad_(True)
            ps += [w, b]
        return ps

    def loss_fn(ps, rows):
        a = x[rows]
        L = len(ps) // 2
        for l in range(L):
            z = F.linear(a, ps[2 * l], ps[2 * l + 1])
            a = act(z) if l < L - 1 else z
        if meta["loss"] == "xent":
            return F.cross_entropy(a, y[rows])
        t = F.one_hot(y[rows], classes).to(a.dtype)
        return 0.5 * ((a - t) ** 2).sum(dim=1).mean()

    def save(sub, tensors):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
        for l in range(len(tensors) // 2):
            np.save(os.path.join(d, sub, "layer%d.weight.npy" % l), tensors[2 * l].detach().numpy())
            np.save(os.path.join(d, sub, "layer%d.bias.npy" % l), tensors[2 * l + 1].detach().numpy())


    ps = params()
    loss = loss_fn(ps, torch.arange(x.shape[0]))
    loss.backward()
    save("grad", [p.grad for p in ps])
    json.dump({"loss": loss.item()}, open(os.path.join(d, "loss.json"), "w"))

    for run in json.load(open(os.path.join(d, "steps.json"))):
        ps = params()
        if run["optimizer"] == "adam":
            opt = torch.optim.Adam(ps, lr=run["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=run["wd"])
        else:
            opt = torch.optim.SGD(ps, lr=run["lr"], momentum=run["momentum"], weight_decay=run["wd"])
        for rows in run["batches"]:
            opt.zero_grad()
            loss_fn(ps, torch.tensor(rows)).backward()
            if run["clip"] > 0:
                torch.nn.utils.clip_grad_norm_(ps, run["clip"])
            opt.step()
        save(run["name"], ps)


for arg in sys.argv[1:]:
    run(arg)
