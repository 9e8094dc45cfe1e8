#!/usr/bin/env bash
# Speed of PCD-1 training (10000×784 binary samples, 256 hidden, batch 100, lr 0.05):
# deepglass pure Go, deepglass -tags openblas and scikit-learn's BernoulliRBM, run
# alternately ROUNDS times on the same data and cores; prints samples/s of each run,
# the medians and the ratios to scikit-learn.
#
# Usage (from the repository root): bash learn/testdata/speed/run.sh [ROUNDS] [EPOCHS]
# Needs: libopenblas-dev, python3-sklearn (apt-get install -y libopenblas-dev python3-sklearn).
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-3}
epochs=${2:-3}
work=${TMPDIR:-/tmp}/deepglass-speed
mkdir -p "$work"
data="$work/digits10000.csv"
[ -f "$data" ] || /usr/bin/python3 learn/testdata/speed/make_data.py 10000 "$data"
go build -o "$work/deepglass-go" ./cmd/deepglass
CGO_LDFLAGS=-lopenblas go build -tags openblas -o "$work/deepglass-openblas" ./cmd/deepglass
flags=(-data "$data" -hidden 256 -method pcd -k 1 -batch 100 -lr 0.05 -epochs "$epochs" -seed 1
  -monitor-every -1 -ais-chains 1 -ais-steps 3 -json)
sps() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["perf"]["samples_per_second"])'; }
go_runs=() ob_runs=() sk_runs=()
for r in $(seq "$rounds"); do
  g=$("$work/deepglass-go" train "${flags[@]}" -out "$work/go" 2>/dev/null | sps)
  o=$("$work/deepglass-openblas" train "${flags[@]}" -out "$work/ob" 2>/dev/null | sps)
  s=$(/usr/bin/python3 learn/testdata/speed/sklearn_rbm.py "$data" 256 100 0.05 "$epochs" | sps)
  printf 'round %d: pure Go %.0f  openblas %.0f  sklearn %.0f samples/s\n' "$r" "$g" "$o" "$s"
  go_runs+=("$g") ob_runs+=("$o") sk_runs+=("$s")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mg=$(median "${go_runs[@]}") mo=$(median "${ob_runs[@]}") ms=$(median "${sk_runs[@]}")
printf 'median samples/s: pure Go %.0f, openblas %.0f, sklearn %.0f\n' "$mg" "$mo" "$ms"
awk -v g="$mg" -v o="$mo" -v s="$ms" 'BEGIN {printf "ratio to sklearn: openblas %.2f, pure Go %.2f\n", o/s, g/s}'
