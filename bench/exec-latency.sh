#!/usr/bin/env bash
# bench/exec-latency.sh: latency of running a command in an already running container: `gocker exec C
# true` against `runc exec CTR true` (a runc container on the same busybox rootfs) and `nsenter -a -t
# PID /bin/true` (util-linux: only setns + fork + exec, the floor), timed as whole processes.
# Target: gocker below runc exec.
#
# Contenders run alternately (gocker runc nsenter gocker ...) after WARMUP runs each, back to back on
# purpose (see bench/start-latency.sh: idle gaps slow the runtimes down on small VMs).
#
# What each one does per run:
#   gocker   re-executes itself, joins the init's namespaces through a pidfd in its pre-runtime
#            constructor, forks, execs `true` in the container; the parent waits for its status.
#   runc     reads its state, runc init joins the namespaces (and cgroups), applies the process spec
#            (capabilities, rlimits, no_new_privs), execs `true`.
#   nsenter  setns into every namespace of gocker's container init, fork, exec /bin/true (by path:
#            nsenter would search the caller's, i.e. the host's, PATH in the container's root).
#
# runc works on a cgroup v1 hybrid host without the private mount namespace crun needs (see
# bench/start-latency.sh), and crun is not a contender here, so no wrapper is used.
#
# Options (bench/README.md): --runs N (default 50), --tiny, --out DIR. Environment: GOCKER, IMAGE_TAR,
# WARMUP (default 5).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/contract.sh"
source "$BENCH_LIB/oci-bundle.sh"
source "$BENCH_LIB/stats.sh"
source "$BENCH_LIB/peers.sh"
bench_init exec-latency 50 "$@"
WARMUP=${WARMUP:-5}
[[ $TINY == 1 ]] && WARMUP=1
[[ -x $GOCKER ]] || bench_skip "no gocker at $GOCKER (./build.sh)"
[[ -f $IMAGE_TAR ]] || bench_skip "no busybox image at $IMAGE_TAR (./build.sh)"

bench_md "# Exec latency"
bench_md
bench_md "\`gocker exec C true\` in a running container, against \`runc exec\` in a runc container on the"
bench_md "same rootfs and \`nsenter -a -t PID /bin/true\` into gocker's container (setns, fork and exec"
bench_md "only: the floor). Target: gocker below runc exec. runc also joins the container's cgroups and"
bench_md "applies its capabilities and rlimits."
bench_md

T=$(bench_tmpdir)
NAME=gocker-bench-$$
cleanup() {
    gocker_teardown "$T/gocker"
    oci_teardown runc "$T/runc"
    bench_remove_tmpdir "$T"
}
trap cleanup EXIT
mkdir -p "$T/gocker" "$T/runc"
bench_series exec bar lower "" "Exec latency (exec C true)"

CONTENDERS=(gocker)
"$GOCKER" --root "$T/gocker" run -d --name "$NAME" busybox sleep 1000000 >/dev/null ||
    bench_die "gocker run -d failed"
GPID=$("$GOCKER" --root "$T/gocker" inspect -f '{{.State.Pid}}' "$NAME")
[[ $GPID =~ ^[1-9][0-9]*$ ]] || bench_die "gocker inspect gave no pid: '$GPID'"

if command -v runc >/dev/null; then
    bundle_setup "$T/bundle" '[ "sleep", "1000000" ]'
    # -d with terminal false: the container keeps the stdio it is given; give it /dev/null.
    if runc --root "$T/runc" run -d --bundle "$T/bundle" "$NAME" </dev/null >/dev/null 2>"$T/runc.err"; then
        CONTENDERS+=(runc)
    else
        bench_note "runc run -d failed, runc skipped: $(head -n 1 "$T/runc.err")"
    fi
else
    bench_note "runc: not installed, skipped (bench/run --install-peers)"
fi
if command -v nsenter >/dev/null; then
    CONTENDERS+=(nsenter)
else
    bench_note "nsenter: not installed (util-linux), skipped"
fi

cmd_for() {
    case $1 in
        gocker) CMD=("$GOCKER" --root "$T/gocker" exec "$NAME" true) ;;
        runc) CMD=(runc --root "$T/runc" exec "$NAME" true) ;;
        nsenter) CMD=(nsenter -a -t "$GPID" /bin/true) ;;
    esac
}
ERR=$T/stderr
PREFIX=()

echo "exec latency: $RUNS runs (+$WARMUP warmup) of ${CONTENDERS[*]}"
run_alternating exec "$WARMUP" "${CONTENDERS[@]}"
bench_summary
