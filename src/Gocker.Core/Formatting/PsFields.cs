using System.Globalization;

namespace Gocker.Core.Formatting;

/// <summary>The fields of a `docker ps` row (docker/cli's <c>ContainerContext</c>), as the
/// <c>--format</c> template sees them.</summary>
public static class PsFields
{
    public const string TypeName = "*formatter.ContainerContext";

    /// <summary>Field name → column title (docker/cli's header map for containers).</summary>
    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["ID"] = "CONTAINER ID",
        ["Names"] = "NAMES",
        ["Image"] = "IMAGE",
        ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED",
        ["Ports"] = "PORTS",
        ["State"] = "STATE",
        ["Status"] = "STATUS",
        ["Size"] = "SIZE",
        ["Labels"] = "LABELS",
        ["Mounts"] = "MOUNTS",
        ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Networks"] = "NETWORKS",
    };

    /// <param name="trunc">Docker's default; false for <c>--no-trunc</c>.</param>
    /// <param name="zone">Time zone for CreatedAt; the local zone when null.</param>
    public static TemplateFields From(ContainerView v, DateTimeOffset now, bool trunc = true, TimeZoneInfo? zone = null)
    {
        // The API reports Created in whole seconds; docker/cli computes from that.
        var created = DateTimeOffset.FromUnixTimeSeconds(v.Created.ToUnixTimeSeconds());
        var labels = v.Labels ?? new Dictionary<string, string>();
        var fields = new TemplateFields(TypeName)
            .Set("ID", trunc ? TruncateId(v.Id) : v.Id)
            .Set("Names", v.Name.TrimStart('/'))
            .Set("Image", Image(v.Image, trunc))
            .Set("Command", GoText.Quote(trunc ? DisplayWidth.Ellipsis(v.Command, 20) : v.Command))
            .Set("CreatedAt", GoTime.String(created, zone ?? TimeZoneInfo.Local))
            .Set("RunningFor", HumanDuration.Format(now - created) + " ago")
            .Set("Ports", v.Ports)
            .Set("State", ContainerStatus.StateText(v.State))
            .Set("Status", ContainerStatus.StatusText(v, now))
            .Set("Size", HumanSize(v.SizeRw ?? 0))
            .Set("Labels", string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value).Order(StringComparer.Ordinal)))
            .Set("Mounts", string.Join(",", (v.Mounts ?? []).Select(m => trunc ? DisplayWidth.Ellipsis(m, 15) : m)))
            .Set("LocalVolumes", "0")
            .Set("Networks", string.Join(",", v.Networks ?? []));
        fields.Method("Label", 1, a => labels.TryGetValue(a[0], out var l) ? l : "");
        return fields;
    }

    /// <summary>The COMMAND text as moby builds it from the process path and arguments: arguments
    /// containing a space are wrapped in single quotes (<c>sh -c 'echo hi'</c>).</summary>
    public static string CommandLine(string path, IReadOnlyList<string> args) =>
        args.Count == 0
            ? path
            : path + " " + string.Join(" ", args.Select(a => a.Contains(' ') ? "'" + a + "'" : a));

    /// <summary>docker/cli's <c>TruncateID</c>: drop an algorithm prefix ("sha256:"), keep 12 characters.</summary>
    public static string TruncateId(string id)
    {
        var colon = id.IndexOf(':');
        if (colon >= 0) id = id[(colon + 1)..];
        return id.Length > 12 ? id[..12] : id;
    }

    /// <summary>The IMAGE column: "&lt;no image&gt;" when empty; when truncating, an image id is
    /// shortened, a digest dropped and a "docker.io/library/" prefix removed.</summary>
    public static string Image(string image, bool trunc)
    {
        if (image.Length == 0) return "<no image>";
        if (!trunc) return image;
        if (image.StartsWith("sha256:", StringComparison.Ordinal)) return TruncateId(image);
        var at = image.IndexOf('@');
        if (at > 0) image = image[..at];
        if (image.StartsWith("docker.io/library/", StringComparison.Ordinal)) return image["docker.io/library/".Length..];
        if (image.StartsWith("docker.io/", StringComparison.Ordinal)) return image["docker.io/".Length..];
        return image;
    }

    /// <summary>go-units <c>HumanSizeWithPrecision(size, 3)</c>: decimal units, 3 significant digits.</summary>
    public static string HumanSize(double size)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        var i = 0;
        while (size >= 1000 && i < units.Length - 1)
        {
            size /= 1000;
            i++;
        }
        return size.ToString("G3", CultureInfo.InvariantCulture) + units[i];
    }
}
