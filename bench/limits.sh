#!/usr/bin/env bash
# bench/limits.sh: what resource limits cost and whether they hold.
#   1. `gocker run --rm busybox true` without and with limits (-m 64m --pids-limit 100), alternated;
#      target: limits add under 1 ms. On cgroup v1 the first move of a task into a cgroup waits for an
#      RCU grace period, which is most of the difference.
#   2. `--cpus 0.5` on a busy loop: the CPU time the container gets over a few seconds, read from its
#      cgroup through `gocker stats`; expected near 50 % of one CPU.
# Environment: GOCKER (default <repo>/out/gocker), RUNS (default 30). Needs root.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/stats.sh
source "$REPO/bench/lib/stats.sh"
GOCKER=${GOCKER:-$REPO/out/gocker}
RUNS=${RUNS:-30}
[[ $EUID -eq 0 ]] || { echo "limits: must run as root" >&2; exit 1; }
[[ -x $GOCKER ]] || { echo "limits: $GOCKER not built (./build.sh)" >&2; exit 1; }
T=$(mktemp -d /tmp/gocker-limits-bench.XXXXXX)
cleanup() { "$GOCKER" --root "$T" ps -a -q --no-trunc | xargs -r "$GOCKER" --root "$T" rm -f >/dev/null 2>&1 || true; rm -rf "$T"; }
trap cleanup EXIT

declare -A SAMPLES MED
CONTENDERS=(plain limits)
for c in "${CONTENDERS[@]}"; do SAMPLES[$c]=""; done
run_one() {
    local s e
    s=$EPOCHREALTIME
    if [[ $1 == plain ]]; then
        "$GOCKER" --root "$T" run --rm busybox true
    else
        "$GOCKER" --root "$T" run --rm -m 64m --pids-limit 100 busybox true
    fi
    e=$EPOCHREALTIME
    SAMPLES[$1]+="$(awk -v s="$s" -v e="$e" 'BEGIN {printf "%d", (e - s) * 1000000}') "
}
for c in "${CONTENDERS[@]}"; do run_one "$c"; run_one "$c"; done # warmup
for c in "${CONTENDERS[@]}"; do SAMPLES[$c]=""; done
for ((i = 0; i < RUNS; i++)); do
    for c in "${CONTENDERS[@]}"; do run_one "$c"; done
done

echo "limits: RUNS=$RUNS, $(nproc) CPUs, $(uname -r), $(stat -fc %T /sys/fs/cgroup), $(date -u +%Y-%m-%dT%H:%MZ)"
print_summary
awk -v a="${MED[limits]}" -v b="${MED[plain]}" 'BEGIN {printf "limits add %.2f ms (median against median)\n\n", (a - b) / 1000}'

id=$("$GOCKER" --root "$T" run -d --cpus 0.5 busybox sh -c 'while :; do :; done')
for k in 1 2 3; do
    "$GOCKER" --root "$T" stats --no-stream --format '--cpus 0.5 busy loop: {{.CPUPerc}} of one CPU' "$id"
done
"$GOCKER" --root "$T" rm -f "$id" >/dev/null
