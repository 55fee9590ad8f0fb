#!/usr/bin/env bash
# bench/confinement.sh: what the default confinement costs a start.
#   `gocker run --rm --network none [FLAGS] busybox true`, alternated (default, privileged, none,
#   default, ...) after WARMUP runs each; median/min/max per contender and the differences of the medians.
#     default     Docker's capabilities, no_new_privs, the default seccomp filter, masked and
#                 read-only /proc and /sys paths, gocker run from a read-only view of its binary
#     privileged  --privileged: no seccomp, no masks, every capability, but the host's devices are
#                 copied into /dev (which costs something of its own)
#     none        every confinement flag off (seccomp=unconfined, systempaths=unconfined,
#                 no-new-privileges=false, --cap-add ALL): the same start without the confinement
#   Target: default adds under 1 ms. Also notes what compiling the default filter costs in a fresh
#   process (`gocker debug seccomp`): starts read it from the cache in the root instead.
#
# Options (bench/README.md): --runs N (default 30), --tiny (3 runs), --out DIR. Environment: GOCKER,
# IMAGE_TAR. Uses a temporary --root, torn down at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_init confinement 30 "$@"
WARMUP=3
[[ $TINY == 1 ]] && WARMUP=1
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
"$GOCKER" run --help 2>/dev/null | grep -q -- '--privileged' || bench_skip "gocker run has no --privileged option"

bench_md "# What the confinement costs"
bench_md
bench_md "Start to exit of \`gocker run --rm --network none busybox true\` with the default confinement"
bench_md "(Docker's capabilities, no_new_privs, the default seccomp filter, masked and read-only /proc and"
bench_md "/sys paths), with \`--privileged\`, and with every confinement flag off (\`none\`: seccomp and"
bench_md "systempaths unconfined, no-new-privileges=false, \`--cap-add ALL\`), alternated. Target: the"
bench_md "default confinement adds under 1 ms. \`--privileged\` copies the host's device nodes into /dev."
bench_md

T=$(bench_tmpdir)
ROOT=$T/root
cleanup() {
    gocker_teardown "$ROOT"
    bench_umount_under "$T"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT
ERR=$T/stderr
PREFIX=()

CONTENDERS=(default privileged none)
cmd_for() {
    case $1 in
        default)    CMD=("$GOCKER" --root "$ROOT" run --rm --network none busybox true) ;;
        privileged) CMD=("$GOCKER" --root "$ROOT" run --rm --network none --privileged busybox true) ;;
        none)       CMD=("$GOCKER" --root "$ROOT" run --rm --network none --security-opt seccomp=unconfined
                         --security-opt systempaths=unconfined --security-opt no-new-privileges=false
                         --cap-add ALL busybox true) ;;
    esac
}
bench_series start bar lower confinement "Start to exit by confinement (run --rm --network none busybox true)"
echo "confinement: $RUNS runs (+$WARMUP warmup) of ${CONTENDERS[*]}"
run_alternating start "$WARMUP" "${CONTENDERS[@]}"
diff_ms() { awk -v a="$(bench_median start "$1")" -v b="$(bench_median start "$2")" 'BEGIN { printf "%+.2f", a - b }'; }
bench_note "The default confinement costs $(diff_ms default none) ms against none (median against median, same run; target: under 1 ms)."
bench_note "--privileged against the default: $(diff_ms privileged default) ms (it copies the host's device nodes into /dev)."
compile=$("$GOCKER" debug seccomp 2>&1 | tr '\n' ' ') || compile="(gocker debug seccomp failed)"
bench_note "Compiling the default seccomp filter in a fresh process (not on the start path: cached in the root): $compile"
bench_summary
