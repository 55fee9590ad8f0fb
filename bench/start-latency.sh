#!/usr/bin/env bash
# bench/start-latency.sh: start-to-exit latency of a container running `true`: `gocker run --rm
# busybox true` against `crun run` and `runc run` on an OCI bundle of the same rootfs, and `podman run
# --rm` on that rootfs imported (where installed), timed as whole processes. Target: gocker/crun < 1.
#
# Series: without network (`--network none` where gocker has that option: crun's and runc's bundle
# has a network namespace with loopback only, the same thing) and, when gocker has --network, with
# each tool's default network (gocker and podman: crun and runc set up no network of their own).
#
# Contenders run alternately, in a new random order each round (see the loop), after 3 warmup runs
# each, back to back on purpose: on the 2-vCPU VM this was written on, an idle gap (e.g. sleep 0.1) before a run
# made crun and runc 1.5-2.5x slower. A peer that fails its first run is skipped with its error.
#
# cgroup wrapper: on cgroup v1 "hybrid" hosts crun 1.8 refuses to run ("cgroups in hybrid mode not
# supported"), so the whole script re-executes itself once in a private mount namespace with
# /sys/fs/cgroup/unified unmounted, and times the bare commands there: every contender gets the same
# environment and none pays a per-run wrapper.
#
# Options (bench/README.md): --runs N (default 50), --tiny, --out DIR. Environment: GOCKER, IMAGE_TAR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/oci-bundle.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_private_cgroup_ns "$@"
bench_init start-latency 50 "$@"
WARMUP=3
[[ $TINY == 1 ]] && WARMUP=1
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
[[ -f $IMAGE_TAR ]] || bench_skip "no busybox image at $IMAGE_TAR (./build.sh)"

bench_md "# Start to exit latency"
bench_md
bench_md "A container that runs \`true\`, timed from before the command starts to after it exits:"
bench_md "\`gocker run --rm busybox true\` against \`crun run\` and \`runc run\` on an OCI bundle of the same"
bench_md "rootfs (\`runc spec\`'s defaults: the same mounts, masked paths and capabilities), and \`podman"
bench_md "run --rm\` on that rootfs imported, where podman is installed. Target: gocker faster than crun."
bench_wrapper_md
bench_md

