"""Speed of `deepglass spectra` on one N×N matrix against NumPy's SVD alone, run
alternately in this one script (the machine is shared: alternate runs see the same load).

    python3 spectra/testdata/speed.py [N] [ROUNDS] [METHOD]   (default 4096, 3, auto)

from the repository root. It writes a heavy-tailed N×N float64 matrix to a temporary
NPY file, builds deepglass twice (pure Go, and -tags openblas with CGO_LDFLAGS=-lopenblas)
and then, ROUNDS times in turn:
  - NumPy: np.linalg.svd(W, compute_uv=False) on the loaded matrix, timed around the
    call only (Debian's python3-numpy calls LAPACK dgesdd through liblapack.so.3, which
    the alternatives system points at OpenBLAS when libopenblas0 is installed);
  - deepglass (openblas build): `deepglass spectra W.npy` with its default analysis
    (ESD, power-law fit, MP fit, metrics, 100 bootstrap replicates, 100 KS p-value
    replicates), timed by the command itself (summary.json perf.seconds: reading the
    file included);
and once the pure-Go build (gonum's Dgesvd) for reference (skipped when METHOD is
given). METHOD (auto, svd or gram) is passed as -method: `auto` takes the Gram route
(dsyrk + dsyevd) for such a matrix, `svd` calls dgesdd as NumPy does. It prints each
time and the ratios deepglass / NumPy.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

N = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
METHOD = sys.argv[3] if len(sys.argv) > 3 else None


def lapack_of_numpy():
    try:
        cfg = np.__config__.get_info("lapack_opt_info")
        libs = cfg.get("libraries", [])
    except Exception:
        libs = []
    target = ""
    try:
        target = os.path.realpath("/usr/lib/x86_64-linux-gnu/liblapack.so.3")
    except OSError:
        pass
    return f"numpy {np.__version__}, libraries {libs}, liblapack.so.3 -> {target}"


def main():
    tmp = tempfile.mkdtemp()
    rng = np.random.default_rng(1)
    # Heavy-tailed elements (Student t, 3 degrees of freedom): a realistic ESD.
    W = rng.standard_t(3, size=(N, N))
    path = os.path.join(tmp, "W.npy")
    np.save(path, W)
    env = dict(os.environ, CGO_LDFLAGS="-lopenblas")
    bins = {"openblas": os.path.join(tmp, "dg-openblas"), "go": os.path.join(tmp, "dg-go")}
    subprocess.run(["go", "build", "-tags", "openblas", "-o", bins["openblas"], "./cmd/deepglass"], check=True, env=env)
    subprocess.run(["go", "build", "-o", bins["go"], "./cmd/deepglass"], check=True)

    def deepglass(kind):
        out = os.path.join(tmp, "out-" + kind)
        subprocess.run([bins[kind], "spectra", path, "-out", out, "-json", "-method", METHOD or "auto"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        return s["perf"]["seconds"], s["lapack"], s["layers"][0]["alpha"], s["layers"][0]["method"]

    print(f"N = {N}; NumPy: {lapack_of_numpy()}", flush=True)
    ratios = []
    for k in range(ROUNDS):
        t = time.perf_counter()
        s = np.linalg.svd(W, compute_uv=False)
        t_np = time.perf_counter() - t
        t_dg, lapack, alpha, method = deepglass("openblas")
        ratios.append(t_dg / t_np)
        print(f"round {k + 1}: numpy svd {t_np:.2f} s; deepglass spectra (openblas, method {method}) {t_dg:.2f} s "
              f"(alpha {alpha:.4f}); ratio {t_dg / t_np:.3f}", flush=True)
    print(f"deepglass LAPACK: {lapack}")
    ratios.sort()
    print(f"ratio deepglass full analysis / numpy SVD alone: median {ratios[len(ratios) // 2]:.3f}, "
          f"range {ratios[0]:.3f} .. {ratios[-1]:.3f} over {ROUNDS} rounds")
    if METHOD is not None:
        return
    t = time.perf_counter()
    s = np.linalg.svd(W, compute_uv=False)
    t_np = time.perf_counter() - t
    t_go, lapack_go, alpha_go, method_go = deepglass("go")
    print(f"pure Go build (method {method_go}): {t_go:.2f} s vs numpy svd {t_np:.2f} s: ratio {t_go / t_np:.2f} "
          f"(alpha {alpha_go:.4f}); {lapack_go}")


if __name__ == "__main__":
    main()
