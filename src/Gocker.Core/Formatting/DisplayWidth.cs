using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>Terminal column widths of text, as go-runewidth and golang.org/x/text/width count them
/// for Docker's tables: East Asian wide and full-width characters take two columns, combining
/// marks and zero-width characters none, everything else one.</summary>
public static class DisplayWidth
{
    public static int Of(string s)
    {
        var width = 0;
        foreach (var r in s.EnumerateRunes()) width += Of(r);
        return width;
    }

    public static int Of(Rune r)
    {
        var v = r.Value;
        if (v == 0) return 0;
        if (v < 0x300) return 1; // fast path: ASCII and Latin
        var cat = Rune.GetUnicodeCategory(r);
        if (cat is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.EnclosingMark
            or System.Globalization.UnicodeCategory.Format) return 0;
        return IsWide(v) ? 2 : 1;
    }

    /// <summary>East Asian Wide (W) and Fullwidth (F) ranges, coarse-grained.</summary>
    private static bool IsWide(int v) =>
        (v >= 0x1100 && v <= 0x115F) ||
        (v >= 0x2E80 && v <= 0x303E) ||
        (v >= 0x3041 && v <= 0x33FF) ||
        (v >= 0x3400 && v <= 0x4DBF) ||
        (v >= 0x4E00 && v <= 0x9FFF) ||
        (v >= 0xA000 && v <= 0xA4CF) ||
        (v >= 0xAC00 && v <= 0xD7A3) ||
        (v >= 0xF900 && v <= 0xFAFF) ||
        (v >= 0xFE30 && v <= 0xFE4F) ||
        (v >= 0xFF00 && v <= 0xFF60) ||
        (v >= 0xFFE0 && v <= 0xFFE6) ||
        (v >= 0x1F300 && v <= 0x1F64F) ||
        (v >= 0x1F900 && v <= 0x1F9FF) ||
        (v >= 0x20000 && v <= 0x2FFFD) ||
        (v >= 0x30000 && v <= 0x3FFFD);

    /// <summary>docker/cli's <c>formatter.Ellipsis</c>: cut <paramref name="s"/> to at most
    /// <paramref name="maxWidth"/> columns, ending in "…" when cut.</summary>
    public static string Ellipsis(string s, int maxWidth)
    {
        if (maxWidth <= 0) return "";
        var runes = s.EnumerateRunes().ToArray();
        if (runes.Length == 0) return "";
        if (maxWidth == 1) return runes[0].ToString();

        var total = 0;
        foreach (var r in runes) total += Of(r);
        if (total <= maxWidth) return s;

        var sb = new StringBuilder();
        var used = 0;
        foreach (var r in runes)
        {
            var w = Of(r);
            if (used + w > maxWidth - 1) break;
            sb.Append(r.ToString());
            used += w;
        }
        return sb.Append('…').ToString();
    }
}
