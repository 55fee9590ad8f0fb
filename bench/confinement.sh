#!/usr/bin/env bash
# bench/confinement.sh: what the default confinement costs a start.
#   `gocker run --rm [FLAGS] busybox true`, alternated (default, privileged, none, default, ...) after a
#   warmup each, RUNS times; median/min/max per contender and the differences of the medians.
#     default     Docker's capabilities, no_new_privs, the default seccomp filter, masked and
#                 read-only /proc and /sys paths, gocker run from a read-only view of its binary
#     privileged  --privileged: no seccomp, no masks, every capability, but the host's devices are
#                 copied into /dev (which costs something of its own)
#     none        every confinement flag off (seccomp=unconfined, systempaths=unconfined,
#                 no-new-privileges=false, --cap-add ALL): the same start without the confinement
#   Target: default adds under 1 ms. Also prints what compiling the default filter costs in a fresh
#   process (`gocker debug seccomp`): starts read it from the cache in the root instead.
# Environment: GOCKER (default <repo>/out/gocker), RUNS (default 30). Needs root.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME must use "." as decimal separator
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/stats.sh
source "$REPO/bench/lib/stats.sh"
GOCKER=${GOCKER:-$REPO/out/gocker}
RUNS=${RUNS:-30}
[[ $EUID -eq 0 ]] || { echo "confinement: must run as root" >&2; exit 1; }
[[ -x $GOCKER ]] || { echo "confinement: $GOCKER not built (./build.sh)" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "confinement: RUNS must be a positive integer" >&2; exit 1; }
T=$(mktemp -d /tmp/gocker-confinement-bench.XXXXXX)
cleanup() { "$GOCKER" --root "$T" ps -a -q --no-trunc | xargs -r "$GOCKER" --root "$T" rm -f >/dev/null 2>&1 || true; rm -rf --one-file-system "$T"; }
trap cleanup EXIT
ERR=$T/stderr
BENCH=confinement
PREFIX=()

CONTENDERS=(default privileged none)
cmd_for() {
    case $1 in
        default)    CMD=("$GOCKER" --root "$T" run --rm busybox true) ;;
        privileged) CMD=("$GOCKER" --root "$T" run --rm --privileged busybox true) ;;
        none)       CMD=("$GOCKER" --root "$T" run --rm --security-opt seccomp=unconfined --security-opt systempaths=unconfined
                         --security-opt no-new-privileges=false --cap-add ALL busybox true) ;;
    esac
}

for ((i = 0; i < 3; i++)); do for c in "${CONTENDERS[@]}"; do run_one "$c"; done; done
declare -A SAMPLES MED
for c in "${CONTENDERS[@]}"; do SAMPLES[$c]=""; done
for ((i = 0; i < RUNS; i++)); do
    for c in "${CONTENDERS[@]}"; do
        run_one "$c"
        SAMPLES[$c]+="$DT "
    done
done

echo "confinement: RUNS=$RUNS, $(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
print_summary
diff_ms() { awk -v a="${MED[$1]}" -v b="${MED[$2]}" 'BEGIN {printf "%+.2f", (a - b) / 1000}'; }
echo "default - none:       $(diff_ms default none) ms (what the confinement costs)"
echo "default - privileged: $(diff_ms default privileged) ms"
echo
echo "default seccomp filter, compiled in a fresh process (not on the start path: cached in the root):"
"$GOCKER" debug seccomp
