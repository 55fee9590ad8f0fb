using System.Text.Json;
using System.Text.Json.Serialization;
using Gocker.Core.Containers;
using Gocker.Core.Formatting;

namespace Gocker.Core.Volumes;

/// <summary>The `volume` commands: create, ls, inspect, rm, prune. Errors are Docker's daemon texts
/// with exit code 1 (bad flags stay 125).</summary>
public sealed class VolumeService(GockerRoot root)
{
    private readonly ContainerVolumes _volumes = new(root);

    private VolumeStore Store => _volumes.Store;

    /// <summary>`volume create [NAME]`: an existing volume of that name is returned as is (Docker's
    /// create is idempotent); without a name, a random 64-hex one.</summary>
    public string Create(string? name, IReadOnlyList<string> labels)
    {
        name ??= ContainerId.New();
        Fail(() => VolumeNames.Validate(name));
        var labelMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in labels)
        {
            var (k, v) = l.IndexOf('=') is var eq and >= 0 ? (l[..eq], l[(eq + 1)..]) : (l, "");
            labelMap[k] = v;
        }
        root.EnsureCreated();
        using var _ = Store.Lock();
        if (Store.TryGet(name) is null)
            Store.Create(name, labelMap, populate: null, options: new());
        return name;
    }

    public List<VolumeInfo> List() => Store.List();

    /// <summary>`volume inspect`: Docker's JSON object.</summary>
    public JsonElement Inspect(string name)
    {
        var v = Store.TryGet(name) ?? throw new GockerException($"No such volume: {name}", ExitCodes.CommandFailed);
        return JsonSerializer.SerializeToElement(ToInspect(v), VolumeInspectJsonContext.Default.VolumeInspect);
    }

    public VolumeInspect ToInspect(VolumeInfo v) => new()
    {
        CreatedAt = v.CreatedAt,
        Labels = v.Labels,
        Mountpoint = Store.DataDir(v.Name),
        Name = v.Name,
        Options = v.Options,
    };

    /// <summary>`volume rm`: refused while any container (in any state) uses it; -f ignores a missing one.</summary>
    public void Remove(string name, bool force)
    {
        using var _ = Store.Lock();
        if (Store.TryGet(name) is null)
        {
            if (force)
                return;
            throw new GockerException($"get {name}: no such volume", ExitCodes.CommandFailed);
        }
        var users = _volumes.Users(name);
        if (users.Count > 0)
            throw new GockerException($"remove {name}: volume is in use - [{string.Join(' ', users)}]", ExitCodes.CommandFailed);
        Store.Delete(name);
    }

    /// <summary>`volume prune`: unused anonymous volumes (all unused ones with <paramref name="all"/>);
    /// returns their names and the bytes they held.</summary>
    public (List<string> Names, long Bytes) Prune(bool all)
    {
        var removed = new List<string>();
        long bytes = 0;
        if (!Directory.Exists(Store.Dir))
            return (removed, bytes);
        using var _ = Store.Lock();
        var used = UsedVolumes();
        foreach (var v in Store.List())
        {
            if ((!all && !v.Anonymous) || used.Contains(v.Name))
                continue;
            long size = Store.DiskUsage(v.Name);
            Store.Delete(v.Name);
            removed.Add(v.Name);
            bytes += size;
        }
        return (removed, bytes);
    }

    /// <summary>Every volume some container mounts (one pass over the configurations).</summary>
    private HashSet<string> UsedVolumes()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in _volumes.ContainerConfigs())
            used.UnionWith(config.Mounts.Where(m => m.Type == MountType.Volume).Select(m => m.Source!));
        return used;
    }

    /// <summary>A row of `volume ls` for --format (docker/cli's VolumeContext).</summary>
    public TemplateFields Row(VolumeInfo v)
    {
        var labels = v.Labels ?? [];
        var fields = new TemplateFields("*formatter.volumeContext")
            .Set("Name", v.Name)
            .Set("Driver", "local")
            .Set("Scope", "local")
            .Set("Mountpoint", Store.DataDir(v.Name))
            .Set("Labels", string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value).Order(StringComparer.Ordinal)))
            .Set("Links", "N/A")
            .Set("Size", "N/A");
        fields.Method("Label", 1, a => labels.TryGetValue(a[0], out var l) ? l : "");
        return fields;
    }

    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        ["Name"] = "VOLUME NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE", ["Mountpoint"] = "MOUNTPOINT",
        ["Labels"] = "LABELS", ["Links"] = "LINKS", ["Size"] = "SIZE",
    };

    private static void Fail(Action check)
    {
        try { check(); }
        catch (GockerException e) when (e.ExitCode == ExitCodes.GockerError)
        {
            throw new GockerException(e.Message, ExitCodes.CommandFailed);
        }
    }
}

/// <summary>`docker volume inspect`'s object (moby's volume.Volume), keys in Docker's order.</summary>
public sealed class VolumeInspect
{
    public string CreatedAt { get; set; } = "";
    public string Driver { get; set; } = "local";
    public Dictionary<string, string>? Labels { get; set; }
    public string Mountpoint { get; set; } = "";
    public string Name { get; set; } = "";
    public Dictionary<string, string>? Options { get; set; }
    public string Scope { get; set; } = "local";
}

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(VolumeInspect))]
internal sealed partial class VolumeInspectJsonContext : JsonSerializerContext;
