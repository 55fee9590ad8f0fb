# bench/lib/svg.awk: the report's charts as plain SVG 1.1 (with stats.awk loaded; no network, no
# packages). Two kinds:
#   bar_chart(FILE, s)     bars at the median, whiskers from min to max; one group per x value
#   loglog_chart(FILE, s)  medians joined per contender on log-log axes, whiskers from min to max
# Both carry the series' title, the machine line (variable `machine`) and the unit on the value axis.

function esc(t) {
    gsub(/&/, "\\&amp;", t); gsub(/</, "\\&lt;", t); gsub(/>/, "\\&gt;", t); gsub(/"/, "\\&quot;", t)
    return t
}

function color(c) {
    if (c ~ /^gocker/) return (c == "gocker") ? "#2563eb" : "#60a5fa"
    if (c ~ /^crun/) return "#ea580c"
    if (c ~ /^runc/) return "#6b7280"
    if (c ~ /^podman|^conmon/) return "#7c3aed"
    if (c ~ /^nsenter/) return "#16a34a"
    if (!(c in OTHERCOLOR)) OTHERCOLOR[c] = substr("#0891b2#be123c#a16207#4d7c0f", 1 + 7 * (NOTHER++ % 4), 7)
    return OTHERCOLOR[c]
}

# The step of about n ticks over [0, top]: 1, 2 or 5 times a power of ten.
function nicestep(top, n,    raw, p, f) {
    raw = top / n
    if (raw <= 0) return 1
    p = exp(log(10) * int(log(raw) / log(10) - (raw < 1 ? 1 : 0)))
    f = raw / p
    if (f <= 1) return p
    if (f <= 2) return 2 * p
    if (f <= 5) return 5 * p
    return 10 * p
}

function lg(v) { return log(v) / log(10) }
function pow10(d,    r) { r = 1; while (d > 0) { r *= 10; d-- } while (d < 0) { r /= 10; d++ } return r }
function floor_(v) { return (v == int(v) || v >= 0) ? int(v) : int(v) - 1 }
function ceil_(v) { return (v == int(v)) ? v : floor_(v) + 1 }

function svg_open(f, w, h, s) {
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n", w, h, w, h > f
    printf "<title>%s</title>\n", esc(TITLE[s]) > f
    printf "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h > f
    printf "<text x=\"16\" y=\"24\" font-size=\"15\" font-weight=\"bold\" fill=\"#111827\">%s</text>\n", esc(TITLE[s]) > f
    printf "<text x=\"16\" y=\"42\" font-size=\"11\" fill=\"#4b5563\">%s</text>\n", esc(machine) > f
}

function svg_close(f) {
    print "</svg>" > f
    close(f)
}

function value_axis_label(f, s, x, y) {
    printf "<text transform=\"translate(%d %d) rotate(-90)\" text-anchor=\"middle\" fill=\"#374151\">%s</text>\n", x, y, esc(UNIT[s] (BETTER[s] ~ /^(lower|higher)$/ ? " (" BETTER[s] " is better)" : "")) > f
}

# A label centred under a bar, on two lines when it is wider than WIDTH (about 7 px a character).
function label(f, x, y, t,  width,    cut, i) {
    if (length(t) * 7 <= width || index(t, " ") == 0) {
        printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#111827\">%s</text>\n", x, y, esc(t) > f
        return
    }
    cut = 0 # the space nearest the middle
    for (i = 1; i <= length(t); i++)
        if (substr(t, i, 1) == " " && (cut == 0 || (i - length(t) / 2) ^ 2 < (cut - length(t) / 2) ^ 2)) cut = i
    printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#111827\">%s</text>\n", x, y, esc(substr(t, 1, cut - 1)) > f
    printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#111827\">%s</text>\n", x, y + 15, esc(substr(t, cut + 1)) > f
}

function bar_chart(f, s,    W, H, ml, mr, mt, mb, x0, x1, y0, y1, top, step, t, y, ng, nb, gw, bw, gap, i, j, x, c, k, bx, cx, ymed, ymin, ymax, grouped, lx) {
    W = 720; H = 400; ml = 76; mr = 24; mt = 64
    ng = NX[s]; nb = NC[s]
    grouped = !(ng == 1 && SX[s, 1] == "")
    mb = grouped ? 84 : 56
    x0 = ml; x1 = W - mr; y0 = mt; y1 = H - mb
    top = 0
    for (i = 1; i <= ng; i++) for (j = 1; j <= nb; j++) {
        k = key(s, SX[s, i], SC[s, j])
        if ((k in N) && MAX[k] > top) top = MAX[k]
    }
    if (top <= 0) top = 1
    step = nicestep(top * 1.08, 5)
    top = ceil_(top * 1.08 / step) * step
    svg_open(f, W, H, s)
    for (t = 0; t <= top + step / 2; t += step) {
        y = y1 - (y1 - y0) * t / top
        printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n", x0, y, x1, y, (t == 0 ? "#374151" : "#e5e7eb") > f
        printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#374151\">%s</text>\n", x0 - 6, y + 4, fmtn(t) > f
    }
    value_axis_label(f, s, 22, (y0 + y1) / 2)
    gw = (x1 - x0) / ng
    gap = grouped ? 6 : gw / nb * 0.35 # ungrouped: one column per contender, room for its name
    bw = (gw * 0.8 - (nb - 1) * gap) / nb
    if (bw > 72) bw = 72
    if (!grouped) gap = gw / nb - bw
    for (i = 1; i <= ng; i++) {
        x = SX[s, i]
        bx = x0 + (i - 1) * gw + (gw - nb * bw - (nb - 1) * gap) / 2
        for (j = 1; j <= nb; j++) {
            c = SC[s, j]; k = key(s, x, c)
            cx = bx + (j - 1) * (bw + gap) + bw / 2
            if (k in N) {
                ymed = y1 - (y1 - y0) * MED[k] / top
                ymin = y1 - (y1 - y0) * MIN[k] / top
                ymax = y1 - (y1 - y0) * MAX[k] / top
                printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: median %s, min %s, max %s %s (n=%d)</title></rect>\n", cx - bw / 2, ymed, bw, y1 - ymed, color(c), esc(c (x == "" ? "" : " at " x " " XLABEL[s])), fmt(MED[k]), fmt(MIN[k]), fmt(MAX[k]), esc(UNIT[s]), N[k] > f
                if (N[k] > 1) {
                    printf "<g stroke=\"#111827\" stroke-width=\"1.2\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cx, ymin, cx, ymax > f
                    printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cx - bw / 5, ymin, cx + bw / 5, ymin > f
                    printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>\n", cx - bw / 5, ymax, cx + bw / 5, ymax > f
                }
                printf "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" fill=\"#111827\">%s</text>\n", cx, (ymax < ymed ? ymax : ymed) - 5, fmt(MED[k]) > f
            }
            if (!grouped)
                label(f, cx, y1 + 18, c, bw + gap)
        }
        if (grouped)
            printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#111827\">%s</text>\n", x0 + (i - 0.5) * gw, y1 + 18, esc(xname(x, XLABEL[s])) > f
    }
    if (grouped) { # legend under the groups
        lx = x0
        for (j = 1; j <= nb; j++) {
            c = SC[s, j]
            printf "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" fill=\"#111827\">%s</text>\n", lx, y1 + 40, color(c), lx + 17, y1 + 50, esc(c) > f
            lx += 34 + 7 * length(c)
        }
    }
    printf "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#6b7280\">bars: median; whiskers: min to max</text>\n", x0, H - 8 > f
    svg_close(f)
}

function loglog_chart(f, s,    W, H, ml, mr, mt, mb, x0, x1, y0, y1, i, j, k, c, x, v, lxmin, lxmax, lymin, lymax, d, m, px, py, pts, xs, nxs, t, lx, ly, ylo, yhi) {
    W = 720; H = 420; ml = 76; mr = 130; mt = 64; mb = 60
    x0 = ml; x1 = W - mr; y0 = mt; y1 = H - mb
    lxmin = 1e9; lxmax = -1e9; lymin = 1e9; lymax = -1e9
    nxs = 0
    for (i = 1; i <= NX[s]; i++) {
        x = SX[s, i] + 0
        if (x <= 0) continue
        xs[++nxs] = x
        if (lg(x) < lxmin) lxmin = lg(x)
        if (lg(x) > lxmax) lxmax = lg(x)
        for (j = 1; j <= NC[s]; j++) {
            k = key(s, SX[s, i], SC[s, j])
            if (!(k in N)) continue
            if (MIN[k] > 0 && lg(MIN[k]) < lymin) lymin = lg(MIN[k])
            if (MAX[k] > 0 && lg(MAX[k]) > lymax) lymax = lg(MAX[k])
        }
    }
    for (i = 2; i <= nxs; i++) { t = xs[i]; for (j = i - 1; j >= 1 && xs[j] > t; j--) xs[j + 1] = xs[j]; xs[j + 1] = t }
    lxmin = floor_(lxmin); lxmax = ceil_(lxmax); if (lxmax <= lxmin) lxmax = lxmin + 1
    lymin = floor_(lymin); lymax = ceil_(lymax); if (lymax <= lymin) lymax = lymin + 1
    svg_open(f, W, H, s)
    for (d = lymin; d <= lymax; d++) for (m = 1; m <= 9; m++) {
        if (d == lymax && m > 1) break
        py = y1 - (y1 - y0) * (d + lg(m) - lymin) / (lymax - lymin)
        printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n", x0, py, x1, py, (m == 1 ? "#d1d5db" : "#f3f4f6") > f
        if (m == 1)
            printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#374151\">%s</text>\n", x0 - 6, py + 4, fmtn(pow10(d)) > f
    }
    for (d = lxmin; d <= lxmax; d++) for (m = 1; m <= 9; m++) {
        if (d == lxmax && m > 1) break
        px = x0 + (x1 - x0) * (d + lg(m) - lxmin) / (lxmax - lxmin)
        printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1\"/>\n", px, y0, px, y1, (m == 1 ? "#d1d5db" : "#f3f4f6") > f
        if (m == 1)
            printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#374151\">%s</text>\n", px, y1 + 18, fmtn(pow10(d)) > f
    }
    printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#374151\"/>\n", x0, y0, x1 - x0, y1 - y0 > f
    printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#374151\">%s</text>\n", (x0 + x1) / 2, y1 + 40, esc(XLABEL[s] " (log scale)") > f
    value_axis_label(f, s, 22, (y0 + y1) / 2)
    for (j = 1; j <= NC[s]; j++) {
        c = SC[s, j]; pts = ""
        for (i = 1; i <= nxs; i++) {
            k = key(s, xs[i], c)
            if (!(k in N)) { k = key(s, xs[i] "", c); if (!(k in N)) continue }
            px = x0 + (x1 - x0) * (lg(xs[i]) - lxmin) / (lxmax - lxmin)
            py = y1 - (y1 - y0) * (lg(MED[k]) - lymin) / (lymax - lymin)
            pts = pts sprintf("%.1f,%.1f ", px, py)
            ylo = y1 - (y1 - y0) * (lg(MIN[k]) - lymin) / (lymax - lymin)
            yhi = y1 - (y1 - y0) * (lg(MAX[k]) - lymin) / (lymax - lymin)
            printf "<g stroke=\"%s\" stroke-width=\"1.2\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>\n", color(c), px, ylo, px, yhi, px - 4, ylo, px + 4, ylo, px - 4, yhi, px + 4, yhi > f
            printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s at %s %s: median %s, min %s, max %s %s (n=%d)</title></circle>\n", px, py, color(c), esc(c), fmt(xs[i]), esc(XLABEL[s]), fmt(MED[k]), fmt(MIN[k]), fmt(MAX[k]), esc(UNIT[s]), N[k] > f
            printf "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">%s</text>\n", px + 7, py - 6, color(c), fmt(MED[k]) > f
        }
        if (pts != "")
            printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", pts, color(c) > f
        printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/><text x=\"%d\" y=\"%d\" fill=\"#111827\">%s</text>\n", x1 + 12, y0 + 10 + 20 * (j - 1), x1 + 32, y0 + 10 + 20 * (j - 1), color(c), x1 + 38, y0 + 14 + 20 * (j - 1), esc(c) > f
    }
    printf "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#6b7280\">points: median; whiskers: min to max</text>\n", x0, H - 8 > f
    svg_close(f)
}
