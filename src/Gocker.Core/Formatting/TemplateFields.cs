using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>An <see cref="ITemplateData"/> backed by an ordered set of string fields and optional
/// methods. Its JSON is an object of the fields with keys sorted, as Go marshals a
/// <c>map[string]any</c> (and, like Go's <c>json.Marshal</c>, with &lt; &gt; &amp; escaped).</summary>
public sealed class TemplateFields(string typeName = "map[string]string") : ITemplateData
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Arity, Func<IReadOnlyList<string>, string> Fn)> _methods =
        new(StringComparer.Ordinal);

    public string TypeName { get; } = typeName;

    /// <summary>When set, an unknown field yields this text instead of an error (Go's behaviour
    /// for a <c>map[string]string</c> dot, e.g. "&lt;no value&gt;" in table headers).</summary>
    public string? MissingFieldValue { get; init; }

    public IReadOnlyDictionary<string, string> Fields => _fields;

    public TemplateFields Set(string name, string value)
    {
        _fields[name] = value;
        return this;
    }

    /// <summary>Adds a method such as <c>{{.Label "com.example"}}</c> taking <paramref name="arity"/>
    /// string arguments.</summary>
    public TemplateFields Method(string name, int arity, Func<IReadOnlyList<string>, string> fn)
    {
        _methods[name] = (arity, fn);
        return this;
    }

    public bool TryGetField(string name, out string value)
    {
        if (_fields.TryGetValue(name, out value!)) return true;
        if (_methods.TryGetValue(name, out var m))
            throw new ArgumentException($"wrong number of args for {name}: want {m.Arity} got 0");
        if (MissingFieldValue is not null)
        {
            value = MissingFieldValue;
            return true;
        }
        value = "";
        return false;
    }

    public bool TryCallMethod(string name, IReadOnlyList<string> args, out string value)
    {
        value = "";
        if (!_methods.TryGetValue(name, out var m))
        {
            if (_fields.ContainsKey(name))
                throw new ArgumentException($"wrong number of args for {name}: want 0 got {args.Count}");
            return false;
        }
        if (args.Count != m.Arity)
            throw new ArgumentException($"wrong number of args for {name}: want {m.Arity} got {args.Count}");
        value = m.Fn(args);
        return true;
    }

    public string ToJson()
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var key in _fields.Keys.Order(StringComparer.Ordinal))
        {
            if (!first) sb.Append(',');
            first = false;
            GoJson.AppendString(sb, key, escapeHtml: true);
            sb.Append(':');
            GoJson.AppendString(sb, _fields[key], escapeHtml: true);
        }
        return sb.Append('}').ToString();
    }
}
