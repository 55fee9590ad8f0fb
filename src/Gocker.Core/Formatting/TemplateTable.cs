using System.Text;

namespace Gocker.Core.Formatting;

/// <summary>docker/cli's <c>Context.Write</c>: one template execution per row, each followed by
/// a newline; for "table" formats a header row first (the template executed against the column
/// titles) and the whole aligned by <see cref="TabWriter"/> (minwidth 10, padding 3).</summary>
public static class TemplateTable
{
    /// <param name="format">The raw <c>--format</c> value (see <see cref="TemplateFormat.Prepare"/>).</param>
    /// <param name="headers">Field name → column title, e.g. ID → "CONTAINER ID".</param>
    /// <exception cref="GockerException">A template error (exit 125).</exception>
    public static string Render(string format, IReadOnlyDictionary<string, string> headers, IEnumerable<ITemplateData> rows)
    {
        var prepared = TemplateFormat.Prepare(format);
        var template = GoTemplate.Parse(prepared.Text);
        var body = new StringBuilder();
        foreach (var row in rows) body.Append(template.Execute(row)).Append('\n');
        if (!prepared.IsTable) return body.ToString();

        var headerData = new TemplateFields { MissingFieldValue = "<no value>" };
        foreach (var (k, v) in headers) headerData.Set(k, v);
        // docker/cli's SubHeaderContext.Label: the last dotted part, '-' and '_' as spaces.
        headerData.Method("Label", 1, a => a[0].Split('.')[^1].Replace('-', ' ').Replace('_', ' '));
        var text = template.ExecuteHeader(headerData) + "\n" + body;
        return TabWriter.Format(text);
    }

    public static void Write(TextWriter output, string format, IReadOnlyDictionary<string, string> headers,
        IEnumerable<ITemplateData> rows) => output.Write(Render(format, headers, rows));
}
