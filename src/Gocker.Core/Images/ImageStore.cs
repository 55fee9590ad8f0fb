using System.Text.Json;
using System.Text.Json.Serialization;
using Gocker.Core.Containers;

namespace Gocker.Core.Images;

/// <summary>
/// The image store under &lt;root&gt;/images:
/// <code>
/// .lock                      flock: writers exclusive; run/create shared while they resolve and record
/// repositories.json          tags: {"busybox:latest": "sha256:&lt;image id&gt;"}
/// configs/&lt;hex&gt;             image configs, their exact bytes (image id = sha256 of them)
/// layers/&lt;hex&gt;/diff/        a layer unpacked (hex = its diff id, the sha256 of the uncompressed tar)
/// layers/&lt;hex&gt;/blob         the layer as it came: the plain tar, or its original gzip (what `save` writes back)
/// layers/&lt;hex&gt;/info         sizes and the blob's digest
/// l/&lt;16 hex&gt;               symlink to ../layers/&lt;hex&gt;/diff: short overlay lowerdir names
/// .staging-&lt;random&gt;/        a write in progress (its own lock file inside)
/// </code>
/// Readers take no lock for single files: every file is renamed into place whole.
/// </summary>
public sealed class ImageStore(GockerRoot root)
{
    /// <summary>Overlay lowerdir names: the first 16 hex digits of the diff id. A 30-layer image
    /// needs 30 * 17 bytes of mount options instead of 30 * 90 (the options are one 4 KiB page).</summary>
    public const int LinkLength = 16;

    public GockerRoot Root => root;
    public string Dir => root.ImagesDir;
    public string LockFile => $"{Dir}/.lock";
    public string TagsFile => $"{Dir}/repositories.json";
    public string ConfigsDir => $"{Dir}/configs";
    public string LayersDir => $"{Dir}/layers";
    public string LinksDir => $"{Dir}/l";

    public static string Hex(string digest) => digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;

    public string ConfigPath(string id) => $"{ConfigsDir}/{Hex(id)}";
    public string LayerDir(string diffId) => $"{LayersDir}/{Hex(diffId)}";
    public string LayerDiff(string diffId) => $"{LayerDir(diffId)}/diff";
    public string LayerBlob(string diffId) => $"{LayerDir(diffId)}/blob";
    public string LayerInfoPath(string diffId) => $"{LayerDir(diffId)}/info";
    public static string LinkName(string diffId) => Hex(diffId)[..LinkLength];

    public FileLock LockShared()
    {
        root.EnsureCreated();
        return FileLock.Shared(LockFile);
    }

