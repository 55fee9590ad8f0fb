namespace Gocker.Core.Formatting;

/// <summary>`docker ps` output: the default table, <c>-q</c>, <c>--format</c> templates.</summary>
public static class PsTable
{
    public const string DefaultTableFormat =
        "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public const string QuietFormat = "{{.ID}}";

    public const string RawFormat =
        "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\n" +
        "state: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\n" +
        "labels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";

    /// <summary>docker/cli's <c>NewContainerFormat</c>: which template a ps invocation uses.</summary>
    public static string ResolveFormat(string? format, bool quiet, bool size)
    {
        switch (format)
        {
            case null or "" or TemplateFormat.TableKey:
                if (quiet) return QuietFormat;
                return size ? DefaultTableFormat + "\t{{.Size}}" : DefaultTableFormat;
            case "raw":
                if (quiet) return "container_id: {{.ID}}";
                return size ? RawFormat + "size: {{.Size}}\n" : RawFormat;
            default:
                return quiet ? QuietFormat : format;
        }
    }

    /// <summary>The complete output, each line ending in '\n' (a table always has its header).</summary>
    /// <exception cref="GockerException">A bad <c>--format</c> (exit 125).</exception>
    public static string Render(IEnumerable<ContainerView> containers, DateTimeOffset now, PsOptions? options = null)
    {
        options ??= new PsOptions();
        var format = ResolveFormat(options.Format, options.Quiet, options.Size);
        var rows = containers.Select(c => (ITemplateData)PsFields.From(c, now, !options.NoTrunc, options.TimeZone));
        return TemplateTable.Render(format, PsFields.Headers, rows);
    }

    public static void Write(TextWriter output, IEnumerable<ContainerView> containers, DateTimeOffset now,
        PsOptions? options = null) => output.Write(Render(containers, now, options));
}
