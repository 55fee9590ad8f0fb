using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gocker.Core.Formatting;

/// <summary>JSON text as Go's encoding/json writes it: strings escaped like Go (lower-case
/// <c>\u00xx</c>, optional HTML escaping of &lt; &gt; &amp;), numbers verbatim, and
/// <c>json.MarshalIndent</c>'s layout for indented output.</summary>
public static class GoJson
{
    private const string Hex = "0123456789abcdef";

    public static void AppendString(StringBuilder sb, string s, bool escapeHtml)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\u2028': sb.Append("\\u2028"); continue;
                case '\u2029': sb.Append("\\u2029"); continue;
            }
            if (c < 0x20 || (escapeHtml && c is '<' or '>' or '&'))
            {
                sb.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                continue;
            }
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    sb.Append(c).Append(s[++i]);
                    continue;
                }
                sb.Append("\\ufffd"); // Go replaces invalid UTF-8 with U+FFFD
                continue;
            }
            sb.Append(c);
        }
        sb.Append('"');
    }

    public static string Quote(string s, bool escapeHtml = false)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendString(sb, s, escapeHtml);
        return sb.ToString();
    }

    /// <summary>Compact JSON, as the <c>{{json}}</c> template function prints it.</summary>
    public static string Compact(JsonElement e, bool escapeHtml = false)
    {
        var sb = new StringBuilder();
        Write(sb, e, escapeHtml, indent: null, depth: 0);
        return sb.ToString();
    }

    /// <summary><c>json.MarshalIndent(v, "", indent)</c>; empty objects and arrays stay <c>{}</c>/<c>[]</c>.</summary>
    public static string Indented(JsonElement e, string indent = "    ", bool escapeHtml = true)
    {
        var sb = new StringBuilder();
        Write(sb, e, escapeHtml, indent, 0);
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string? indent, int depth)
    {
        if (indent is null) return;
        sb.Append('\n');
        for (var i = 0; i < depth; i++) sb.Append(indent);
    }

    private static void Write(StringBuilder sb, JsonElement e, bool escapeHtml, string? indent, int depth)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                if (!e.EnumerateObject().Any())
                {
                    sb.Append("{}");
                    return;
                }
                sb.Append('{');
                var firstProp = true;
                foreach (var p in e.EnumerateObject())
                {
                    if (!firstProp) sb.Append(',');
                    firstProp = false;
                    NewLine(sb, indent, depth + 1);
                    AppendString(sb, p.Name, escapeHtml);
                    sb.Append(indent is null ? ":" : ": ");
                    Write(sb, p.Value, escapeHtml, indent, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append('}');
                return;
            case JsonValueKind.Array:
                if (e.GetArrayLength() == 0)
                {
                    sb.Append("[]");
                    return;
                }
                sb.Append('[');
                var firstItem = true;
                foreach (var item in e.EnumerateArray())
                {
                    if (!firstItem) sb.Append(',');
                    firstItem = false;
                    NewLine(sb, indent, depth + 1);
                    Write(sb, item, escapeHtml, indent, depth + 1);
                }
                NewLine(sb, indent, depth);
                sb.Append(']');
                return;
            case JsonValueKind.String:
                AppendString(sb, e.GetString()!, escapeHtml);
                return;
            case JsonValueKind.Number:
                sb.Append(e.GetRawText());
                return;
            case JsonValueKind.True:
                sb.Append("true");
                return;
            case JsonValueKind.False:
                sb.Append("false");
                return;
            default:
                sb.Append("null");
                return;
        }
    }

    /// <summary>A JSON number for a value computed in a template (e.g. <c>{{json (len .X)}}</c>).</summary>
    public static string Number(long v) => v.ToString(CultureInfo.InvariantCulture);
}
