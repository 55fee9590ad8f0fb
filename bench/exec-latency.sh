#!/usr/bin/env bash
# bench/exec-latency.sh — latency of running a command in an already running
# container: `gocker exec C true` versus `runc exec CTR true` (a runc container
# on the same busybox rootfs) and `nsenter -a -t PID /bin/true` (util-linux: only
# setns + fork + exec, the floor), timed as whole processes.
#
# Contenders run alternately (gocker runc nsenter gocker runc nsenter ...) so
# drift in machine load hits all of them alike; each gets WARMUP runs first.
# Reports median/min/max in ms per contender and the ratios of the medians
# gocker/runc and gocker/nsenter. Runs are back to back on purpose (see
# bench/start-latency.sh: idle gaps slow the runtimes down on small VMs).
#
# What each one does per run:
#   gocker   re-executes itself, joins the init's namespaces through a pidfd in
#            its pre-runtime constructor, forks, starts the runtime in the child
#            (user, env, command resolved in the container), execs `true`; the
#            parent supervises and exits with its status.
#   runc     reads its state, runc init joins the namespaces (and cgroups),
#            applies the process spec (capabilities, rlimits, no_new_privs),
#            execs `true`.
#   nsenter  setns into every namespace of gocker's container init, fork, exec
#            /bin/true (by path: nsenter would search the caller's, i.e. the
#            host's, PATH in the container's root).
#
# Environment:
#   GOCKER     gocker binary       (default: <repo>/out/gocker; skipped if absent)
#   IMAGE_TAR  busybox rootfs tar for the runc bundle
#              (default: <repo>/out/images/busybox.tar, built by
#              rootfs-tools/build-busybox-image.sh out/images)
#   RUNS       timed runs per contender (default 50)
#   WARMUP     untimed runs per contender first (default 5)
#   CSV        0 (default) | 1: write bench/results/exec-latency-<date>.csv
#
# cgroups: runc works on this project's cgroup v1 hybrid host without the
# unshare/umount wrapper that bench/start-latency.sh needs for crun, so no
# wrapper is used here (crun is not a contender).
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
WARMUP=${WARMUP:-5}
CSV=${CSV:-0}

