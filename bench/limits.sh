#!/usr/bin/env bash
# bench/limits.sh: what resource limits cost and whether they hold.
#   1. `gocker run --rm busybox true` without and with limits (-m 64m --pids-limit 100), alternated;
#      target: limits add under 1 ms. On cgroup v1 the first move of a task into a cgroup waits for an
#      RCU grace period, which is most of the difference.
#   2. `--cpus 0.5` on a busy loop: the CPU time the container gets, read from its cgroup through
#      `gocker stats --no-stream` a few times; expected near 50 % of one CPU.
#
# Options (bench/README.md): --runs N (default 30), --tiny, --out DIR. Environment: GOCKER, IMAGE_TAR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_init limits 30 "$@"
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"

bench_md "# Resource limits"
bench_md
bench_md "What limits cost at start: \`gocker run --rm busybox true\` without and with \`-m 64m"
bench_md "--pids-limit 100\`, alternated (target: limits add under 1 ms; on cgroup v1 the first move of a"
bench_md "task into a cgroup waits for an RCU grace period). And whether they hold: \`--cpus 0.5\` on a busy"
bench_md "loop, as \`gocker stats --no-stream\` reads it from the container's cgroup (expected: about 50 %)."
bench_md

T=$(bench_tmpdir)
cleanup() {
    gocker_teardown "$T"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT

cmd_for() {
    case $1 in
        gocker) CMD=("$GOCKER" --root "$T" run --rm busybox true) ;;
        *) CMD=("$GOCKER" --root "$T" run --rm -m 64m --pids-limit 100 busybox true) ;;
    esac
}
ERR=$T/stderr
PREFIX=()
CONTENDERS=(gocker "gocker -m 64m --pids-limit 100")
bench_series start bar lower "" "Start to exit with and without limits (run --rm busybox true)"
echo "limits: $RUNS runs of: ${CONTENDERS[*]}"
run_alternating start 2 "${CONTENDERS[@]}"

READS=5
[[ $TINY == 1 ]] && READS=1
bench_series cpus none - "" "CPU a busy loop gets with --cpus 0.5 (stats --no-stream)"
id=$("$GOCKER" --root "$T" run -d --cpus 0.5 busybox sh -c 'while :; do :; done')
for ((i = 1; i <= READS; i++)); do
    p=$("$GOCKER" --root "$T" stats --no-stream --format '{{.CPUPerc}}' "$id")
    bench_sample cpus "gocker --cpus 0.5" "" "$i" "${p%\%}" "% of one CPU"
done
"$GOCKER" --root "$T" rm -f "$id" >/dev/null
bench_summary