T=$(bench_tmpdir)
PODMAN=()
cleanup() {
    podman_teardown "$T/podman"
    oci_teardown crun "$T/crun"
    oci_teardown runc "$T/runc"
    gocker_teardown "$T/gocker"
    bench_umount_under "$T"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT
mkdir -p "$T/crun" "$T/runc" "$T/gocker"
B=$T/bundle
bundle_setup "$B" '[ "true" ]'

# --- contenders: "series:contender" -----------------------------------------------------------------
NET_OPT=()
if "$GOCKER" run --help 2>/dev/null | grep -q -- '--network'; then
    NET_OPT=(--network none)
    bench_series none bar lower "" "Start to exit, --network none (run --rm busybox true)"
    bench_series default bar lower "" "Start to exit, default network (run --rm busybox true)"
    bench_series seq bar lower "" "Start to exit, each contender back to back (run --rm --network none busybox true)"
    KEYS=(none:gocker)
else
    bench_series none bar lower "" "Start to exit, no network (run --rm busybox true)"
    bench_note "gocker run has no --network option yet: its containers get a network namespace with only" \
        "loopback (the same as the crun/runc bundle); the default-network series was not run."
    KEYS=(none:gocker)
fi
for rt in crun runc; do
    if command -v "$rt" >/dev/null; then KEYS+=("none:$rt"); else bench_note "$rt: not installed, skipped"; fi
done
if command -v podman >/dev/null; then
    if podman_setup "$T/podman"; then
        KEYS+=(none:podman)
    else
        bench_note "podman: could not import the image, skipped: $(head -n 1 "$T/podman.err")"
    fi
else
    bench_note "podman: not installed, skipped (bench/run --install-peers)"
fi
if [[ ${#NET_OPT[@]} -gt 0 ]]; then
    KEYS+=(default:gocker)
    [[ " ${KEYS[*]} " == *" none:podman "* ]] && KEYS+=(default:podman)
    bench_note "default network: crun and runc set up no network of their own, so only gocker and podman run in it."
fi

# cmd_for SERIES:CONTENDER ID: sets CMD.
cmd_for() {
    local series=${1%%:*} c=${1#*:} net=()
    [[ $series == none ]] && net=("${NET_OPT[@]}")
    [[ $series == none && $c == podman ]] && net=(--network none)
    case $c in
        gocker) CMD=("$GOCKER" --root "$T/gocker" run --rm "${net[@]}" busybox true) ;;
        crun | runc) CMD=("$c" --root "$T/$c" run --bundle "$B" "$2") ;;
        podman) CMD=("${PODMAN[@]}" run "${PODMAN_RUN_OPTS[@]}" --rm "${net[@]}" gocker-bench-busybox true) ;;
    esac
}
ERR=$T/stderr
PREFIX=()

# A peer that cannot run here is dropped with its error; gocker failing is an error.
ok=()
for k in "${KEYS[@]}"; do
    if try_one "$k" "gocker-bench-$$-probe"; then
        ok+=("$k")
    elif [[ $k == *:gocker ]]; then
        run_one "$k" "gocker-bench-$$-probe"
    else
        bench_note "${k#*:} (${k%%:*} network) failed, skipped: $(head -n 1 "$ERR")"
        oci_teardown "${k#*:}" "$T/${k#*:}" 2>/dev/null || true
    fi
done
KEYS=("${ok[@]}")

echo "start latency: $RUNS runs (+$WARMUP warmup) of ${KEYS[*]}"
for ((i = 1; i <= WARMUP; i++)); do
    for k in "${KEYS[@]}"; do run_one "$k" "gocker-bench-$$-w$i"; done
done
# Each round runs the contenders in a new random order (a seeded shuffle: the same orders on every
# run of this script). Whatever a run leaves behind for the kernel or for its own background
# processes (podman's network namespaces, tens of ms after it has exited; gocker run --rm's monitor,
# which deletes the container's files after the client has returned) lands on whatever runs next,
# and a random successor shares it out among all contenders. A fixed rotation (A B C, B C A, ...) does
# not: it keeps every contender's successor (A is followed by B in every round but a few).
RANDOM=20261204
order=("${KEYS[@]}")
for ((i = 1; i <= RUNS; i++)); do
    for ((j = ${#order[@]} - 1; j > 0; j--)); do
        r=$((RANDOM % (j + 1)))
        t=${order[j]}; order[j]=${order[r]}; order[r]=$t
    done
    echo "round $i: ${order[*]}"
    for k in "${order[@]}"; do
        run_one "$k" "gocker-bench-$$-$i"
        bench_sample "${k%%:*}" "${k#*:}" "" "$i" "$(us_to_ms "$DT")" ms
    done
done
# Then each contender alone, RUNS runs in a row (as a CI loop runs them): every run follows one of its
# own, so each pays only its own leftovers. Interleaved and back to back can rank the contenders
# differently; the report shows both.
if [[ ${#NET_OPT[@]} -gt 0 ]]; then
    for k in "${KEYS[@]}"; do
        [[ $k == none:* ]] || continue
        run_one "$k" "gocker-bench-$$-s0"
        for ((i = 1; i <= RUNS; i++)); do
            run_one "$k" "gocker-bench-$$-s$i"
            bench_sample seq "${k#*:}" "" "$i" "$(us_to_ms "$DT")" ms
        done
    done
    bench_note "back to back: each contender's runs in a row, after one untimed run; in the interleaved series" \
        "every run follows a random other contender's (a new shuffle each round), whose leftovers it may pay."
fi
bench_summary
