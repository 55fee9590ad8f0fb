namespace Gocker.Core.Formatting;

/// <summary>One row of `docker images`: an image under one of its names ("&lt;none&gt;" when untagged).</summary>
public sealed record ImageView(string Id, string Repository, string Tag, DateTimeOffset Created, long Size);

/// <summary>One row of `docker history`: a history entry, newest first; the top one carries the image id.</summary>
public sealed record HistoryView(string? Id, DateTimeOffset Created, string CreatedBy, long Size, string Comment);

/// <summary>`docker images` and `docker history` output (docker/cli's ImageContext and HistoryContext).</summary>
public static class ImagesTable
{
    public const string DefaultFormat = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public const string HistoryFormat = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "IMAGE ID", ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["Size"] = "SIZE", ["Containers"] = "CONTAINERS",
        ["VirtualSize"] = "SIZE", ["SharedSize"] = "SHARED SIZE", ["UniqueSize"] = "UNIQUE SIZE",
    };

    public static readonly IReadOnlyDictionary<string, string> HistoryHeaders = new Dictionary<string, string>
    {
        ["ID"] = "IMAGE", ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["CreatedBy"] = "CREATED BY",
        ["Size"] = "SIZE", ["Comment"] = "COMMENT",
    };

    public static string Render(IEnumerable<ImageView> images, DateTimeOffset now, string? format, bool quiet, bool noTrunc, TimeZoneInfo? zone = null)
    {
        var template = format is null or "" or TemplateFormat.TableKey ? (quiet ? "{{.ID}}" : DefaultFormat) : quiet ? "{{.ID}}" : format;
        var rows = images.Select(i => (ITemplateData)new TemplateFields("*formatter.ImageContext")
            .Set("ID", noTrunc ? i.Id : PsFields.TruncateId(i.Id))
            .Set("Repository", i.Repository)
            .Set("Tag", i.Tag)
            .Set("Digest", "<none>")
            .Set("CreatedSince", Since(i.Created, now))
            .Set("CreatedAt", GoTime.String(DateTimeOffset.FromUnixTimeSeconds(i.Created.ToUnixTimeSeconds()), zone ?? TimeZoneInfo.Local))
            .Set("Size", PsFields.HumanSize(i.Size))
            .Set("VirtualSize", PsFields.HumanSize(i.Size))
            .Set("Containers", "N/A")
            .Set("SharedSize", "N/A")
            .Set("UniqueSize", "N/A"));
        return TemplateTable.Render(template, Headers, rows);
    }

    /// <param name="human">-H (the default): "2 hours ago" and "1.98MB"; -H=false: the creation time as
    /// RFC 3339 and the size in bytes, as docker/cli's historyContext.</param>
    public static string RenderHistory(IEnumerable<HistoryView> history, DateTimeOffset now, string? format, bool quiet, bool noTrunc,
        TimeZoneInfo? zone = null, bool human = true)
    {
        var template = quiet ? "{{.ID}}" : format is null or "" or TemplateFormat.TableKey ? HistoryFormat : format;
        var rows = history.Select(h =>
        {
            var createdBy = h.CreatedBy.Replace('\t', ' ');
            return (ITemplateData)new TemplateFields("*formatter.historyContext")
                .Set("ID", h.Id is null ? "<missing>" : noTrunc ? h.Id : PsFields.TruncateId(h.Id))
                .Set("CreatedSince", human ? Since(h.Created, now) : Rfc3339(h.Created, zone ?? TimeZoneInfo.Local))
                .Set("CreatedAt", GoTime.String(DateTimeOffset.FromUnixTimeSeconds(h.Created.ToUnixTimeSeconds()), zone ?? TimeZoneInfo.Local))
                .Set("CreatedBy", noTrunc ? createdBy : DisplayWidth.Ellipsis(createdBy, 45))
                .Set("Size", human ? PsFields.HumanSize(h.Size) : h.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("Comment", h.Comment);
        });
        return TemplateTable.Render(template, HistoryHeaders, rows);
    }

    /// <summary>Go's time.RFC3339 in the given zone: "2026-11-29T21:55:01Z" or "...+01:00".</summary>
    private static string Rfc3339(DateTimeOffset t, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds()), zone);
        var stamp = local.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        return local.Offset == TimeSpan.Zero ? stamp + "Z" : stamp + local.ToString("zzz", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Since(DateTimeOffset created, DateTimeOffset now) =>
        created <= DateTimeOffset.UnixEpoch ? "N/A" : HumanDuration.Format(now - created) + " ago";
}
