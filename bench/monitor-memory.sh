#!/usr/bin/env bash
# bench/monitor-memory.sh: resident memory that gocker keeps per running container, against conmon's
# (podman's per-container monitor) where podman is installed. Target: below conmon.
#
# Starts N detached `sleep` containers and reads, for every monitor (the parent of each container's
# init), its Rss and Pss from /proc/PID/smaps_rollup. Pss divides shared pages (the binary's code)
# among the processes sharing them, so Pss is the honest per-container cost; Rss counts the shared
# code once per process. The container's own process is the user's command (sleep), not gocker's,
# unless --init is used: then gocker-init stays as PID 1 and is counted with the monitor. crun and
# runc keep no process per container once it runs, so they have nothing to measure here.
#
# Runs in the private mount namespace of bench/start-latency.sh (podman runs crun, which needs it on
# cgroup v1 hybrid hosts; gocker gets the same).
#
# Options (bench/README.md): --runs N: N containers per contender (default 30; --tiny 3), --out DIR.
# Environment: GOCKER, IMAGE_TAR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/peers.sh"
bench_private_cgroup_ns "$@"
bench_init monitor-memory 30 "$@"
N=$RUNS
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
[[ -f $IMAGE_TAR ]] || bench_skip "no busybox image at $IMAGE_TAR (./build.sh)"

bench_md "# Memory per running container"
bench_md
bench_md "What stays resident for each running container, read from \`/proc/PID/smaps_rollup\` over $N"
bench_md "detached \`sleep\` containers per contender: gocker's monitor (\`run -d\`), gocker's monitor plus"
bench_md "gocker-init as PID 1 (\`run -d --init\`), and podman's conmon. Pss shares the pages that"
bench_md "processes share (the binary's code) among them: it is the cost per container. crun and runc keep"
bench_md "no process per running container, so they have nothing to show here. Target: gocker below conmon."
bench_wrapper_md
bench_md

T=$(bench_tmpdir)
PODMAN=()
cleanup() {
    gocker_teardown "$T/gocker"
    podman_teardown "$T/podman"
    bench_umount_under "$T"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT
mkdir -p "$T/gocker"
bench_series pss bar lower "" "Pss per running container (memory kept resident per container)"
bench_series rss none lower "" "Rss per running container (shared code counted in full)"

kib() { awk -v k="$1" '$1 == k ":" { print $2 }' "/proc/$2/smaps_rollup"; }

# gocker LABEL [RUN FLAGS]: N containers, one sample each, then removed.
measure_gocker() {
    local label=$1 i id pid mon pss rss
    shift
    local ids=()
    for ((i = 1; i <= N; i++)); do
        ids+=("$("$GOCKER" --root "$T/gocker" run -d "$@" busybox sleep 1000000)")
    done
    for ((i = 1; i <= N; i++)); do
        id=${ids[i - 1]}
        pid=$("$GOCKER" --root "$T/gocker" inspect -f '{{.State.Pid}}' "$id")
        mon=$(awk '{ print $4 }' "/proc/$pid/stat")
        pss=$(kib Pss "$mon") rss=$(kib Rss "$mon")
        if [[ $label == *--init ]]; then # init is gocker-init, kept for the container's whole life
            pss=$((pss + $(kib Pss "$pid"))) rss=$((rss + $(kib Rss "$pid")))
        fi
        bench_sample pss "$label" "" "$i" "$pss" KiB
        bench_sample rss "$label" "" "$i" "$rss" KiB
    done
    "$GOCKER" --root "$T/gocker" rm -f "${ids[@]}" >/dev/null
}

# A peer that cannot run here is skipped with its error (the containers it started go in cleanup).
measure_conmon() {
    local i id mon
    local ids=() mons=()
    for ((i = 1; i <= N; i++)); do
        if ! id=$("${PODMAN[@]}" run "${PODMAN_RUN_OPTS[@]}" -d --network none gocker-bench-busybox sleep 1000000 2>"$T/podman.err") ||
            ! mon=$("${PODMAN[@]}" inspect -f '{{.State.ConmonPid}}' "$id" 2>"$T/podman.err") ||
            [[ ! -r /proc/$mon/smaps_rollup ]]; then
            bench_note "podman run -d failed, conmon skipped: $(head -n 1 "$T/podman.err")"
            return 0
        fi
        ids+=("$id") mons+=("$mon")
    done
    for ((i = 1; i <= N; i++)); do
        mon=${mons[i - 1]}
        bench_sample pss conmon "" "$i" "$(kib Pss "$mon")" KiB
        bench_sample rss conmon "" "$i" "$(kib Rss "$mon")" KiB
    done
    "${PODMAN[@]}" rm -f -t 0 "${ids[@]}" >/dev/null
}

echo "memory per container: $N containers per contender"
measure_gocker gocker
measure_gocker "gocker --init" --init
if command -v podman >/dev/null; then
    if podman_setup "$T/podman"; then
        measure_conmon
    else
        bench_note "podman: could not import the image, conmon skipped: $(head -n 1 "$T/podman.err")"
    fi
else
    bench_note "podman: not installed, conmon not measured (bench/run --install-peers)"
fi
bench_summary
