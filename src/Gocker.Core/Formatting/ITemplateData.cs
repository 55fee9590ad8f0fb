namespace Gocker.Core.Formatting;

/// <summary>A Go-template dot made of named string fields, like docker/cli's formatter contexts
/// (<c>{{.ID}}</c>, <c>{{.Names}}</c>, <c>{{.Label "k"}}</c>, <c>{{json .}}</c>).</summary>
public interface ITemplateData
{
    /// <summary>The Go type name shown in errors, e.g. <c>*formatter.ContainerContext</c>.</summary>
    string TypeName { get; }

    /// <summary>A field without arguments; false when there is no such field.</summary>
    bool TryGetField(string name, out string value);

    /// <summary>A method with string arguments (e.g. <c>Label</c>); false when there is no such
    /// method. Throw <see cref="ArgumentException"/> for a wrong argument count; its message is
    /// shown as the template error.</summary>
    bool TryCallMethod(string name, IReadOnlyList<string> args, out string value)
    {
        value = "";
        return false;
    }

    /// <summary>Compact JSON for <c>{{json .}}</c>.</summary>
    string ToJson();
}
