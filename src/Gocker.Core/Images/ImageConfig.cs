using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gocker.Core.Images;

/// <summary>The image configuration (OCI image-spec config.md; Docker's image JSON): what run takes
/// from the image, the layer list (rootfs.diff_ids, bottom layer first) and the history. The store
/// keeps the exact bytes it was given, because the image id is the sha256 of those bytes; this type
/// is for reading them and for writing new configs (import, commit).</summary>
public sealed class ImageConfig
{
    [JsonPropertyName("architecture")] public string? Architecture { get; set; }
    [JsonPropertyName("os")] public string? Os { get; set; }
    [JsonPropertyName("created")] public string? Created { get; set; }
    [JsonPropertyName("author")] public string? Author { get; set; }
    [JsonPropertyName("comment")] public string? Comment { get; set; }
    [JsonPropertyName("config")] public ImageRunConfig? Config { get; set; }
    [JsonPropertyName("rootfs")] public ImageRootfs Rootfs { get; set; } = new();
    [JsonPropertyName("history")] public List<ImageHistory>? History { get; set; }

    [JsonIgnore]
    public DateTimeOffset CreatedTime =>
        DateTimeOffset.TryParse(Created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.UnixEpoch;

    public static ImageConfig Parse(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ImageJsonContext.Default.ImageConfig)
                ?? throw new GockerException($"{what}: empty image configuration");
        }
        catch (JsonException e)
        {
            throw new GockerException($"{what}: invalid image configuration: {e.Message}");
        }
    }

    /// <summary>The bytes that become the image (its id is their sha256).</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ImageJsonContext.Default.ImageConfig);

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The "config" object: Docker's capitalised names.</summary>
public sealed class ImageRunConfig
{
    public string? User { get; set; }
    public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }
    public List<string>? Env { get; set; }
    public List<string>? Entrypoint { get; set; }
    public List<string>? Cmd { get; set; }
    public Dictionary<string, EmptyObject>? Volumes { get; set; }
    public string? WorkingDir { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public string? StopSignal { get; set; }
}

public sealed class ImageRootfs
{
    [JsonPropertyName("type")] public string Type { get; set; } = "layers";
    [JsonPropertyName("diff_ids")] public List<string> DiffIds { get; set; } = [];
}

public sealed class ImageHistory
{
    [JsonPropertyName("created")] public string? Created { get; set; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; set; }
    [JsonPropertyName("author")] public string? Author { get; set; }
    [JsonPropertyName("comment")] public string? Comment { get; set; }
    [JsonPropertyName("empty_layer")] public bool? EmptyLayer { get; set; }
}

/// <summary>The <c>{}</c> values of ExposedPorts and Volumes.</summary>
public sealed class EmptyObject;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageConfig))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
