using System.Text.Json;
using System.Text.Json.Serialization;
using Gocker.Core.Containers;

namespace Gocker.Core.Volumes;

/// <summary>What `volume inspect` shows of a volume, kept in &lt;root&gt;/volumes/NAME/volume.json.</summary>
public sealed class VolumeInfo
{
    public required string Name { get; init; }

    /// <summary>RFC 3339, whole seconds, UTC (the local driver's format).</summary>
    public required string CreatedAt { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>Driver options: {} for `volume create`, null for volumes made by run (as Docker shows them).</summary>
    public Dictionary<string, string>? Options { get; init; }

    /// <summary>Docker's label on volumes that -v PATH or an anonymous --mount created (Docker 23+):
    /// `volume prune` removes only those unless --all.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    [JsonIgnore]
    public bool Anonymous => Labels?.ContainsKey(AnonymousLabel) == true;
}

/// <summary>Named volumes: &lt;root&gt;/volumes/NAME/{volume.json,_data}. A volume appears whole or not
/// at all: it is built in a staging directory (its data included, when the image's content is
/// copied in) and renamed into place; removal renames it away first. Callers hold <see cref="Lock"/>
/// around every change and around any check of which containers use a volume.</summary>
public sealed class VolumeStore(string dir)
{
    private const string StagingPrefix = ".staging-", RemovingPrefix = ".removing-";
    private const UnixFileMode PrivateDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    // The data directory is what containers see: 0755 like Docker's, unless the copy-up gives it the
    // image directory's owner and mode.
    private const UnixFileMode DataDirMode = PrivateDir | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public string Dir { get; } = dir;

    public string DataDir(string name) => $"{Dir}/{name}/_data";

    /// <summary>The store's lock; leftovers of an interrupted create or remove are cleared under it.</summary>
    public FileLock Lock()
    {
        Directory.CreateDirectory(Dir, PrivateDir);
        var l = FileLock.Exclusive($"{Dir}/.lock");
        foreach (var leftover in Directory.EnumerateDirectories(Dir, ".*-*"))
        {
            var name = Path.GetFileName(leftover);
            if (name.StartsWith(StagingPrefix, StringComparison.Ordinal) || name.StartsWith(RemovingPrefix, StringComparison.Ordinal))
                TryDelete(leftover);
        }
        return l;
    }

    public VolumeInfo? TryGet(string name)
    {
        if (!VolumeNames.IsValid(name))
            return null;
        var file = $"{Dir}/{name}/volume.json";
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize(stream, VolumeJsonContext.Default.VolumeInfo);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new GockerException($"cannot read volume {name}: {e.Message}");
        }
    }

    public VolumeInfo Get(string name) =>
        TryGet(name) ?? throw new GockerException($"get {name}: no such volume", ExitCodes.CommandFailed);

    public List<VolumeInfo> List()
    {
        if (!Directory.Exists(Dir))
            return [];
        return Directory.EnumerateDirectories(Dir).Select(Path.GetFileName).OfType<string>()
            .Where(VolumeNames.IsValid).Select(TryGet).OfType<VolumeInfo>()
            .OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Creates the volume (under <see cref="Lock"/>). <paramref name="populate"/> fills the
    /// new, empty data directory before the volume becomes visible; if it throws, nothing is left.</summary>
    public VolumeInfo Create(string name, Dictionary<string, string>? labels, Action<string>? populate = null,
        Dictionary<string, string>? options = null)
    {
        VolumeNames.Validate(name);
        var staging = $"{Dir}/{StagingPrefix}{ContainerId.New()[..16]}";
        try
        {
            Directory.CreateDirectory(staging, PrivateDir);
            Directory.CreateDirectory($"{staging}/_data", DataDirMode);
            populate?.Invoke($"{staging}/_data");
            var info = new VolumeInfo
            {
                Name = name,
                CreatedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                Labels = labels is null ? null : new Dictionary<string, string>(labels),
                Options = options,
            };
            using (var stream = File.Create($"{staging}/volume.json"))
                JsonSerializer.Serialize(stream, info, VolumeJsonContext.Default.VolumeInfo);
            Directory.Move(staging, $"{Dir}/{name}");
            return info;
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>Fills an existing volume whose data directory is empty (under <see cref="Lock"/>; callers
    /// check no container uses it): the content is staged beside the data directory, and renamed over
    /// it, which rename(2) does atomically because the directory is empty. A failure leaves it empty.</summary>
    public void Populate(string name, Action<string> populate)
    {
        var staging = $"{Dir}/{name}/{StagingPrefix}{ContainerId.New()[..16]}";
        try
        {
            Directory.CreateDirectory(staging, DataDirMode);
            populate(staging);
            Interop.Libc.Check(Interop.Libc.Rename(staging, DataDir(name)), $"rename into {DataDir(name)}");
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>Removes the volume and its data (under <see cref="Lock"/>; callers check it is unused).</summary>
    public void Delete(string name)
    {
        var removing = $"{Dir}/{RemovingPrefix}{ContainerId.New()[..16]}";
        Directory.Move($"{Dir}/{name}", removing);
        TryDelete(removing);
    }

    /// <summary>Bytes of regular files in the volume's data.</summary>
    public long DiskUsage(string name)
    {
        var data = DataDir(name);
        if (!Directory.Exists(data))
            return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        return new DirectoryInfo(data).EnumerateFiles("*", options).Where(f => f.LinkTarget is null).Sum(f => f.Length);
    }

    public bool IsEmpty(string name) => !Directory.EnumerateFileSystemEntries(DataDir(name)).Any();

    private static void TryDelete(string path) => Images.StoreFiles.TryDeleteDirectory(path);
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(VolumeInfo))]
internal sealed partial class VolumeJsonContext : JsonSerializerContext;
