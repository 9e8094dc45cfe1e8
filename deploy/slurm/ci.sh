#!/bin/bash
# End-to-end test of deepglass on a real (one-node) Slurm cluster, run by .ci/run as root
# on a fresh Debian machine:
#  1. installs Debian's slurm-wlm and munge, starts munged, slurmctld and slurmd on
#     localhost with deploy/slurm/slurm.conf;
#  2. builds deepglass and runs a small 3D ±J study unsharded, as the reference;
#  3. submits the same study with deploy/slurm/submit.sh, i.e. the job-array script a user
#     submits (study.sbatch, three shards) and the aggregate job (afterok). Shard 0 gets a
#     one-minute time limit, so Slurm sends it SIGTERM (--signal=B:TERM@60) while it
#     runs: it must write its checkpoint, exit 3, requeue itself and resume;
#  4. requires the aggregate's summary.json to equal the reference's, timing fields
#     aside (perf, ground_state.seconds), and prints how long each stage took.
# Daemons it started are stopped at the end; a Slurm already running with this
# slurm.conf is used as it is. Set SLURM_CI_WORK to keep the work directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
export PATH="/usr/local/go/bin:$PATH"
export SLURM_CONF="$repo/deploy/slurm/slurm.conf"
t0=$(date +%s)
say() { echo "[slurm-ci $(($(date +%s) - t0))s] $*"; }
fail() {
	say "FAIL: $*"
	exit 1
}

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	say "installing slurm-wlm and munge (apt-get)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
command -v python3 >/dev/null || fail "python3 is needed to compare summaries"
say "$(sinfo --version)"

work=${SLURM_CI_WORK:-$(mktemp -d /tmp/deepglass-slurm-ci.XXXXXX)}
mkdir -p "$work"
started=()
cleanup() {
	for p in "${started[@]}"; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
	done
	[ -n "${SLURM_CI_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# --- the cluster -------------------------------------------------------------------
if [ ! -S /run/munge/munge.socket.2 ] || ! munge -n >/dev/null 2>&1; then
	[ -f /etc/munge/munge.key ] || {
		say "creating /etc/munge/munge.key"
		mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null ||
			dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
		chown munge:munge /etc/munge/munge.key
		chmod 400 /etc/munge/munge.key
	}
	mkdir -p /run/munge && chown munge:munge /run/munge
	say "starting munged"
	runuser -u munge -- /usr/sbin/munged
	started+=(/run/munge/munged.pid)
fi
munge -n | unmunge >/dev/null || fail "munge does not work"
if scontrol ping 2>/dev/null | grep -q 'is UP'; then
	say "slurmctld is running already: using it"
else
	mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
	say "starting slurmctld and slurmd (SLURM_CONF=$SLURM_CONF)"
	slurmctld -c # -c: no jobs from an earlier state
	started+=(/run/slurmctld.pid)
	slurmd -N localhost
	started+=(/run/slurmd.pid)
fi
for _ in $(seq 60); do
	sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
	sleep 1
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)' || {
	tail -20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log || true
	fail "the node did not come up"
}
say "node up: $(sinfo -h -o '%P %a %D %T %N')"

# --- deepglass and the reference run -------------------------------------------------
say "building deepglass"
go build -o "$work/bin/deepglass" ./cmd/deepglass
export DEEPGLASS="$work/bin/deepglass"
cd "$work"
# A small 3D ±J study: 4 disorder samples in 3 shards, so shard 0 runs two of them. It
# must still be running when its time-limit signal comes, within 30 s of its start
# (slurmctld checks time limits every 30 s), so the number of sweeps is calibrated on
# this machine, from the sweep speed deepglass reports (perf.ns_per_update), for about
# 25 s of sweeps per sample on one thread (shard 0: 50 s).
study() {
	cat <<EOF
model: ea
lattice: cubic:6
bonds: pm
T: [0.8, 0.95, 1.1, 1.3, 1.5, 1.75, 2.0]
sampler: pt
replicas: 2
therm: 2000
sweeps: $1
samples: $2
seed: 7
EOF
}
study 20000 1 >calibrate.yaml
"$DEEPGLASS" run calibrate.yaml -out "$work/calibrate" -threads 1 >/dev/null 2>&1 || fail "calibration run failed"
# One sweep of the study: 7 temperatures × 2 replicas × 216 spins.
sweeps=$(python3 -c 'import json,sys; ns=json.load(open(sys.argv[1]))["perf"]["ns_per_update"]; print(int(25e9/(ns*7*2*216)))' \
	"$work/calibrate/summary.json")
