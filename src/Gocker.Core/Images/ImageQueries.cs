using System.Text.Json;
using System.Text.Json.Serialization;
using Gocker.Core.Formatting;

namespace Gocker.Core.Images;

/// <summary>images, history, image inspect: read-only views of the store.</summary>
public sealed class ImageQueries(ImageStore store)
{
    /// <summary>One row per name of every image, and one "&lt;none&gt;" row for an image without
    /// any; newest first.</summary>
    public List<ImageView> List()
    {
        var tags = store.ReadTags();
        var rows = new List<ImageView>();
        foreach (var hex in store.ImageIds())
        {
            if (store.TryLoad(hex) is not { } image)
                continue;
            long size = Size(image);
            var names = ImageStore.NamesOf(tags, image.Id);
            if (names.Count == 0)
                rows.Add(new ImageView(image.Id, "<none>", "<none>", image.Config.CreatedTime, size));
            foreach (var name in names)
            {
                var r = ImageReference.Parse(name);
                rows.Add(new ImageView(image.Id, r.Name, r.Tag, image.Config.CreatedTime, size));
            }
        }
        return rows.OrderByDescending(r => r.Created).ThenBy(r => r.Repository, StringComparer.Ordinal)
            .ThenBy(r => r.Tag, StringComparer.Ordinal).ToList();
    }

    private long Size(StoredImage image) => image.DiffIds.Sum(d => store.HasLayer(d) ? store.ReadLayerInfo(d).Size : 0);

    /// <summary>The history entries newest first; entries that made a layer get its size, in order.</summary>
    public List<HistoryView> History(string reference)
    {
        var image = store.Resolve(reference, ExitCodes.CommandFailed);
        var layers = image.DiffIds.Select(d => store.HasLayer(d) ? store.ReadLayerInfo(d).Size : 0).ToList();
        var history = image.Config.History is { Count: > 0 } h ? h
            : image.DiffIds.Select(_ => new ImageHistory { Created = image.Config.Created }).ToList();
        var rows = new List<HistoryView>();
        int layer = 0;
        foreach (var entry in history)
        {
            long size = entry.EmptyLayer == true || layer >= layers.Count ? 0 : layers[layer++];
            var created = DateTimeOffset.TryParse(entry.Created, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.UnixEpoch;
            rows.Add(new HistoryView(null, created, entry.CreatedBy ?? "", size, entry.Comment ?? ""));
        }
        rows.Reverse();
        if (rows.Count > 0)
            rows[0] = rows[0] with { Id = image.Id };
        return rows;
    }

    /// <summary>`image inspect`: Docker's shape, the fields gocker has.</summary>
    public JsonElement Inspect(string reference)
    {
        var tags = store.ReadTags();
        var image = store.TryResolve(reference, tags) ?? throw new GockerException($"No such image: {reference}", ExitCodes.CommandFailed);
        var c = image.Config;
        var run = c.Config ?? new ImageRunConfig();
        // Docker's inspect shows these two as "" when unset.
        run.User ??= "";
        run.WorkingDir ??= "";
        var inspect = new ImageInspect
        {
            Id = image.Id,
            RepoTags = ImageStore.NamesOf(tags, image.Id),
            Comment = c.Comment ?? "",
            Created = c.Created ?? "",
            Author = c.Author ?? "",
            Config = run,
            Architecture = c.Architecture ?? "",
            Os = c.Os ?? "",
            Size = Size(image),
            RootFS = new ImageInspectRootFs { Layers = [.. image.DiffIds] },
            GraphDriver = new ImageInspectDriver
            {
                Data = new() { ["LowerDir"] = string.Join(':', image.DiffIds.Reverse().Select(store.LayerDiff)) },
            },
        };
        return JsonSerializer.SerializeToElement(inspect, ImageInspectJsonContext.Default.ImageInspect);
    }
}

/// <summary>`docker image inspect` (moby's image.InspectResponse), the fields gocker has.</summary>
public sealed class ImageInspect
{
    public string Id { get; set; } = "";
    public List<string> RepoTags { get; set; } = [];
    public List<string> RepoDigests { get; set; } = [];
    public string Parent { get; set; } = "";
    public string Comment { get; set; } = "";
    public string Created { get; set; } = "";
    public string DockerVersion { get; set; } = "";
    public string Author { get; set; } = "";
    public ImageRunConfig Config { get; set; } = new();
    public string Architecture { get; set; } = "";
    public string Os { get; set; } = "";
    public long Size { get; set; }
    public ImageInspectDriver GraphDriver { get; set; } = new();
    public ImageInspectRootFs RootFS { get; set; } = new();
}

public sealed class ImageInspectDriver
{
    public string Name { get; set; } = "overlay";
    public Dictionary<string, string> Data { get; set; } = [];
}

public sealed class ImageInspectRootFs
{
    public string Type { get; set; } = "layers";
    public List<string> Layers { get; set; } = [];
}

[JsonSerializable(typeof(ImageInspect))]
internal sealed partial class ImageInspectJsonContext : JsonSerializerContext;
