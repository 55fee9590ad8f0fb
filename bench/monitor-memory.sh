#!/usr/bin/env bash
# bench/monitor-memory.sh: resident memory that gocker keeps per running container.
#
# Starts N detached `sleep` containers and reads, for every monitor (the parent of each container's
# init), its Rss and Pss from /proc/PID/smaps_rollup. Pss divides shared pages (the binary's code)
# among the processes sharing them, so the Pss sum / N is the honest per-container cost; Rss counts
# the shared code once per process. The container's own init is the user's command (sleep), not
# gocker's, unless --init is used (then gocker-init stays: measured separately below).
# Target: below conmon's ~2.0 MiB per container; stretch 1 MiB.
#
# Environment: GOCKER (default <repo>/out/gocker), N (default 50). Needs root.
set -euo pipefail
export LC_ALL=C
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GOCKER=${GOCKER:-$REPO/out/gocker}
N=${N:-50}
[[ $EUID -eq 0 ]] || { echo "monitor-memory: must run as root" >&2; exit 1; }
T=$(mktemp -d /tmp/gocker-mem-bench.XXXXXX)
cleanup() { "$GOCKER" --root "$T" ps -a -q --no-trunc | xargs -r "$GOCKER" --root "$T" rm -f >/dev/null 2>&1 || true; rm -rf "$T"; }
trap cleanup EXIT

measure() { # $1 = label; $2.. = extra run flags
    local label=$1; shift
    local ids=()
    for ((i = 0; i < N; i++)); do ids+=("$("$GOCKER" --root "$T" run -d "$@" busybox sleep 1000)"); done
    local rss=0 pss=0 irss=0 ipss=0
    for id in "${ids[@]}"; do
        local pid mon
        pid=$("$GOCKER" --root "$T" inspect -f '{{.State.Pid}}' "$id")
        mon=$(awk '{print $4}' "/proc/$pid/stat")
        rss=$((rss + $(awk '/^Rss:/ {print $2}' "/proc/$mon/smaps_rollup")))
        pss=$((pss + $(awk '/^Pss:/ {print $2}' "/proc/$mon/smaps_rollup")))
        if [[ $label == *init* ]]; then
            irss=$((irss + $(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")))
            ipss=$((ipss + $(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")))
        fi
    done
    printf '%-22s %6d %14.0f %14.0f\n' "$label monitor" "$N" "$((rss / N))" "$((pss / N))"
    [[ $label == *init* ]] && printf '%-22s %6d %14.0f %14.0f\n' "$label gocker-init" "$N" "$((irss / N))" "$((ipss / N))"
    "$GOCKER" --root "$T" rm -f "${ids[@]}" >/dev/null
}

echo "monitor memory: N=$N, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-22s %6s %14s %14s\n' process count rss_kib_each pss_kib_each
measure "run -d"
measure "run -d --init" --init
