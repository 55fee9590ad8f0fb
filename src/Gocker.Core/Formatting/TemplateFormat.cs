namespace Gocker.Core.Formatting;

/// <summary>docker/cli's handling of <c>--format</c> before parsing.</summary>
public static class TemplateFormat
{
    public const string TableKey = "table";
    public const string JsonKey = "json";
    public const string JsonFormat = "{{json .}}";

    /// <summary>"table ..." drops the keyword and sets <see cref="PreparedFormat.IsTable"/>;
    /// "json" becomes <c>{{json .}}</c>; spaces around the format are trimmed; and the two-character
    /// sequences <c>\t</c> and <c>\n</c> typed on a command line become a tab and a newline.</summary>
    public static PreparedFormat Prepare(string format)
    {
        var isTable = format.StartsWith(TableKey, StringComparison.Ordinal);
        var text = isTable ? format[TableKey.Length..] : format == JsonKey ? JsonFormat : format;
        text = text.Trim(' ').Replace("\\t", "\t").Replace("\\n", "\n");
        return new PreparedFormat(text, isTable);
    }
}
