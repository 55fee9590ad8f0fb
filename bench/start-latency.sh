#!/usr/bin/env bash
# bench/start-latency.sh — container start latency: `gocker run busybox true`
# versus the same rootfs under crun and runc, timed as whole processes.
#
# Contenders run alternately (gocker crun runc gocker crun runc ...) so drift in
# machine load hits all of them alike; each gets 3 warmup runs first. Reports
# median/min/max in ms per contender and the ratios of the medians.
# Target: gocker/crun < 1.
# Runs are back to back on purpose: on the 2-vCPU VM this was written on, an
# idle gap (e.g. sleep 0.1) before a run made crun and runc 1.5-2.5x slower.
#
# Environment:
#   GOCKER     gocker binary       (default: <repo>/out/gocker; skipped if absent)
#   IMAGE_TAR  busybox rootfs tar  (default: <repo>/out/images/busybox.tar,
#              built by rootfs-tools/build-busybox-image.sh out/images)
#   RUNS       timed runs per contender (default 50)
#   WRAP       once (default) | each — see "cgroup wrapper" below
#   CSV        1 (default) writes bench/results/start-latency-<date>.csv; 0 doesn't
#
# cgroup wrapper: on cgroup v1 "hybrid" hosts /sys/fs/cgroup/unified is a
# cgroup2 mount with no controllers, and crun 1.8 refuses to run ("cgroups in
# hybrid mode not supported"). crun therefore has to run in a private mount
# namespace with that mount removed. To keep it fair every contender gets the
# same treatment:
#   WRAP=once  (default) the whole script re-executes itself once inside
#              `unshare -m`, unmounts …unified there, and times the bare
#              commands: no per-run overhead, same environment for everyone.
#   WRAP=each  every timed run is `unshare -m sh -c 'umount …unified; exec CMD'`.
#              All pay the wrapper's cost (a few ms: unshare + sh + umount), so
#              its cost is measured too (contender "wrapper", running /bin/true)
#              and medians net of it are reported as well. Caveat: measured
#              on a 2-vCPU VM, the wrapper slowed crun by ~2x its own
#              standalone cost (not additive), so "net" figures are rough.
# On hosts without …/unified no umount is done, but the wrapper is still used.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME must use "." as decimal separator

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/oci-bundle.sh
source "$REPO/bench/lib/oci-bundle.sh"
# shellcheck source=lib/stats.sh
source "$REPO/bench/lib/stats.sh"
GOCKER=${GOCKER:-$REPO/out/gocker}
IMAGE_TAR=${IMAGE_TAR:-$REPO/out/images/busybox.tar}
RUNS=${RUNS:-50}
WARMUP=3
WRAP=${WRAP:-once}
CSV=${CSV:-1}
UNIFIED=/sys/fs/cgroup/unified

die() { echo "start-latency: $*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (containers need namespaces, mounts and cgroups)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[[ $WRAP == each || $WRAP == once ]] || die "WRAP must be 'each' or 'once', got '$WRAP'"
command -v unshare >/dev/null || die "unshare not found (apt-get install util-linux)"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash >= 5 needed (EPOCHREALTIME)"

# WRAP=once: re-execute inside a private mount namespace (unshare(1) makes
# propagation private by default, so the umount below never reaches the host).
if [[ $WRAP == once && -z ${_START_LATENCY_INNER:-} ]]; then
    exec unshare -m -- env _START_LATENCY_INNER=1 "$BASH" "${BASH_SOURCE[0]}" "$@"
fi
if [[ $WRAP == once ]] && mountpoint -q "$UNIFIED"; then
    umount "$UNIFIED"
fi

# The per-run wrapper (WRAP=each): PREFIX CMD ARGS... runs CMD ARGS... through it.
if [[ $WRAP == each ]]; then
    if mountpoint -q "$UNIFIED"; then
        PREFIX=(unshare -m sh -c "umount $UNIFIED && exec \"\$@\"" wrap)
    else
        PREFIX=(unshare -m sh -c 'exec "$@"' wrap)
    fi
else
    PREFIX=()
fi

[[ -f $IMAGE_TAR ]] || die "no image tar at $IMAGE_TAR; build it with: rootfs-tools/build-busybox-image.sh out/images"

# --- contenders --------------------------------------------------------------
CONTENDERS=()
if [[ -x $GOCKER ]]; then
    CONTENDERS+=(gocker)
    # gocker reads its image from beside itself; make sure it is the same rootfs.
    g_img=$(dirname "$GOCKER")/images/busybox.tar
    if [[ -f $g_img ]] && ! cmp -s "$g_img" "$IMAGE_TAR"; then
        echo "warning: $g_img differs from IMAGE_TAR=$IMAGE_TAR; gocker runs a different rootfs" >&2
    fi
else
    echo "gocker: not found at $GOCKER, skipped"
fi
for rt in crun runc; do
    if command -v "$rt" >/dev/null; then
        CONTENDERS+=("$rt")
    else
        echo "$rt: not installed, skipped"
    fi
done
[[ $WRAP == each ]] && CONTENDERS+=(wrapper)
[[ ${#CONTENDERS[@]} -gt 0 ]] || die "nothing to run"

# --- scratch: bundle + per-runtime state dirs --------------------------------
T=$(mktemp -d /tmp/gocker-bench.XXXXXX)
B=$T/bundle
cleanup() {
    local rt id
    # A failed run may leave container state (and its cgroups) behind.
    for rt in crun runc; do
        [[ -d $T/$rt ]] || continue
        for id in "$T/$rt"/*; do
            [[ -d $id ]] || continue
            id=${id##*/}
            "${PREFIX[@]}" "$rt" --root "$T/$rt" delete -f "$id" >/dev/null 2>&1 || true
        done
    done
    # --one-file-system: never descend into something a broken run left mounted.
    rm -rf --one-file-system "$T"
}
trap cleanup EXIT
mkdir -p "$B/rootfs" "$T/crun" "$T/runc" "$T/gocker"
tar -xf "$IMAGE_TAR" -C "$B/rootfs" --numeric-owner

write_oci_config "$B" '[ "true" ]'

# --- one timed run -----------------------------------------------------------
# cmd_for NAME ID: sets CMD to the contender's command line (without wrapper).
cmd_for() {
    case $1 in
        gocker)  CMD=("$GOCKER" --root "$T/gocker" run --rm busybox true) ;;
        crun)    CMD=(crun --root "$T/crun" run --bundle "$B" "$2") ;;
        runc)    CMD=(runc --root "$T/runc" run --bundle "$B" "$2") ;;
        wrapper) CMD=(true) ;; # the wrapper alone, exec'ing the host's /bin/true
    esac
}

