namespace Gocker.Core.Formatting;

/// <summary>Go's template comparison functions eq, ne, lt, le, gt, ge on basic values.</summary>
internal static class TemplateCompare
{
    public static bool Evaluate(string name, IReadOnlyList<TemplateValue> a)
    {
        if (name == "eq")
        {
            if (a.Count < 2) throw new ArgumentException("error calling eq: missing argument for comparison");
            for (var i = 1; i < a.Count; i++)
                if (Equal(a[0], a[i])) return true;
            return false;
        }
        if (a.Count != 2) throw new ArgumentException($"wrong number of args for {name}: want 2 got {a.Count}");
        if (name == "ne") return !Equal(a[0], a[1]);
        var c = Order(name, a[0], a[1]);
        return name switch
        {
            "lt" => c < 0,
            "le" => c <= 0,
            "gt" => c > 0,
            _ => c >= 0,
        };
    }

    private static bool IsNil(TemplateValue v) => v.Kind is ValueKind.Nil or ValueKind.Missing;

    private static bool Equal(TemplateValue x, TemplateValue y)
    {
        if (IsNil(x) || IsNil(y)) return IsNil(x) && IsNil(y);
        if (x.Kind != y.Kind) throw new ArgumentException("error calling eq: incompatible types for comparison");
        return x.Kind switch
        {
            ValueKind.String => x.Str == y.Str,
            ValueKind.Bool => x.Bool == y.Bool,
            ValueKind.Number => x.Int is { } xi && y.Int is { } yi ? xi == yi : x.Float == y.Float,
            _ => throw new ArgumentException("error calling eq: invalid type for comparison"),
        };
    }

    private static int Order(string name, TemplateValue x, TemplateValue y)
    {
        if (x.Kind != y.Kind)
            throw new ArgumentException($"error calling {name}: incompatible types for comparison");
        return x.Kind switch
        {
            ValueKind.String => string.CompareOrdinal(x.Str, y.Str),
            ValueKind.Number => x.Int is { } xi && y.Int is { } yi ? xi.CompareTo(yi) : x.Float.CompareTo(y.Float),
            _ => throw new ArgumentException($"error calling {name}: invalid type for comparison"),
        };
    }
}
