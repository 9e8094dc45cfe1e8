"""Reference implementation of WeightWatcher's default power-law fit, NumPy only.

WeightWatcher (github.com/CalculatedContent/WeightWatcher, v0.7.5, Apache-2.0) fits
the tail of an ESD with its class WW_powerlaw.WWFit: the values are sorted; every
value but the largest is a candidate xmin; candidate i, with n = N - i values in the
tail, gets the continuous maximum-likelihood exponent

    alpha_i = 1 + n / (sum(log x[i:]) - n * log x[i])

and, when alpha_i > 1, the Kolmogorov-Smirnov distance

    D_i = max_k |1 - (x[i+k] / x[i]) ** (1 - alpha_i) - k / n|,  k = 0 .. n-1

(D_i = 1 otherwise); the fit is the first candidate with the smallest D, and
sigma = (alpha - 1) / sqrt(n). This script restates that procedure (it is not
WeightWatcher's code, which needs the powerlaw package that PyPI-less machines lack)
so that deepglass's Go implementation can be compared with it.

With --clip, the script applies WeightWatcher's fix_fingers='clip_xmax'
(RMT_Util.fit_clipped_powerlaw with max_fingers=10, finger_thresh=1): after the first
fit, it refits without the top idx = 2, 3, ..., 9 values and stops at the first idx
whose alpha is more than 1 below the first fit's (that fit is kept, with
num_fingers = idx - 1), or when alpha <= 2 (the first fit is kept).

Usage: python3 wwfit.py [--clip] FILE.npy ...   prints one JSON object per file, keyed
by path: {"alpha": ..., "xmin": ..., "D": ..., "sigma": ..., "index": ..., "n": ...}
(with --clip also "num_fingers" and "raw_alpha"). Only values > 1e-5 are fitted
(WeightWatcher's EVALS_THRESH).
"""
import json
import sys

import numpy as np


def wwfit(values, thresh=1e-5):
    data = np.sort(np.asarray(values, dtype=np.float64))
    data = data[data > thresh]
    N = len(data)
    logd = np.log(data)
    alphas = np.zeros(N - 1)
    Ds = np.ones(N - 1)
    for i in range(N - 1):
        n = float(N - i)
        alpha = 1 + n / (np.sum(logd[i:]) - n * logd[i])
        alphas[i] = alpha
        if alpha > 1:
            Ds[i] = np.max(np.abs(1 - (data[i:] / data[i]) ** (-alpha + 1) - np.arange(n) / n))
    i = int(np.argmin(Ds))
    return {"alpha": float(alphas[i]), "xmin": float(data[i]), "D": float(Ds[i]),
            "sigma": float((alphas[i] - 1) / np.sqrt(N - i)), "index": i, "n": N}


def wwclip(values, thresh=1e-5, max_fingers=10, finger_thresh=1.0):
    data = np.sort(np.asarray(values, dtype=np.float64))
    data = data[data > thresh]
    first = wwfit(data, thresh)
    best, fingers = first, 0
    for idx in range(2, max_fingers):
        fit = wwfit(data[:-idx], thresh)
        if fit["alpha"] + finger_thresh < first["alpha"]:
            best, fingers = fit, idx - 1
            break
        if fit["alpha"] <= 2.0:
            break
    out = dict(best)
    out["num_fingers"] = fingers
    out["raw_alpha"] = first["alpha"]
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    fit = wwfit
    if args and args[0] == "--clip":
        fit, args = wwclip, args[1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {path: fit(np.load(path).ravel()) for path in args}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()
