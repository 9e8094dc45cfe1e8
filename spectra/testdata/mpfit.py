"""Reference for WeightWatcher's Marchenko-Pastur fit, with SciPy and scikit-learn.

Restates (does not copy) WeightWatcher 0.7.5's mp_fit / RMT_Util.fit_density_with_range /
resid_mp: rescale the eigenvalues to mean 1; estimate their density with
sklearn.neighbors.KernelDensity(kernel='linear', bandwidth=0.1) on
linspace(0, max + 0.5, 1000), keeping the points where it exceeds 0.01; fit sigma with
scipy.optimize.brute over np.mgrid[0.05 s0 : 2 s0 : 0.01 s0] (s0 = sqrt(max/(1 + 1/sqrt(Q))^2))
and brute's default fmin finish, minimizing the summed squared difference between the
Marchenko-Pastur density and the estimate (1000 per point when the edges miss the
estimate's peak or range); Q = 1 fits the quarter circle to the square roots. Then
lambda_plus = (sigma (1 + 1/sqrt(Q)))^2, the Tracy-Widom margin sqrt(Q^-1/2 l+^2/3 M^-2/3),
the spikes above it and mp_softrank = lambda_plus / max.

Usage: python3 mpfit.py N M FILE.npy ...  (Debian python3-scipy, python3-sklearn) prints
{path: {"sigma", "bulk_max", "num_spikes", "softrank"}} as JSON, bulk_max in the units
of the file.
"""
import json
import sys
import warnings

import numpy as np
from scipy import optimize
from sklearn.neighbors import KernelDensity


def mp_density(x, Q, sigma):
    b = (sigma * (1 + np.sqrt(1 / Q))) ** 2
    a = (sigma * (1 - np.sqrt(1 / Q))) ** 2
    with np.errstate(all="ignore"):
        return np.nan_to_num(1 / (2 * np.pi * sigma * sigma * x / Q) * np.sqrt((b - x) * (x - a))), a, b


def residual(p, values, Q, bw):
    sigma = p[0] if np.ndim(p) else p
    kde = KernelDensity(kernel="linear", bandwidth=bw).fit(values.reshape(-1, 1))
    x = np.linspace(0, np.max(values) + 0.5, 1000)
    y = np.exp(kde.score_samples(x[:, None]))
    good = y > 0.01
    x, y = x[good], y[good]
    if Q == 1:
        with np.errstate(all="ignore"):
            m = np.nan_to_num(1 / (np.pi * sigma * sigma) * np.sqrt(4 - x ** 2))
        return np.sum((m - y) ** 2)
    m, a, b = mp_density(x, Q, sigma)
    peak = x[np.where(y == np.max(y))][0]
    if b < peak or b > np.max(x) or a > peak:
        return np.sum(np.full(len(y), 1000.0) ** 2)
    return np.sum((m - y) ** 2)


def mpfit(evals, N, M):
    Q = N / M
    scale = np.sqrt(len(evals)) / np.sqrt(np.sum(evals))
    x = scale * scale * np.sort(evals)
    s0 = np.sqrt(np.max(x) / (1 + 1 / np.sqrt(Q)) ** 2)
    values = np.sqrt(x) if Q == 1 else x
    rng = (slice(0.05 * s0, 2.0 * s0, 0.01 * s0),)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = optimize.brute(residual, rng, args=(values, Q, 0.1), full_output=True)
    sigma = float(np.ravel(out[0])[0])
    bulk_max = (sigma * (1 + 1 / np.sqrt(Q))) ** 2
    tw = 1 / np.sqrt(Q) * bulk_max ** (2 / 3) * M ** (-2 / 3)
    spikes = int(np.sum(x > bulk_max + np.sqrt(tw)))
    return {"sigma": sigma, "bulk_max": bulk_max / scale ** 2, "num_spikes": spikes, "softrank": bulk_max / np.max(x)}


if __name__ == "__main__":
    N, M = int(sys.argv[1]), int(sys.argv[2])
    json.dump({p: mpfit(np.load(p).ravel(), N, M) for p in sys.argv[3:]}, sys.stdout, indent=1, sort_keys=True)
    print()
