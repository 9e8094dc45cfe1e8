#!/bin/bash
# CI check of issue 21 (scale), called from one block of .ci/run: a one-node Slurm
# cluster from Debian packages running the job-array study end to end
# (deploy/slurm/ci.sh), timed. (The packed kernels' builds are tested in .ci/run.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
echo "== deploy/slurm/ci.sh (Slurm job array, time-limit signal, requeue, resume, aggregate)"
start=$(date +%s)
bash deploy/slurm/ci.sh
echo "== deploy/slurm/ci.sh took $(($(date +%s) - start)) s"