ERR=$T/stderr
BENCH=start-latency

# --- header ------------------------------------------------------------------
echo "start latency: RUNS=$RUNS (+$WARMUP warmup each), WRAP=$WRAP, $(uname -r), $(nproc) CPUs"
echo "image: $IMAGE_TAR"
for c in "${CONTENDERS[@]}"; do
    case $c in
        gocker) echo "gocker: $GOCKER" ;;
        crun)   echo "crun: $(crun --version | head -n 1)" ;;
        runc)   echo "runc: $(runc --version | head -n 1)" ;;
    esac
done
if [[ ${#PREFIX[@]} -gt 0 ]]; then
    echo "wrapper: unshare -m sh -c '${PREFIX[4]}' wrap CMD..."
fi
echo

# --- measure -----------------------------------------------------------------
for ((i = 1; i <= WARMUP; i++)); do
    for c in "${CONTENDERS[@]}"; do run_one "$c" "bench-$c-w$i"; done
done

declare -A SAMPLES # contender -> space-separated microseconds
for c in "${CONTENDERS[@]}"; do SAMPLES[$c]=""; done
for ((i = 1; i <= RUNS; i++)); do
    for c in "${CONTENDERS[@]}"; do
        run_one "$c" "bench-$c-$i"
        SAMPLES[$c]+="$DT "
    done
done

# --- report ------------------------------------------------------------------
declare -A MED
print_summary

# ratio A B [SUBTRACT]: median(A)/median(B), optionally both minus SUBTRACT.
ratio() {
    awk -v a="${MED[$1]}" -v b="${MED[$2]}" -v s="${3:-0}" \
        'BEGIN { if (b - s > 0) printf "%.2f", (a - s) / (b - s); else printf "n/a" }'
}
print_ratios() { # [SUBTRACT]
    local pair a b
    for pair in gocker/crun gocker/runc crun/runc; do
        a=${pair%/*} b=${pair#*/}
        if [[ -n ${MED[$a]:-} && -n ${MED[$b]:-} ]]; then
            printf '  %-12s %s\n' "$pair" "$(ratio "$a" "$b" "${1:-0}")"
        else
            printf '  %-12s skipped (%s)\n' "$pair" \
                "$([[ -z ${MED[$a]:-} ]] && echo "no $a" || echo "no $b")"
        fi
    done
}
echo "ratios of medians (gocker/crun < 1 is the target):"
print_ratios
if [[ -n ${MED[wrapper]:-} ]]; then
    echo "ratios of medians net of the wrapper's median ($(ms "${MED[wrapper]}") ms):"
    print_ratios "${MED[wrapper]}"
fi

if [[ $CSV == 1 ]]; then
    mkdir -p "$REPO/bench/results"
    out=$REPO/bench/results/start-latency-$(date +%Y%m%d-%H%M%S)-$$.csv
    {
        echo "wrap,contender,run,microseconds"
        for c in "${CONTENDERS[@]}"; do
            i=0
            for v in ${SAMPLES[$c]}; do
                i=$((i + 1))
                echo "$WRAP,$c,$i,$v"
            done
        done
    } >"$out"
    echo
    echo "samples: $out"
fi
