#!/bin/bash
# Submits a deepglass study to Slurm: the shard array (study.sbatch; the arguments are
# sbatch options for it, such as --array=0-15 or --time=12:00:00), then the aggregate
# (aggregate.sbatch), which runs once every array task has succeeded. Prints the two job
# ids. STUDY, RUNS, SHARDS, DEEPGLASS and CHECKPOINT_EVERY are read from the environment
# by both jobs (see study.sbatch).
#   STUDY=ea3d.yaml deploy/slurm/submit.sh --array=0-15
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
array=$(sbatch --parsable "$@" "$here/study.sbatch")
array=${array%%;*} # --parsable prints "id" or "id;cluster"
agg=$(sbatch --parsable --dependency="afterok:$array" "$here/aggregate.sbatch")
agg=${agg%%;*}
echo "$array $agg"
