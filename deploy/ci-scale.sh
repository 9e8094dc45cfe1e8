#!/bin/bash
# CI checks of issue 21 (scale), called from one block of .ci/run:
#  1. the simd-experiment build (GOEXPERIMENT=simd: Go's archsimd lane counting) of the
#     packed lane observables, wide tempering and wide annealing (the default build's
#     tests run with go test ./...);
#  2. a one-node Slurm cluster from Debian packages running the job-array study end to
#     end (deploy/slurm/ci.sh), timed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
echo "== GOEXPERIMENT=simd: go test -run 'Lane|WideTempering|WideAnneal' ./sampler/packed"
GOEXPERIMENT=simd go test -run 'Lane|WideTempering|WideAnneal' ./sampler/packed
echo "== deploy/slurm/ci.sh (Slurm job array, time-limit signal, requeue, resume, aggregate)"
start=$(date +%s)
bash deploy/slurm/ci.sh
echo "== deploy/slurm/ci.sh took $(($(date +%s) - start)) s"