die() { echo "exec-latency: $*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (containers need namespaces and mounts)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash >= 5 needed (EPOCHREALTIME)"
[[ -f $IMAGE_TAR ]] || die "no image tar at $IMAGE_TAR; build it with: rootfs-tools/build-busybox-image.sh out/images"

# --- contenders --------------------------------------------------------------
HAVE_GOCKER=0 HAVE_RUNC=0 HAVE_NSENTER=0
if [[ -x $GOCKER ]]; then
    HAVE_GOCKER=1
    g_img=$(dirname "$GOCKER")/images/busybox.tar
    if [[ -f $g_img ]] && ! cmp -s "$g_img" "$IMAGE_TAR"; then
        echo "warning: $g_img differs from IMAGE_TAR=$IMAGE_TAR; gocker runs a different rootfs" >&2
    fi
else
    echo "gocker: not found at $GOCKER, skipped"
fi
if command -v runc >/dev/null; then HAVE_RUNC=1; else echo "runc: not installed, skipped"; fi
if command -v nsenter >/dev/null; then
    if [[ $HAVE_GOCKER == 1 ]]; then
        HAVE_NSENTER=1
    else
        echo "nsenter: skipped (it enters gocker's container, and there is no gocker)"
    fi
else
    echo "nsenter: not installed (util-linux), skipped"
fi
CONTENDERS=()
[[ $HAVE_GOCKER == 1 ]] && CONTENDERS+=(gocker)
[[ $HAVE_RUNC == 1 ]] && CONTENDERS+=(runc)
[[ $HAVE_NSENTER == 1 ]] && CONTENDERS+=(nsenter)
[[ ${#CONTENDERS[@]} -gt 0 ]] || die "nothing to run"

# --- scratch: gocker root, runc bundle and state -------------------------------
T=$(mktemp -d /tmp/gocker-exec-bench.XXXXXX)
B=$T/bundle
GNAME=exec-bench-$$
RNAME=exec-bench-$$
GOCKER_UP=0 RUNC_UP=0
cleanup() {
    local rc=$?
    if [[ $GOCKER_UP == 1 ]]; then
        "$GOCKER" --root "$T/gocker" rm -f "$GNAME" >/dev/null 2>&1 ||
            echo "exec-latency: gocker rm -f $GNAME failed" >&2
    fi
    if [[ $RUNC_UP == 1 || -d $T/runc/$RNAME ]]; then
        runc --root "$T/runc" delete -f "$RNAME" >/dev/null 2>&1 ||
            echo "exec-latency: runc delete -f $RNAME failed" >&2
    fi
    # --one-file-system: never descend into something a broken run left mounted.
    rm -rf --one-file-system "$T" || echo "exec-latency: could not remove $T" >&2
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$T/gocker" "$T/runc"

# --- the containers, both running `sleep` ------------------------------------
if [[ $HAVE_GOCKER == 1 ]]; then
    GOCKER_UP=1
    "$GOCKER" --root "$T/gocker" run -d --name "$GNAME" busybox sleep 1000000 >/dev/null ||
        die "gocker run -d failed"
    GPID=$("$GOCKER" --root "$T/gocker" inspect -f '{{.State.Pid}}' "$GNAME")
    [[ $GPID =~ ^[1-9][0-9]*$ ]] || die "gocker inspect gave no pid: '$GPID'"
fi

if [[ $HAVE_RUNC == 1 ]]; then
    mkdir -p "$B/rootfs"
    tar -xf "$IMAGE_TAR" -C "$B/rootfs" --numeric-owner
    # `runc spec`'s defaults as in bench/start-latency.sh, running sleep.
    write_oci_config "$B" '[ "sleep", "1000000" ]'
    RUNC_UP=1
    # -d with terminal false: the container keeps the stdio it is given; give it /dev/null.
    runc --root "$T/runc" run -d --bundle "$B" "$RNAME" </dev/null >/dev/null 2>"$T/runc-run.err" || {
        sed 's/^/  | /' "$T/runc-run.err" >&2
        die "runc run -d failed"
    }
fi

# --- one timed run -----------------------------------------------------------
cmd_for() {
    case $1 in
        gocker)  CMD=("$GOCKER" --root "$T/gocker" exec "$GNAME" true) ;;
        runc)    CMD=(runc --root "$T/runc" exec "$RNAME" true) ;;
        nsenter) CMD=(nsenter -a -t "$GPID" /bin/true) ;; # no PATH lookup: the caller's PATH is the host's
    esac
}

ERR=$T/stderr
BENCH=exec-latency
PREFIX=()

# --- header ------------------------------------------------------------------
echo "exec latency: RUNS=$RUNS (+$WARMUP warmup each), $(uname -r), $(nproc) CPUs"
echo "image: $IMAGE_TAR"
for c in "${CONTENDERS[@]}"; do
    case $c in
        gocker)  echo "gocker: $GOCKER ($("$GOCKER" --version 2>/dev/null | head -n 1))" ;;
        runc)    echo "runc: $(runc --version | head -n 1)" ;;
        nsenter) echo "nsenter: $(nsenter --version) into gocker's container init (host pid $GPID)" ;;
    esac
done
echo

# --- measure -----------------------------------------------------------------
for ((i = 1; i <= WARMUP; i++)); do
    for c in "${CONTENDERS[@]}"; do run_one "$c"; done
done

declare -A SAMPLES # contender -> space-separated microseconds
for c in "${CONTENDERS[@]}"; do SAMPLES[$c]=""; done
for ((i = 1; i <= RUNS; i++)); do
    for c in "${CONTENDERS[@]}"; do
        run_one "$c"
        SAMPLES[$c]+="$DT "
    done
done

# --- report ------------------------------------------------------------------
declare -A MED
print_summary

echo "ratios of medians:"
for pair in gocker/runc gocker/nsenter runc/nsenter; do
    a=${pair%/*} b=${pair#*/}
    if [[ -n ${MED[$a]:-} && -n ${MED[$b]:-} ]]; then
        printf '  %-15s %s\n' "$pair" "$(awk -v a="${MED[$a]}" -v b="${MED[$b]}" \
            'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }')"
    else
        printf '  %-15s skipped (%s)\n' "$pair" "$([[ -z ${MED[$a]:-} ]] && echo "no $a" || echo "no $b")"
    fi
done

if [[ $CSV == 1 ]]; then
    mkdir -p "$REPO/bench/results"
    out=$REPO/bench/results/exec-latency-$(date +%Y%m%d-%H%M%S)-$$.csv
    {
        echo "contender,run,microseconds"
        for c in "${CONTENDERS[@]}"; do
            i=0
            for v in ${SAMPLES[$c]}; do
                i=$((i + 1))
                echo "$c,$i,$v"
            done
        done
    } >"$out"
    echo
    echo "samples: $out"
fi
