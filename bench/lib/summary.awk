# bench/lib/summary.awk: the text summary a benchmark prints (with stats.awk; see bench_summary).
# Per series: median, min and max per contender (and x), and gocker's median over each peer's,
# measured in the same run.

END {
    load_done()
    for (i = 1; i <= NS; i++) {
        s = S[i]
        printf "\n%s (%s%s)\n", TITLE[s], UNIT[s], (BETTER[s] ~ /^(lower|higher)$/ ? "; " BETTER[s] " is better" : "")
        # Without x, XLABEL names the contenders' column (as in the report's table).
        nox = (NX[s] == 1 && SX[s, 1] == "")
        # The ratio column only when there is a "gocker" and someone else to divide by.
        hasg = 0; peers = 0
        for (l = 1; l <= NC[s]; l++) if (SC[s, l] == "gocker") hasg = 1; else if (SC[s, l] !~ /^gocker/) peers = 1
        withratio = hasg && peers
        printf "  %-10s %-36s %5s %10s %10s %10s %9s\n", (nox ? "" : XLABEL[s]), ((nox && XLABEL[s] != "") ? XLABEL[s] : "contender"), "n", "median", "min", "max", (withratio ? "gocker/it" : "")
        for (j = 1; j <= NX[s]; j++) {
            x = SX[s, j]
            g = has(s, x, "gocker") ? MED[key(s, x, "gocker")] : ""
            for (l = 1; l <= NC[s]; l++) {
                c = SC[s, l]
                if (!has(s, x, c)) continue
                k = key(s, x, c)
                r = (g == "" || c ~ /^gocker/) ? "" : ratio(g, MED[k])
                printf "  %-10s %-36s %5d %10s %10s %10s %9s\n", x, c, N[k], fmt(MED[k]), fmt(MIN[k]), fmt(MAX[k]), r
            }
        }
    }
    print ""
}
