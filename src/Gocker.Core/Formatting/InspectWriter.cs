using System.Text;
using System.Text.Json;

namespace Gocker.Core.Formatting;

/// <summary>`docker inspect` output: without <c>-f</c> an indented JSON array (4 spaces, as
/// docker/cli's <c>json.Indent</c>); with <c>-f</c> the template executed per object, each
/// followed by a newline.</summary>
public static class InspectWriter
{
    /// <summary>The object as a JSON document, for <see cref="GoTemplate.Execute(JsonElement)"/>.</summary>
    public static JsonElement ToJsonElement(ContainerInspect container) =>
        JsonSerializer.SerializeToElement(container, InspectJsonContext.Default.ContainerInspect);

    /// <summary>"[\n    {...}\n]\n", or "[]\n" for none.</summary>
    public static string ToJson(IEnumerable<ContainerInspect> containers) =>
        ToJson(containers.Select(ToJsonElement));

    /// <summary>Any JSON objects (images, say) as Docker prints inspect output.</summary>
    public static string ToJson(IEnumerable<JsonElement> objects)
    {
        var items = objects.ToList();
        if (items.Count == 0) return "[]\n";
        var sb = new StringBuilder("[");
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append("\n    ");
            // Indent the object one level deeper than the array.
            sb.Append(GoJson.Indented(items[i]).Replace("\n", "\n    "));
        }
        return sb.Append("\n]\n").ToString();
    }

    /// <summary>The whole output for <c>-f/--format</c> (null, "" or "json": the JSON array).</summary>
    /// <exception cref="GockerException">A template error (exit 125).</exception>
    public static string Render(IEnumerable<ContainerInspect> containers, string? format) =>
        Render(containers.Select(ToJsonElement), format);

    public static string Render(IEnumerable<JsonElement> objects, string? format)
    {
        if (string.IsNullOrEmpty(format) || format == TemplateFormat.JsonKey) return ToJson(objects);
        var template = GoTemplate.Parse(format);
        var sb = new StringBuilder();
        foreach (var o in objects) sb.Append(template.Execute(o)).Append('\n');
        return sb.ToString();
    }

    public static void Write(TextWriter output, IEnumerable<ContainerInspect> containers, string? format) =>
        output.Write(Render(containers, format));
}
