# bench/lib/stats.sh: one timed run of a contender (sourced). The statistics themselves (median,
# min, max, ratios) are computed from the raw samples by bench/lib/stats.awk.
# shellcheck shell=bash

# run_one NAME [ARGS...]: runs the contender once (the script's cmd_for NAME ARGS sets CMD; PREFIX
# is the script's wrapper, empty for none), sets DT (microseconds); on failure prints the command and its
# stderr and exits. Expects ERR (a scratch file) and BENCH (the script's name, for messages).
run_one() {
    try_one "$@" && return 0
    echo "$BENCH: $1 failed (exit $RC): ${PREFIX[*]:+${PREFIX[*]} }${CMD[*]}" >&2
    sed 's/^/  | /' "$ERR" >&2
    exit 1
}

# try_one NAME [ARGS...]: as run_one, but returns the command's status (also in RC) instead of exiting.
try_one() {
    local t0 t1
    RC=0
    cmd_for "$@"
    t0=${EPOCHREALTIME/./}
    "${PREFIX[@]}" "${CMD[@]}" </dev/null >/dev/null 2>"$ERR" || RC=$?
    t1=${EPOCHREALTIME/./}
    DT=$((t1 - t0))
    return $RC
}

# us_to_ms MICROSECONDS: milliseconds with three decimals.
us_to_ms() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# run_alternating SERIES WARMUP CONTENDER...: WARMUP untimed rounds, then RUNS timed rounds, each
# round running every contender once in order (A B A B ...: drift in the machine hits all of them);
# every timed run is a sample of SERIES in milliseconds. Needs bench_sample (lib/contract.sh).
run_alternating() {
    local series=$1 warmup=$2 i c
    shift 2
    for ((i = 1; i <= warmup; i++)); do
        for c in "$@"; do run_one "$c"; done
    done
    for ((i = 1; i <= RUNS; i++)); do
        for c in "$@"; do
            run_one "$c"
            bench_sample "$series" "$c" "" "$i" "$(us_to_ms "$DT")" ms
        done
    done
}
