#!/usr/bin/env bash
# bench/throughput.sh: containers started per second, and many containers running at once.
#
#   1. Throughput: M containers running `true` started and finished by 1, 2 and 8 concurrent clients
#      (each client a loop over its share), per contender: `gocker run --rm --network none`, `crun run`, `runc run`
#      (same rootfs; unique ids) and `podman run --rm --network none` where installed. A sample is M over the wall
#      time of one round; rounds alternate the contenders and the client counts.
#   2. MANY containers running at once (`gocker run -d busybox sleep`, started by 8 clients): the time
#      to start them, what they cost in memory (the sum of the Pss of gocker's monitors, the sum of the
#      Pss of the containers' processes, and the drop of MemAvailable), and the time to remove them.
#
# Runs in the private mount namespace of bench/start-latency.sh (crun needs it on cgroup v1 hybrid
# hosts; every contender gets the same).
#
# Options (bench/README.md): --runs N: rounds per contender and client count (default 20), --tiny
# (M=8, MANY=5), --out DIR. Environment: GOCKER, IMAGE_TAR, M (default 24), MANY (default 1000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/oci-bundle.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_private_cgroup_ns "$@"
bench_init throughput 20 "$@"
if [[ $TINY == 1 ]]; then M=${M:-8} MANY=${MANY:-5}; else M=${M:-24} MANY=${MANY:-1000}; fi
CLIENTS=(1 2 8)
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
[[ -f $IMAGE_TAR ]] || bench_skip "no busybox image at $IMAGE_TAR (./build.sh)"

bench_md "# Throughput and many containers"
bench_md
bench_md "Containers started per second: $M containers running \`true\`, started and waited for by 1, 2"
bench_md "and 8 concurrent clients (\`gocker run --rm --network none\`, \`crun run\`, \`runc run\` on the same"
bench_md "rootfs, \`podman run --rm --network none\` where installed: crun and runc make no network of their"
bench_md "own); a sample is $M over the wall time of one round, and the"
bench_md "rounds alternate contenders and client counts. Then $MANY containers running at once"
bench_md "(\`gocker run -d busybox sleep\`, started by 8 clients) and what they cost: the Pss of gocker's"
bench_md "monitors and of the containers' processes, and the drop of MemAvailable, which counts what the"
bench_md "kernel spends as well (namespaces, mounts, page tables, the overlay's inodes) and whatever else"
bench_md "the machine did meanwhile."
bench_wrapper_md
bench_md

T=$(bench_tmpdir)
PODMAN=()
cleanup() {
    local j
    for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done # clients of an interrupted round
    wait 2>/dev/null || true
    gocker_teardown "$T/gocker"
    podman_teardown "$T/podman"
    oci_teardown crun "$T/crun"
    oci_teardown runc "$T/runc"
    bench_umount_under "$T"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT
mkdir -p "$T/gocker" "$T/crun" "$T/runc"
bundle_setup "$T/bundle" '[ "true" ]'

cmd_for() {
    case $1 in
        gocker) CMD=("$GOCKER" --root "$T/gocker" run --rm --network none busybox true) ;;
        crun | runc) CMD=("$1" --root "$T/$1" run --bundle "$T/bundle" "$2") ;;
        podman) CMD=("${PODMAN[@]}" run "${PODMAN_RUN_OPTS[@]}" --rm --network none gocker-bench-busybox true) ;;
    esac
}
ERR=$T/stderr
PREFIX=()

CONTENDERS=()
for c in gocker crun runc podman; do
    if ! command -v "$c" >/dev/null && [[ $c != gocker ]]; then
        bench_note "$c: not installed, skipped (bench/run --install-peers)"
        continue
    fi
    if [[ $c == podman ]] && ! podman_setup "$T/podman"; then
        bench_note "podman: could not import the image, skipped: $(head -n 1 "$T/podman.err")"
        continue
    fi
    if try_one "$c" "gocker-bench-$$-probe"; then
        CONTENDERS+=("$c")
    elif [[ $c == gocker ]]; then
        run_one gocker
    else
        bench_note "$c failed, skipped: $(head -n 1 "$ERR")"
    fi
done

