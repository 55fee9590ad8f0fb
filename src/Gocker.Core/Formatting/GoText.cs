using System.Globalization;
using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>Go's string quoting (<c>strconv.Quote</c> / <c>strconv.Unquote</c>), which Docker
/// uses for the COMMAND column and Go templates use for string literals and error messages.</summary>
public static class GoText
{
    /// <summary><c>strconv.Quote</c>: double quotes, Go escapes for \ " and control characters,
    /// \u/\U escapes for non-printable characters; printable Unicode is kept as is.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var r in s.EnumerateRunes())
        {
            var v = r.Value;
            switch (v)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }
            if (IsPrint(r)) sb.Append(r.ToString());
            else if (v < 0x20 || v == 0x7f) sb.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture));
            else if (v < 0x10000) sb.Append("\\u").Append(v.ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append("\\U").Append(v.ToString("x8", CultureInfo.InvariantCulture));
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and
    /// the ASCII space.</summary>
    private static bool IsPrint(Rune r)
    {
        if (r.Value == ' ') return true;
        switch (Rune.GetUnicodeCategory(r))
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
            case UnicodeCategory.SpaceSeparator:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
                return false;
            default:
                return true;
        }
    }

    /// <summary><c>strconv.Unquote</c> for "double-quoted" and `raw` literals; false on bad syntax.</summary>
    public static bool TryUnquote(string literal, out string value)
    {
        value = "";
        if (literal.Length < 2) return false;
        if (literal[0] == '`')
        {
            if (literal[^1] != '`') return false;
            value = literal[1..^1].Replace("\r", "");
            return true;
        }
        if (literal[0] != '"' || literal[^1] != '"') return false;
        var sb = new StringBuilder();
        var s = literal[1..^1];
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '"' || c == '\n') return false;
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= s.Length) return false;
            switch (s[i])
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'x': if (!Hex(s, ref i, 2, sb)) return false; break;
                case 'u': if (!Hex(s, ref i, 4, sb)) return false; break;
                case 'U': if (!Hex(s, ref i, 8, sb)) return false; break;
                case >= '0' and <= '7':
                    if (i + 2 >= s.Length) return false;
                    var oct = s.Substring(i, 3);
                    try { sb.Append((char)Convert.ToInt32(oct, 8)); }
                    catch (FormatException) { return false; }
                    i += 2;
                    break;
                default: return false;
            }
        }
        value = sb.ToString();
        return true;
    }

    private static bool Hex(string s, ref int i, int digits, StringBuilder sb)
    {
        if (i + digits >= s.Length) return false;
        if (!int.TryParse(s.AsSpan(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
            return false;
        if (!Rune.IsValid(v)) return false;
        sb.Append(new Rune(v).ToString());
        i += digits;
        return true;
    }
}
