using System.Globalization;
using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>A subset of Go's fmt.Sprintf for the <c>printf</c> template function: verbs
/// %v %s %d %q %t %x %f %%, flags '-' and '0', width and precision.</summary>
internal static class GoPrintf
{
    public static string Format(string format, IReadOnlyList<TemplateValue> args)
    {
        var sb = new StringBuilder();
        var argIndex = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            bool left = false, zero = false;
            for (; i < format.Length && format[i] is '-' or '0' or '+' or ' ' or '#'; i++)
            {
                if (format[i] == '-') left = true;
                if (format[i] == '0') zero = true;
            }
            var width = ReadInt(format, ref i);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadInt(format, ref i) ?? 0;
            }
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            var verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (argIndex >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var text = Verb(verb, args[argIndex++], precision);
            if (width is { } w && text.Length < w)
                text = left ? text.PadRight(w) : zero && verb is 'd' or 'f' or 'x' ? text.PadLeft(w, '0') : text.PadLeft(w);
            sb.Append(text);
        }
        if (argIndex < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.Append(string.Join(", ", args.Skip(argIndex).Select(a => a.TypeName + "=" + a)));
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static int? ReadInt(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        return i > start ? int.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private static string Verb(char verb, TemplateValue v, int? precision)
    {
        switch (verb)
        {
            case 'v':
                return v.ToString();
            case 's':
                var s = v.ToString();
                return precision is { } p && p < s.Length ? s[..p] : s;
            case 'q':
                return v.Kind == ValueKind.String ? GoText.Quote(v.Str) : Bad(verb, v);
            case 't':
                return v.Kind == ValueKind.Bool ? v.ToString() : Bad(verb, v);
            case 'd':
                return v is { Kind: ValueKind.Number, Int: { } i } ? i.ToString(CultureInfo.InvariantCulture) : Bad(verb, v);
            case 'x':
                if (v is { Kind: ValueKind.Number, Int: { } x }) return x.ToString("x", CultureInfo.InvariantCulture);
                return v.Kind == ValueKind.String ? Convert.ToHexStringLower(Encoding.UTF8.GetBytes(v.Str)) : Bad(verb, v);
            case 'f':
                return v.Kind == ValueKind.Number
                    ? v.Float.ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture)
                    : Bad(verb, v);
            default:
                return Bad(verb, v);
        }
    }

    private static string Bad(char verb, TemplateValue v) => $"%!{verb}({v.TypeName}={v})";
}
