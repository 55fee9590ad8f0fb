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