sweeps=$((sweeps < 20000 ? 20000 : sweeps > 2000000 ? 2000000 : sweeps))
say "calibration: $(python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["perf"]["ns_per_update"])' "$work/calibrate/summary.json") ns per spin update; the study runs $sweeps sweeps per sample"
study "$sweeps" 4 >study.yaml
export STUDY="$work/study.yaml" RUNS="$work/runs" SHARDS=3 CHECKPOINT_EVERY=10s
ts=$(date +%s)
"$DEEPGLASS" run "$STUDY" -out "$work/full" -threads 2 >"$work/full.log" 2>&1 || {
	cat "$work/full.log"
	fail "the unsharded reference run failed"
}
tref=$(($(date +%s) - ts))
say "unsharded reference run: ${tref}s"

# --- the study on Slurm ------------------------------------------------------------
ts=$(date +%s)
read -r array agg < <("$repo/deploy/slurm/submit.sh" --job-name=ci-study --array=0-2 --cpus-per-task=1 \
	--time=10 --signal=B:TERM@60)
say "submitted array job $array (study.sbatch, 3 shards) and aggregate job $agg (afterok:$array)"
scontrol update JobId="${array}_0" TimeLimit=1
say "task ${array}_0: time limit 1 min, so that Slurm signals it while it runs"

state() { scontrol -o show job "$1" 2>/dev/null | grep -o "$2=[^ ]*" | head -1 | cut -d= -f2; }
requeued=0
last=""
for _ in $(seq 900); do
	sleep 1
	now=$(squeue -h -j "$array,$agg" -o '%i:%T' 2>/dev/null | sort | tr '\n' ' ')
	[ "$now" != "$last" ] && say "queue: ${now:-empty}"
	last=$now
	if [ "$requeued" = 0 ] && [ "$(state "${array}_0" Restarts)" = 1 ]; then
		requeued=1
		say "task ${array}_0 was requeued; giving its second run 10 min and no 2-min requeue hold"
		scontrol update JobId="${array}_0" TimeLimit=10
		scontrol update JobId="${array}_0" StartTime=now || true
	fi
	case $(state "$agg" JobState) in
	COMPLETED) break ;;
	FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY)
		cat slurm-*.out || true
		fail "aggregate job $agg: $(state "$agg" JobState) $(state "$agg" Reason)"
		;;
	esac
done
tslurm=$(($(date +%s) - ts))
[ "$(state "$agg" JobState)" = COMPLETED ] || {
	cat slurm-*.out || true
	fail "the study did not finish in 15 min"
}
for f in slurm-ci-study-*.out slurm-aggregate-*.out; do
	echo "----- $f"
	cat "$f"
done
echo "-----"

# --- checks --------------------------------------------------------------------------
out0=$(ls slurm-ci-study-*_0.out)
grep -q 'SIGTERM from Slurm' "$out0" || fail "shard 0 never received its time-limit signal ($out0)"
grep -q 'checkpoint written (exit 3): requeueing' "$out0" || fail "shard 0 did not checkpoint and requeue"
grep -q 'resuming .* from its checkpoint' "$out0" || fail "shard 0 did not resume from its checkpoint"
say "shard 0: time-limit SIGTERM → checkpoint, exit 3 → requeued → resumed from its checkpoint"
for i in 1 2; do
	grep -q 'shard finished' slurm-ci-study-*_$i.out || fail "shard $i did not finish"
done
python3 - "$work/full/summary.json" "$RUNS/all/summary.json" <<'EOF'
import json, sys

def load(path):
    with open(path) as f:
        m = json.load(f)
    m.pop("perf", None)  # timing fields differ between runs
    if isinstance(m.get("ground_state"), dict):
        m["ground_state"].pop("seconds", None)
    return m

def diff(a, b, path="$"):
    if type(a) is not type(b):
        return [f"{path}: {a!r} vs {b!r}"]
    if isinstance(a, dict):
        out = [f"{path}.{k}: only in one" for k in sorted(set(a) ^ set(b))]
        for k in sorted(set(a) & set(b)):
            out += diff(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} elements"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]

ref, agg = load(sys.argv[1]), load(sys.argv[2])
d = diff(ref, agg)
if d:
    print("aggregate differs from the unsharded run:")
    print("\n".join(d[:40]))
    sys.exit(1)
pts = ref.get("points", [])
print(f"aggregate summary.json == unsharded summary.json (timing aside): {len(pts)} points, "
      f"{ref.get('samples', '?')} samples; e.g. T = {pts[0]['T']}: e = {pts[0]['energy']['mean']:.5f}")
EOF
say "PASS: Slurm array (3 shards, one interrupted by its time limit and resumed) + aggregate == unsharded run"
say "times: reference run ${tref}s, Slurm study ${tslurm}s, total $(($(date +%s) - t0))s"
