using System.Globalization;
using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>The functions a Docker format can call: docker/cli's (json, split, join, title,
/// lower, upper, pad, truncate) and Go's builtins (and, or, not, len, index, eq, ne, lt, le, gt,
/// ge, print, printf, println). In header mode (table headers) docker/cli's string functions
/// return their first argument unchanged, so <c>{{upper .Names}}</c> heads its column "NAMES".</summary>
internal static class TemplateFunctions
{
    private static readonly HashSet<string> Names =
    [
        "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
        "and", "or", "not", "len", "index", "eq", "ne", "lt", "le", "gt", "ge", "print", "printf", "println",
    ];

    private static readonly HashSet<string> HeaderIdentity = ["json", "split", "join", "title", "lower", "upper", "truncate"];

    public static bool Exists(string name) => Names.Contains(name);

    /// <exception cref="ArgumentException">A call error; the message is Go's.</exception>
    public static TemplateValue Call(string name, IReadOnlyList<TemplateValue> a, bool header)
    {
        if (header && HeaderIdentity.Contains(name))
        {
            Arity(name, a, name is "json" or "title" or "lower" or "upper" ? 1 : 2);
            return TemplateValue.Of(Str(a[0]));
        }
        switch (name)
        {
            case "json":
                Arity(name, a, 1);
                return TemplateValue.Of(a[0].ToJson());
            case "split":
                Arity(name, a, 2);
                var sep = Str(a[1]);
                var parts = sep.Length == 0
                    ? Str(a[0]).EnumerateRunes().Select(r => r.ToString()).ToArray()
                    : Str(a[0]).Split(sep);
                return TemplateValue.Of(parts.Select(TemplateValue.Of).ToList());
            case "join":
                Arity(name, a, 2);
                return TemplateValue.Of(string.Join(Str(a[1]), Strings(a[0])));
            case "title":
                Arity(name, a, 1);
                return TemplateValue.Of(Title(Str(a[0])));
            case "lower":
                Arity(name, a, 1);
                return TemplateValue.Of(Str(a[0]).ToLowerInvariant());
            case "upper":
                Arity(name, a, 1);
                return TemplateValue.Of(Str(a[0]).ToUpperInvariant());
            case "pad":
                Arity(name, a, 3);
                var src = Str(a[0]);
                return TemplateValue.Of(src.Length == 0 ? src : new string(' ', Math.Max(0, Int(a[1]))) + src + new string(' ', Math.Max(0, Int(a[2]))));
            case "truncate":
                Arity(name, a, 2);
                var s = Str(a[0]);
                var n = Int(a[1]);
                return TemplateValue.Of(s.Length < n ? s : s[..Math.Max(0, n)]);
            case "not":
                Arity(name, a, 1);
                return TemplateValue.Of(!a[0].IsTrue);
            case "len":
                Arity(name, a, 1);
                return TemplateValue.Of(Len(a[0]));
            case "index":
                if (a.Count < 1) throw new ArgumentException("wrong number of args for index: want at least 1 got 0");
                return Index(a);
            case "eq" or "ne" or "lt" or "le" or "gt" or "ge":
                return TemplateValue.Of(TemplateCompare.Evaluate(name, a));
            case "print":
                return TemplateValue.Of(Sprint(a));
            case "println":
                return TemplateValue.Of(string.Join(" ", a.Select(v => v.ToString())) + "\n");
            case "printf":
                if (a.Count < 1) throw new ArgumentException("wrong number of args for printf: want at least 1 got 0");
                return TemplateValue.Of(GoPrintf.Format(Str(a[0]), a.Skip(1).ToList()));
        }
        throw new ArgumentException($"function {GoText.Quote(name)} not defined");
    }

    private static void Arity(string name, IReadOnlyList<TemplateValue> a, int want)
    {
        if (a.Count != want) throw new ArgumentException($"wrong number of args for {name}: want {want} got {a.Count}");
    }

    private static string Str(TemplateValue v) => v.Kind == ValueKind.String
        ? v.Str
        : throw new ArgumentException($"wrong type for value; expected string; got {v.TypeName}");

    private static int Int(TemplateValue v) => v is { Kind: ValueKind.Number, Int: { } i }
        ? (int)Math.Clamp(i, int.MinValue, int.MaxValue)
        : throw new ArgumentException($"wrong type for value; expected int; got {v.TypeName}");

    private static IEnumerable<string> Strings(TemplateValue v)
    {
        var items = v.Kind switch
        {
            ValueKind.List => v.List,
            ValueKind.Array => v.Json.EnumerateArray().Select(TemplateValue.Of).ToList(),
            _ => throw new ArgumentException($"wrong type for value; expected []string; got {v.TypeName}"),
        };
        return items.Select(i => i.Kind == ValueKind.String
            ? i.Str
            : throw new ArgumentException($"wrong type for value; expected []string; got {v.TypeName}"));
    }

    /// <summary>strings.Title: the first letter of each word upper-cased.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevLetter = false;
        foreach (var c in s)
        {
            sb.Append(prevLetter ? c : char.ToUpperInvariant(c));
            prevLetter = char.IsLetterOrDigit(c) || c == '_' || c == '\'';
        }
        return sb.ToString();
    }

    private static long Len(TemplateValue v) => v.Kind switch
    {
        ValueKind.String => Encoding.UTF8.GetByteCount(v.Str),
        ValueKind.Array => v.Json.GetArrayLength(),
        ValueKind.Object => v.Json.EnumerateObject().Count(),
        ValueKind.List => v.List.Count,
        _ => throw new ArgumentException($"error calling len: len of type {v.TypeName}"),
    };

    private static TemplateValue Index(IReadOnlyList<TemplateValue> a)
    {
        var item = a[0];
        foreach (var key in a.Skip(1))
        {
            switch (item.Kind)
            {
                case ValueKind.Object:
                    if (key.Kind != ValueKind.String)
                        throw new ArgumentException($"error calling index: value has type {key.TypeName}; should be string");
                    item = item.Json.TryGetProperty(key.Str, out var p) ? TemplateValue.Of(p) : TemplateValue.Nil;
                    break;
                case ValueKind.Array or ValueKind.List:
                    if (key is not { Kind: ValueKind.Number, Int: { } i })
                        throw new ArgumentException($"error calling index: cannot index slice/array with type {key.TypeName}");
                    var count = item.Kind == ValueKind.Array ? item.Json.GetArrayLength() : item.List.Count;
                    if (i < 0 || i >= count)
                        throw new ArgumentException($"error calling index: index out of range: {i}");
                    item = item.Kind == ValueKind.Array ? TemplateValue.Of(item.Json[(int)i]) : item.List[(int)i];
                    break;
                case ValueKind.Missing or ValueKind.Nil:
                    throw new ArgumentException("error calling index: index of untyped nil");
                default:
                    throw new ArgumentException($"error calling index: can't index item of type {item.TypeName}");
            }
        }
        return item;
    }

    /// <summary>fmt.Sprint: spaces between operands when neither is a string.</summary>
    private static string Sprint(IReadOnlyList<TemplateValue> a)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < a.Count; i++)
        {
            if (i > 0 && a[i].Kind != ValueKind.String && a[i - 1].Kind != ValueKind.String) sb.Append(' ');
            sb.Append(a[i].ToString());
        }
        return sb.ToString();
    }
}