    public Dictionary<string, string> ReadTags()
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(TagsFile); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return new(StringComparer.Ordinal); }
        try
        {
            return FastJson.ReadTags(bytes);
        }
        catch (JsonException e)
        {
            throw new GockerException($"image store {TagsFile} is damaged: {e.Message}");
        }
    }

    /// <summary>The image a reference names: NAME[:TAG], "sha256:ID", a full id, or a unique id
    /// prefix (Docker's order: a name first, then an id prefix). Null when there is none.</summary>
    public StoredImage? TryResolve(string reference) => TryResolve(reference, ReadTags());

    public StoredImage? TryResolve(string reference, Dictionary<string, string> tags)
    {
        if (!reference.StartsWith("sha256:", StringComparison.Ordinal))
        {
            var parsed = ImageReference.Parse(reference);
            if (tags.TryGetValue(parsed.ToString(), out var id) && TryLoad(id) is { } tagged)
                return tagged.WithName(parsed.ToString());
        }
        if (!ImageReference.LooksLikeId(reference, out var hex))
            return null;
        if (hex.Length == 64)
            return TryLoad(hex);
        var matches = ImageIds().Where(i => i.StartsWith(hex, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => TryLoad(matches[0]),
            _ => throw new GockerException($"ambiguous image id prefix {reference}: it matches {matches.Count} images"),
        };
    }

    public StoredImage Resolve(string reference, int exitCode = ExitCodes.GockerError) =>
        TryResolve(reference) ?? throw new GockerException($"No such image: {reference}", exitCode);

    /// <summary>Hex ids of every stored image.</summary>
    public List<string> ImageIds() =>
        Directory.Exists(ConfigsDir)
            ? Directory.EnumerateFiles(ConfigsDir).Select(p => Path.GetFileName(p)).Where(n => n.Length == 64).ToList()
            : [];

    public StoredImage? TryLoad(string id)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(ConfigPath(id)); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
        return new StoredImage("sha256:" + Hex(id), bytes, null);
    }

    public StoredImage Load(string id) => TryLoad(id) ?? throw new GockerException($"No such image: {id}");

    public bool HasLayer(string diffId) => File.Exists(LayerInfoPath(diffId));

    public LayerInfo ReadLayerInfo(string diffId)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(LayerInfoPath(diffId)), StoreJsonContext.Default.LayerInfo)
                ?? throw new GockerException($"layer {diffId}: empty info");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new GockerException($"layer {diffId} is missing or damaged in the image store: {e.Message}");
        }
    }

    /// <summary>The names (NAME:TAG) that point at an image.</summary>
    public static List<string> NamesOf(Dictionary<string, string> tags, string id) =>
        tags.Where(kv => kv.Value == id).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>What the container's overlay needs: relative lowerdir names (top layer first) under
    /// <see cref="LinksDir"/>.</summary>
    public static string LowerDirs(IReadOnlyList<string> diffIds)
    {
        // Not Reverse().Select(): chained LINQ operators are generic virtual calls, which NativeAOT
        // resolves at run time through its type loader (0.1-0.4 ms on the path of every start).
        var names = new string[diffIds.Count];
        for (int i = 0; i < names.Length; i++)
            names[i] = LinkName(diffIds[diffIds.Count - 1 - i]);
        return string.Join(':', names);
    }
}

/// <summary>One stored image: its id ("sha256:..."), the exact config bytes, and the name it was
/// found by (null when found by id). The config is parsed when asked for: in full (<see cref="Config"/>)
/// or, on the run path, only what run needs (<see cref="Run"/>, <see cref="DiffIds"/>).</summary>
public sealed record StoredImage(string Id, byte[] ConfigBytes, string? FoundAs)
{
    private ImageConfig? _config;
    private (ImageRunConfig Run, List<string> DiffIds)? _run;

    public string Hex => ImageStore.Hex(Id);
    public ImageConfig Config => _config ??= ImageConfig.Parse(ConfigBytes, $"image {Hex[..12]}");
    public ImageRunConfig Run => RunView().Run;
    public IReadOnlyList<string> DiffIds => RunView().DiffIds;
    public StoredImage WithName(string name) => this with { FoundAs = name };

    private (ImageRunConfig Run, List<string> DiffIds) RunView()
    {
        if (_run is { } run)
            return run;
        try { _run = FastJson.ReadRunConfig(ConfigBytes); }
        catch (JsonException e) { throw new GockerException($"image {Hex[..12]}: invalid image configuration: {e.Message}"); }
        return _run.Value;
    }
}

/// <summary>layers/&lt;hex&gt;/info.</summary>
public sealed class LayerInfo
{
    /// <summary>Bytes of file content (what `docker images` adds up).</summary>
    public long Size { get; set; }
    /// <summary>Bytes of the uncompressed tar (its sha256 is the diff id).</summary>
    public long TarSize { get; set; }
    /// <summary>The stored blob: its digest, size and media type (an OCI layer descriptor); a
    /// plain tar's digest is the diff id.</summary>
    public string BlobDigest { get; set; } = "";
    public long BlobSize { get; set; }
    public string BlobMediaType { get; set; } = MediaTypes.OciLayer;

    [JsonIgnore]
    public bool IsGzip => BlobMediaType == MediaTypes.OciLayerGzip;
}

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(LayerInfo))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
