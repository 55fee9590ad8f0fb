# bench/lib/stats.sh: the summary every latency script prints (sourced).
# Expects SAMPLES (contender -> space-separated microseconds), CONTENDERS and RUNS; fills MED
# (contender -> median in microseconds).

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
