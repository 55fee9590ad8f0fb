#!/usr/bin/env bash
# bench/ps-scale.sh: `gocker ps -a` over 100, 1,000 and 10,000 containers against `runc list` over
# the same numbers. Target: gocker ps under 5 ms at 10,000.
#
# gocker's containers are real (`gocker create`, status Created). For runc, N real containers
# would cost N init processes; instead one container is created with `runc create` and its state
# directory is copied N-1 times under new ids: `runc list` then reads N state files and checks the
# (one, live) init pid of each, which is the work it does for N containers.
#
# Environment: GOCKER (default <repo>/out/gocker), COUNTS (default "100 1000 10000"), RUNS (default 20),
# JOBS (parallel creates, default 8). Needs root.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GOCKER=${GOCKER:-$REPO/out/gocker}
COUNTS=${COUNTS:-"100 1000 10000"}
RUNS=${RUNS:-20}
JOBS=${JOBS:-8}
[[ $EUID -eq 0 ]] || { echo "ps-scale: must run as root" >&2; exit 1; }
[[ -x $GOCKER ]] || { echo "ps-scale: $GOCKER not built (./build.sh)" >&2; exit 1; }

T=$(mktemp -d /tmp/gocker-ps-bench.XXXXXX)
cleanup() {
    if command -v runc >/dev/null && [[ -d $T/runc ]]; then
        runc --root "$T/runc" delete -f bench-0 >/dev/null 2>&1 || true
    fi
    rm -rf "$T"
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f %.2f", m, a[1], a[NR]}'; }

time_cmd() { # prints ms of one run of "$@" (output discarded)
    local s=$EPOCHREALTIME
    "$@" >/dev/null
    local e=$EPOCHREALTIME
    awk -v s="$s" -v e="$e" 'BEGIN {printf "%.3f\n", (e-s)*1000}'
}

have_runc=0
if command -v runc >/dev/null; then
    have_runc=1
    mkdir -p "$T/bundle/rootfs" "$T/runc"
    tar -xf "$REPO/out/images/busybox.tar" -C "$T/bundle/rootfs"
    (cd "$T/bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"sleep", "1000"/' config.json)
    if [[ -d /sys/fs/cgroup/unified ]] && mountpoint -q /sys/fs/cgroup/unified && ! runc --root "$T/runc" create --bundle "$T/bundle" bench-0 >/dev/null 2>&1; then
        have_runc=0
    elif [[ ! -d $T/runc/bench-0 ]]; then
        runc --root "$T/runc" create --bundle "$T/bundle" bench-0 >/dev/null 2>&1 || have_runc=0
    fi
else
    echo "runc not installed: skipped (apt-get install runc)"
fi

echo "ps scale: RUNS=$RUNS, $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-8s %-12s %10s %10s %10s\n' count contender median_ms min_ms max_ms
have=0
for n in $COUNTS; do
    # Grow the gocker store to n containers.
    need=$((n - have))
    if (( need > 0 )); then
        seq "$need" | xargs -P "$JOBS" -I{} "$GOCKER" --root "$T/gocker" create busybox true >/dev/null
        have=$n
    fi
    got=$("$GOCKER" --root "$T/gocker" ps -a -q | wc -l)
    [[ $got -eq $n ]] || { echo "ps-scale: expected $n containers, ps shows $got" >&2; exit 1; }
    if (( have_runc )); then
        for ((i = $(ls "$T/runc" | wc -l); i < n; i++)); do
            cp -a "$T/runc/bench-0" "$T/runc/bench-$i"
            sed -i "s/\"id\":\"bench-0\"/\"id\":\"bench-$i\"/" "$T/runc/bench-$i/state.json"
        done
    fi
    g=() r=()
    for ((k = 0; k < RUNS; k++)); do  # alternate the contenders
        g+=("$(time_cmd "$GOCKER" --root "$T/gocker" ps -a)")
        (( have_runc )) && r+=("$(time_cmd runc --root "$T/runc" list)")
    done
    printf '%-8s %-12s %10s %10s %10s\n' "$n" "gocker ps" $(printf '%s\n' "${g[@]}" | median)
    (( have_runc )) && printf '%-8s %-12s %10s %10s %10s\n' "$n" "runc list" $(printf '%s\n' "${r[@]}" | median)
done
