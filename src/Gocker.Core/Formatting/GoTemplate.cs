using System.Text;
using System.Text.Json;

namespace Gocker.Core.Formatting;

/// <summary>A Go text/template as Docker's <c>--format</c> uses it, parsed once and executed
/// per row. Supports text, <c>{{.Field.Sub}}</c>, <c>{{json .}}</c>, pipelines, variables,
/// if/else/range/with, and docker/cli's functions. Errors are <see cref="GockerException"/>s
/// (exit 125) with Docker's one-line text, e.g.
/// <c>template parsing error: template: :1: unexpected "}" in operand</c>.</summary>
public sealed class GoTemplate
{
    private const string ErrorPrefix = "template parsing error: ";

    private readonly ListNode _root;

    private GoTemplate(string text, ListNode root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The template text as parsed (after any <see cref="TemplateFormat.Prepare"/>).</summary>
    public string Text { get; }

    /// <exception cref="GockerException">On a syntax error or an unknown function.</exception>
    public static GoTemplate Parse(string text)
    {
        try
        {
            return new GoTemplate(text, TemplateParser.Parse(text, TemplateFunctions.Exists));
        }
        catch (TemplateError e)
        {
            throw new GockerException(ErrorPrefix + e.Message);
        }
    }

    /// <summary>Executes against a row of named string fields (a `docker ps` row, say).</summary>
    /// <exception cref="GockerException">On an unknown field or a failed function call.</exception>
    public string Execute(ITemplateData data) => Run(TemplateValue.Of(data), header: false);

    /// <summary>Executes against a JSON document (a `docker inspect` object). Properties are
    /// looked up case-sensitively; a missing one is an error ("map has no entry for key").</summary>
    public string Execute(JsonElement data) => Run(TemplateValue.Of(data), header: false);

    public void Execute(ITemplateData data, TextWriter output) => output.Write(Execute(data));

    public void Execute(JsonElement data, TextWriter output) => output.Write(Execute(data));

    /// <summary>The header row of a table: executed against the column titles with docker/cli's
    /// header functions; as in Docker, an error just ends the header early.</summary>
    public string ExecuteHeader(ITemplateData headers)
    {
        var sb = new StringBuilder();
        try
        {
            new TemplateExecutor(Text, sb, header: true).Run(_root, TemplateValue.Of(headers));
        }
        catch (TemplateError)
        {
        }
        return sb.ToString();
    }

    private string Run(TemplateValue dot, bool header)
    {
        var sb = new StringBuilder();
        try
        {
            new TemplateExecutor(Text, sb, header).Run(_root, dot);
        }
        catch (TemplateError e)
        {
            throw new GockerException(ErrorPrefix + e.Message);
        }
        return sb.ToString();
    }
}
