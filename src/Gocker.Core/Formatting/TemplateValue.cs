using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gocker.Core.Formatting;

internal enum ValueKind { Missing, Nil, String, Bool, Number, Object, Array, List, Data }

/// <summary>A value during template execution: Go's reflect.Value, reduced to what JSON documents,
/// <see cref="ITemplateData"/> rows and template literals can produce.</summary>
internal sealed class TemplateValue
{
    public static readonly TemplateValue Missing = new(ValueKind.Missing);
    public static readonly TemplateValue Nil = new(ValueKind.Nil);
    public static readonly TemplateValue True = new(ValueKind.Bool) { Bool = true };
    public static readonly TemplateValue False = new(ValueKind.Bool);

    private TemplateValue(ValueKind kind) => Kind = kind;

    public ValueKind Kind { get; }
    public string Str { get; private init; } = "";
    public bool Bool { get; private init; }
    public long? Int { get; private init; }
    public double Float { get; private init; }
    /// <summary>Numbers from JSON print as written (Go decodes with UseNumber); literals as Go would.</summary>
    public bool FromJson { get; private init; }
    public JsonElement Json { get; private init; }
    public IReadOnlyList<TemplateValue> List { get; private init; } = [];
    public ITemplateData? Data { get; private init; }

    public static TemplateValue Of(string s) => new(ValueKind.String) { Str = s };
    public static TemplateValue Of(bool b) => b ? True : False;
    public static TemplateValue Of(long i) => new(ValueKind.Number) { Int = i, Float = i, Str = i.ToString(CultureInfo.InvariantCulture) };
    public static TemplateValue Number(long? i, double f, string text) =>
        new(ValueKind.Number) { Int = i, Float = f, Str = text };
    public static TemplateValue Of(IReadOnlyList<TemplateValue> list) => new(ValueKind.List) { List = list };
    public static TemplateValue Of(ITemplateData data) => new(ValueKind.Data) { Data = data };

    public static TemplateValue Of(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object: return new(ValueKind.Object) { Json = e };
            case JsonValueKind.Array: return new(ValueKind.Array) { Json = e };
            case JsonValueKind.String: return Of(e.GetString()!);
            case JsonValueKind.True: return True;
            case JsonValueKind.False: return False;
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                long? i = e.TryGetInt64(out var l) ? l : null;
                return new(ValueKind.Number) { Int = i, Float = e.GetDouble(), Str = raw, FromJson = true };
            default: return Nil;
        }
    }

    /// <summary>The Go type named in error messages.</summary>
    public string TypeName => Kind switch
    {
        ValueKind.String => "string",
        ValueKind.Bool => "bool",
        ValueKind.Number => FromJson ? "json.Number" : Int is null ? "float64" : "int",
        ValueKind.Object => "map[string]interface {}",
        ValueKind.Array => "[]interface {}",
        ValueKind.List => "[]string",
        ValueKind.Data => Data!.TypeName,
        ValueKind.Nil => "<nil>",
        _ => "<no value>",
    };

    /// <summary>Go's <c>isTrue</c>: the zero value of its type is false.</summary>
    public bool IsTrue => Kind switch
    {
        ValueKind.String => Str.Length > 0,
        ValueKind.Bool => Bool,
        ValueKind.Number => Float != 0,
        ValueKind.Object => Json.EnumerateObject().Any(),
        ValueKind.Array => Json.GetArrayLength() > 0,
        ValueKind.List => List.Count > 0,
        ValueKind.Data => true,
        _ => false,
    };

    /// <summary><c>fmt.Sprint</c> of the value, as a template prints it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Print(sb, this);
        return sb.ToString();
    }

    private static void Print(StringBuilder sb, TemplateValue v)
    {
        switch (v.Kind)
        {
            case ValueKind.Missing: sb.Append("<no value>"); return;
            case ValueKind.Nil: sb.Append("<nil>"); return;
            case ValueKind.String: sb.Append(v.Str); return;
            case ValueKind.Bool: sb.Append(v.Bool ? "true" : "false"); return;
            case ValueKind.Number: sb.Append(v.FromJson || v.Int is not null ? v.Str : GoFloat(v.Float)); return;
            case ValueKind.Data: sb.Append(v.Data!.ToJson()); return;
            case ValueKind.List:
                sb.Append('[');
                for (var i = 0; i < v.List.Count; i++)
                {
                    if (i > 0) sb.Append(' ');
                    Print(sb, v.List[i]);
                }
                sb.Append(']');
                return;
            case ValueKind.Array:
                sb.Append('[');
                var first = true;
                foreach (var e in v.Json.EnumerateArray())
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    Print(sb, Of(e));
                }
                sb.Append(']');
                return;
            case ValueKind.Object:
                // fmt prints maps with sorted keys.
                sb.Append("map[");
                var firstKey = true;
                foreach (var p in v.Json.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!firstKey) sb.Append(' ');
                    firstKey = false;
                    sb.Append(p.Name).Append(':');
                    Print(sb, Of(p.Value));
                }
                sb.Append(']');
                return;
        }
    }

    /// <summary>Go's <c>%v</c> for a float64: shortest representation, exponent form below 1e-4
    /// or from 1e21 on (approximated for float literals, which Docker formats rarely use).</summary>
    public static string GoFloat(double f)
    {
        if (double.IsPositiveInfinity(f)) return "+Inf";
        if (double.IsNegativeInfinity(f)) return "-Inf";
        if (double.IsNaN(f)) return "NaN";
        var exp = f == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(f)));
        if (exp >= -4 && exp < 21) return f.ToString("0.#################", CultureInfo.InvariantCulture);
        var r = f.ToString("0.################e+00", CultureInfo.InvariantCulture);
        return r;
    }

    /// <summary>The value as JSON text, for the <c>json</c> function.</summary>
    public string ToJson() => Kind switch
    {
        ValueKind.String => GoJson.Quote(Str),
        ValueKind.Bool => Bool ? "true" : "false",
        ValueKind.Number => FromJson || Int is not null ? Str : GoFloat(Float),
        ValueKind.Object or ValueKind.Array => GoJson.Compact(Json),
        ValueKind.Data => Data!.ToJson(),
        ValueKind.List => "[" + string.Join(",", List.Select(v => v.ToJson())) + "]",
        _ => "null",
    };
}
