"""Times scikit-learn's BernoulliRBM (PCD-1) on a CSV of 0/1 rows.

Usage: python3 sklearn_rbm.py DATA.csv HIDDEN BATCH LR EPOCHS
Prints one JSON line {"perf": {"samples_per_second": ..., "seconds": ...}}: the time of fit()
only, data loading excluded.
"""
import json
import sys
import time

import numpy as np
from sklearn.neural_network import BernoulliRBM

path, hidden, batch, lr, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
X = np.loadtxt(path, delimiter=",", dtype=np.float64)
rbm = BernoulliRBM(n_components=hidden, learning_rate=lr, batch_size=batch, n_iter=epochs, random_state=0, verbose=0)
t0 = time.perf_counter()
rbm.fit(X)
dt = time.perf_counter() - t0
print(json.dumps({"perf": {"samples_per_second": X.shape[0] * epochs / dt, "seconds": dt}}))
