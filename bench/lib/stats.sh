# bench/lib/stats.sh: one timed run and the summary every latency script prints (sourced).
# Expects SAMPLES (contender -> space-separated microseconds), CONTENDERS and RUNS; fills MED
# (contender -> median in microseconds).

# run_one NAME [ARGS...]: runs the contender once (the script's cmd_for NAME ARGS sets CMD; PREFIX
# is the script's wrapper, empty for none), sets DT (microseconds); on failure prints the command and its
# stderr and exits. Expects ERR (a scratch file) and BENCH (the script's name, for messages).
run_one() {
    local t0 t1 rc=0
    cmd_for "$@"
    t0=${EPOCHREALTIME/./}
    "${PREFIX[@]}" "${CMD[@]}" </dev/null >/dev/null 2>"$ERR" || rc=$?
    t1=${EPOCHREALTIME/./}
    if [[ $rc -ne 0 ]]; then
        echo "$BENCH: $1 failed (exit $rc): ${PREFIX[*]:+${PREFIX[*]} }${CMD[*]}" >&2
        sed 's/^/  | /' "$ERR" >&2
        exit 1
    fi
    DT=$((t1 - t0))
}

# stats NAME: prints "median min max" in microseconds (median of an even count
# is the mean of the middle two).
stats() {
    tr ' ' '\n' <<<"${SAMPLES[$1]}" | sed '/^$/d' | sort -n | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            print m, v[1], v[NR]
        }'
}
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

# print_summary: the table of median, min and max per contender.
print_summary() {
    printf '%-10s %6s %10s %10s %10s\n' contender runs median_ms min_ms max_ms
    local c med min max
    for c in "${CONTENDERS[@]}"; do
        read -r med min max < <(stats "$c")
        MED[$c]=$med
        printf '%-10s %6d %10s %10s %10s\n' "$c" "$RUNS" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")"
    done
    echo
}
