# bench/lib/report.awk: one benchmark's tables for BENCHMARKS.md, and its charts (with stats.awk and
# svg.awk; see report.sh). Variables: bench (NAME), chartdir (where to write the SVGs), chartref (the
# same directory as the report links it), machine (the machine line).

function cell(k) { return (k in N) ? fmt(MED[k]) " (" fmt(MIN[k]) "–" fmt(MAX[k]) ")" : "–" }

END {
    load_done()
    for (i = 1; i <= NS; i++) {
        s = S[i]
        printf "\n### %s\n\n", TITLE[s]
        if (NX[s] == 1 && SX[s, 1] == "") {
            g = has(s, "", "gocker") ? MED[key(s, "", "gocker")] : ""
            peers = 0
            for (j = 1; j <= NC[s]; j++) if (SC[s, j] !~ /^gocker/) peers++
            withratio = (g != "" && peers > 0)
            printf "| %s | runs | median (%s) | min | max |%s\n|---|--:|--:|--:|--:|%s\n", (XLABEL[s] == "" ? "contender" : XLABEL[s]), UNIT[s], (withratio ? " gocker ÷ it |" : ""), (withratio ? "--:|" : "")
            for (j = 1; j <= NC[s]; j++) {
                c = SC[s, j]; k = key(s, "", c)
                r = (c ~ /^gocker/) ? "" : ratio(g, MED[k])
                printf "| %s | %d | **%s** | %s | %s |%s\n", c, N[k], fmt(MED[k]), fmt(MIN[k]), fmt(MAX[k]), (withratio ? " " r " |" : "")
            }
            if (BETTER[s] ~ /^(lower|higher)$/) printf "\n%s is better.\n", (BETTER[s] == "higher" ? "Higher" : "Lower")
        } else {
            haveg = 0
            for (j = 1; j <= NC[s]; j++) if (SC[s, j] == "gocker") haveg = 1
            line = "| " XLABEL[s]; rule = "|--:"
            for (j = 1; j <= NC[s]; j++) { line = line " | " SC[s, j] " (" UNIT[s] ")"; rule = rule "|--:" }
            for (j = 1; j <= NC[s]; j++) if (haveg && SC[s, j] !~ /^gocker/) { line = line " | gocker ÷ " SC[s, j]; rule = rule "|--:" }
            print line " |\n" rule "|"
            for (l = 1; l <= NX[s]; l++) {
                x = SX[s, l]
                line = "| " fmtn(x + 0)
                runs = 0
                for (j = 1; j <= NC[s]; j++) {
                    k = key(s, x, SC[s, j])
                    line = line " | " cell(k)
                    if ((k in N) && N[k] > runs) runs = N[k]
                }
                g = has(s, x, "gocker") ? MED[key(s, x, "gocker")] : ""
                for (j = 1; j <= NC[s]; j++) if (haveg && SC[s, j] !~ /^gocker/) {
                    k = key(s, x, SC[s, j])
                    line = line " | " ((g == "" || !(k in N)) ? "–" : ratio(g, MED[k]))
                }
                print line " |"
            }
            printf "\nCells: median (min–max) over %d runs%s.\n", runs, (BETTER[s] ~ /^(lower|higher)$/ ? "; " BETTER[s] " is better" : "")
        }
        if (CHART[s] == "bar" || CHART[s] == "loglog") {
            f = chartdir "/" bench "-" s ".svg"
            if (CHART[s] == "bar") bar_chart(f, s); else loglog_chart(f, s)
            printf "\n![%s](%s/%s-%s.svg)\n", TITLE[s], chartref, bench, s
        }
        printf "\n<sub>%s</sub>\n", machine
    }
}