# round CONTENDER CLIENTS ROUND: M containers by CLIENTS concurrent loops; sets DT (microseconds).
round() {
    local c=$1 k=$2 r=$3 j t0 t1 fail=0
    local pids=()
    t0=${EPOCHREALTIME/./}
    for ((j = 0; j < k; j++)); do
        (
            for ((i = j; i < M; i += k)); do
                cmd_for "$c" "gocker-bench-$$-$r-$i"
                "${CMD[@]}" </dev/null >/dev/null 2>>"$ERR.$j" || { echo "$c: ${CMD[*]} failed" >>"$ERR.$j"; exit 1; }
            done
        ) &
        pids+=($!)
    done
    for j in "${pids[@]}"; do wait "$j" || fail=1; done
    t1=${EPOCHREALTIME/./}
    DT=$((t1 - t0))
    if [[ $fail == 1 ]]; then
        cat "$ERR".* >&2
        bench_die "$c failed with $k clients"
    fi
    rm -f "$ERR".*
}

bench_series rate bar higher clients "Containers started and run to exit per second (run --rm --network none busybox true)"
echo "throughput: $RUNS rounds of $M containers by ${CLIENTS[*]} clients, for ${CONTENDERS[*]}"
for c in "${CONTENDERS[@]}"; do round "$c" 2 w; done # warmup
for ((r = 1; r <= RUNS; r++)); do
    for k in "${CLIENTS[@]}"; do
        for c in "${CONTENDERS[@]}"; do
            round "$c" "$k" "$r"
            bench_sample rate "$c" "$k" "$r" "$(awk -v m="$M" -v us="$DT" 'BEGIN { printf "%.1f", m * 1e6 / us }')" "containers/s"
        done
    done
done

# --- many containers at once ---------------------------------------------------------------------
mem_available() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
echo "many: $MANY containers running at once"
sync
avail0=$(mem_available)
t0=${EPOCHREALTIME/./}
seq "$MANY" | xargs -P 8 -I{} "$GOCKER" --root "$T/gocker" run -d busybox sleep 1000000 >"$T/ids" ||
    bench_die "gocker run -d failed while starting $MANY containers"
t1=${EPOCHREALTIME/./}
running=$("$GOCKER" --root "$T/gocker" ps -q | wc -l)
[[ $running -eq $MANY ]] || bench_die "$MANY started, but gocker ps shows $running running"
avail1=$(mem_available)
# The init of each container and its monitor (the init's parent): their Pss, summed.
read -r mon_pss ctr_pss < <(
    xargs -a "$T/ids" -n 200 "$GOCKER" --root "$T/gocker" inspect -f '{{.State.Pid}}' |
        while read -r pid; do
            mon=$(awk '{ print $4 }' "/proc/$pid/stat")
            echo "$(awk '$1 == "Pss:" { print $2 }' "/proc/$mon/smaps_rollup") $(awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup")"
        done | awk '{ m += $1; c += $2 } END { print m + 0, c + 0 }'
)
t2=${EPOCHREALTIME/./}
xargs -a "$T/ids" -n 100 "$GOCKER" --root "$T/gocker" rm -f >/dev/null
t3=${EPOCHREALTIME/./}
left=$("$GOCKER" --root "$T/gocker" ps -a -q | wc -l)
[[ $left -eq 0 ]] || bench_die "$left containers left after rm -f"

drop=$((avail0 - avail1))
bench_series many_time none lower what "$MANY containers running at once: time"
bench_sample many_time "start all (8 clients)" "" 1 "$(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", us / 1e6 }')" s
bench_sample many_time "remove all (rm -f)" "" 1 "$(awk -v us=$((t3 - t2)) 'BEGIN { printf "%.2f", us / 1e6 }')" s
bench_series many_mem none lower what "$MANY containers running at once: memory, total"
bench_sample many_mem "monitors (Pss)" "" 1 "$(awk -v k="$mon_pss" 'BEGIN { printf "%.1f", k / 1024 }')" MiB
bench_sample many_mem "containers' processes (sleep; Pss)" "" 1 "$(awk -v k="$ctr_pss" 'BEGIN { printf "%.1f", k / 1024 }')" MiB
bench_sample many_mem "MemAvailable drop" "" 1 "$(awk -v k="$drop" 'BEGIN { printf "%.1f", k / 1024 }')" MiB
bench_series many_each none lower what "$MANY containers running at once: memory per container"
bench_sample many_each "monitor (Pss)" "" 1 $((mon_pss / MANY)) KiB
bench_sample many_each "container's process (sleep; Pss)" "" 1 $((ctr_pss / MANY)) KiB
bench_sample many_each "MemAvailable drop" "" 1 $((drop / MANY)) KiB
bench_summary
