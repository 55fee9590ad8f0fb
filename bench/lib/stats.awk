# bench/lib/stats.awk: loads a benchmark's NAME.series.csv and NAME.csv (in that order, -F,) and
# computes median, min and max per (series, x, contender). Portable awk (mawk): no asort, no gensub.
#
# After END has called load_done():
#   NS, S[i]                     series in order of first sample (those described first, if described)
#   CHART[s] BETTER[s] XLABEL[s] TITLE[s] UNIT[s]
#   NC[s], SC[s,i]               contenders of series s in order of first sample
#   NX[s], SX[s,i]               x values of series s in order of first sample ("" when none)
#   N[s,x,c] MED[s,x,c] MIN[s,x,c] MAX[s,x,c]

FILENAME ~ /\.series\.csv$/ {
    if (FNR == 1) next
    s = $1
    if (!(s in CHART)) { S[++NS] = s }
    CHART[s] = $2; BETTER[s] = $3; XLABEL[s] = $4
    t = $5
    for (i = 6; i <= NF; i++) t = t "," $i
    TITLE[s] = t
    next
}

FNR == 1 { next } # the samples' header

{
    s = $1; c = $2; x = $3; v = $5 + 0
    if (!(s in CHART)) { S[++NS] = s; CHART[s] = "bar"; BETTER[s] = "lower"; XLABEL[s] = ""; TITLE[s] = s }
    if (!((s, c) in HAVEC)) { HAVEC[s, c] = 1; SC[s, ++NC[s]] = c }
    if (!((s, x) in HAVEX)) { HAVEX[s, x] = 1; SX[s, ++NX[s]] = x }
    UNIT[s] = $6
    k = s SUBSEP x SUBSEP c
    VAL[k, ++N[k]] = v
}

function load_done(    k, n, i, j, a, t, parts) {
    for (k in N) {
        n = N[k]
        for (i = 1; i <= n; i++) a[i] = VAL[k, i]
        for (i = 2; i <= n; i++) { # insertion sort: a few hundred samples at most per group
            t = a[i]
            for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
            a[j + 1] = t
        }
        MIN[k] = a[1]; MAX[k] = a[n]
        MED[k] = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    # Series described but never sampled are dropped.
    j = 0
    for (i = 1; i <= NS; i++) if (NC[S[i]] > 0) S[++j] = S[i]
    NS = j
}

# A figure with about three significant digits, thousands separated: 0.123, 1.23, 12.3, 123, 1,234.
function fmt(v,    s, a, r) {
    if (v < 0) return "-" fmt(-v)
    if (v >= 1000) {
        s = sprintf("%.0f", v); r = ""
        while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
        return s r
    }
    if (v >= 100) return sprintf("%.0f", v)
    if (v >= 10) return sprintf("%.1f", v)
    if (v >= 1) return sprintf("%.2f", v)
    if (v == 0) return "0"
    return sprintf("%.3f", v)
}

# An axis tick or a parameter: whole numbers as such (1,000), others as short as they go (0.5, 2.5).
function fmtn(v) { return (v == int(v)) ? fmt(v) : sprintf("%g", v) }

# "8 clients" but "1 client".
function xname(x, label) { return (x == 1 && label ~ /s$/) ? x " " substr(label, 1, length(label) - 1) : x " " label }

function ratio(a, b) { return (b > 0) ? sprintf((a / b < 0.095) ? "%.3f" : "%.2f", a / b) : "n/a" }

function has(s, x, c) { return ((s, x, c) in N) }

function key(s, x, c) { return s SUBSEP x SUBSEP c }
