#!/usr/bin/env bash
# bench/ps-scale.sh: `gocker ps -a` over 100, 1,000 and 10,000 containers against `runc list` over
# the same numbers (--tiny: 10 and 100). Target: gocker ps under 5 ms at 10,000.
#
# gocker's containers are real (`gocker create`, status Created; JOBS creates at a time). For runc, N
# real containers would cost N init processes; instead one container is created with `runc create`
# and its state directory (state.json and exec.fifo) is replicated N-1 times under new ids, written by
# bash itself so that 10,000 cost seconds: `runc list` then reads N state files and checks the (one,
# live) init pid of each, which is the work it does for N containers.
#
# Both are timed as whole processes from bash (fork and exec included), alternately, output discarded.
#
# Both stores are on a tmpfs mounted in a private mount namespace (the one of bench/start-latency.sh,
# so it also disappears if the script is killed): on the development VM's ext4 (mounted with discard)
# deleting 10,000 containers' files took minutes. After the warmup runs both read their state from
# the page cache either way.
#
# Options (bench/README.md): --runs N (default 20), --tiny, --out DIR. Environment: GOCKER, IMAGE_TAR,
# COUNTS (default "100 1000 10000"), JOBS (parallel creates, default 8).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/oci-bundle.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_private_cgroup_ns "$@"
bench_init ps-scale 20 "$@"
if [[ $TINY == 1 ]]; then COUNTS=${COUNTS:-"10 100"}; else COUNTS=${COUNTS:-"100 1000 10000"}; fi
JOBS=${JOBS:-8}
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
[[ -f $IMAGE_TAR ]] || bench_skip "no busybox image at $IMAGE_TAR (./build.sh)"

bench_md "# Listing containers at scale"
bench_md
bench_md "\`gocker ps -a\` over containers made with \`gocker create\`, against \`runc list\` over as many"
bench_md "state directories (one real runc container whose state is replicated under new ids), both timed"
bench_md "as whole processes from bash (which adds about 1 ms of fork and exec to both). Target: gocker"
bench_md "under 5 ms at 10,000 containers. Both stores are on a tmpfs (after warmup runs both read"
bench_md "from the page cache either way)."
bench_wrapper_md
bench_md

T=$(bench_tmpdir)
RID=gocker-bench-$$
cleanup() {
    # Only the real container: the replicas name its init and cgroups too, and are plain files.
    [[ -d $T/runc/$RID-0 ]] && { runc --root "$T/runc" delete -f "$RID-0" >/dev/null 2>&1 || true; }
    umount -l "$T" 2>/dev/null || true # gocker's Created containers hold no process, mount or cgroup
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT
mount -t tmpfs -o mode=0700 gocker-bench "$T"
mkdir -p "$T/gocker" "$T/empty"

have_runc=0
if command -v runc >/dev/null; then
    bundle_setup "$T/bundle" '[ "sleep", "1000000" ]'
    if runc --root "$T/runc" create --bundle "$T/bundle" "$RID-0" </dev/null >/dev/null 2>"$T/runc.err"; then
        have_runc=1
        STATE=$(<"$T/runc/$RID-0/state.json")
    else
        bench_note "runc create failed, runc skipped: $(head -n 1 "$T/runc.err")"
    fi
else
    bench_note "runc: not installed, skipped (bench/run --install-peers)"
fi

bench_series ps loglog lower containers "ps -a (gocker) and list (runc) against the number of containers"

# grow_runc N: state directories $RID-0 .. $RID-(N-1), in batches of a few hundred per mkdir/mkfifo.
grow_runc() {
    local n=$1 i j dirs
    (
        umask 077
        for ((i = RUNC_HAVE; i < n; i += 500)); do
            dirs=()
            for ((j = i; j < n && j < i + 500; j++)); do dirs+=("$T/runc/$RID-$j"); done
            mkdir "${dirs[@]}"
            chmod 711 "${dirs[@]}"
            mkfifo -m 622 "${dirs[@]/%//exec.fifo}"
            for ((j = i; j < n && j < i + 500; j++)); do
                printf '%s' "${STATE//\"id\":\"$RID-0\"/\"id\":\"$RID-$j\"}" >"$T/runc/$RID-$j/state.json"
            done
        done
    )
    RUNC_HAVE=$n
}

cmd_for() {
    case $1 in
        gocker) CMD=("$GOCKER" --root "$T/gocker" ps -a) ;;
        runc) CMD=(runc --root "$T/runc" list) ;;
        "gocker ps -a (empty root)") CMD=("$GOCKER" --root "$T/empty" ps -a) ;;
        "gocker --version") CMD=("$GOCKER" --version) ;;
        /bin/true) CMD=(/bin/true) ;;
    esac
}
ERR=$T/stderr
PREFIX=()
CONTENDERS=(gocker)
[[ $have_runc == 1 ]] && CONTENDERS+=(runc)

have=0 RUNC_HAVE=1
for n in $COUNTS; do
    if ((n > have)); then
        seq $((n - have)) | xargs -P "$JOBS" -I{} "$GOCKER" --root "$T/gocker" create busybox true >/dev/null
        have=$n
    fi
    got=$("$GOCKER" --root "$T/gocker" ps -a -q | wc -l)
    [[ $got -eq $n ]] || bench_die "expected $n containers, gocker ps shows $got"
    if [[ $have_runc == 1 ]]; then
        grow_runc "$n"
        got=$(($(runc --root "$T/runc" list -q | wc -l)))
        [[ $got -eq $n ]] || bench_die "expected $n runc containers, runc list shows $got"
    fi
    echo "ps scale: $n containers, $RUNS runs of ${CONTENDERS[*]}"
    for c in "${CONTENDERS[@]}"; do run_one "$c"; run_one "$c"; done # warmup: page cache, dentries
    for ((i = 1; i <= RUNS; i++)); do
        for c in "${CONTENDERS[@]}"; do
            run_one "$c"
            bench_sample ps "$c" "$n" "$i" "$(us_to_ms "$DT")" ms
        done
    done
done

# What is not listing: the same process with nothing to list, and the cost of any process start here.
# The target's 5 ms is an absolute time, and on a slow machine the floor alone can come near it.
FLOOR=("/bin/true" "gocker --version" "gocker ps -a (empty root)")
bench_series floor bar lower "" "The floor under ps: a process start on this machine"
echo "ps scale: the floor, $RUNS runs of ${FLOOR[*]}"
run_alternating floor 2 "${FLOOR[@]}"
if [[ $have -gt 0 ]]; then
    top=${COUNTS##* }
    ms() { awk -v v="$1" 'BEGIN { printf "%.1f", v }'; }
    bench_note "At $top containers gocker ps -a took $(ms "$(bench_median ps gocker "$top")") ms (median), of which" \
        "$(ms "$(bench_median floor "gocker ps -a (empty root)")") ms is the same command with no containers (process start," \
        "runtime, parse) and $(ms "$(bench_median floor /bin/true)") ms is what /bin/true takes from bash here (same run)."
fi
bench_summary
