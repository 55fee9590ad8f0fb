using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gocker.Core.Containers;

/// <summary>A container's full configuration, fixed at create time and kept as JSON in its
/// directory (config.json): what `start` needs to start it again and what `inspect` shows. The
/// state store holds only the summary that `ps` needs.</summary>
public sealed record ContainerConfig
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>The image as typed (`inspect` .Config.Image).</summary>
    public required string Image { get; init; }
    /// <summary>The image id, "sha256:..." (`inspect` .Image). Null in configs written before the image store.</summary>
    public string? ImageId { get; init; }
    /// <summary>The image's layers (diff ids, bottom first): the overlay's lower dirs, from the store.</summary>
    public List<string>? ImageLayers { get; init; }
    /// <summary>Before the image store: one unpacked rootfs directory as the only lower dir.</summary>
    public string? ImageRootfs { get; init; }
    /// <summary>The command: Entrypoint + Cmd as combined from the image and the command line.</summary>
    public required List<string> Args { get; init; }
    public List<string>? Entrypoint { get; init; }
    public List<string>? Cmd { get; init; }
    public string? StopSignal { get; init; }
    public List<string>? ExposedPorts { get; init; }
    public required List<string> Env { get; init; }
    public required string Hostname { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public bool Init { get; init; }
    public bool AutoRemove { get; init; }
    public long LogMaxSize { get; init; } = 10 << 20;
    public int LogMaxFiles { get; init; } = 3;
    public long CreatedAt { get; init; }
    /// <summary>The resource flags as given; validated at create, applied at every start.</summary>
    public ResourceFlags Resources { get; init; } = new();
    /// <summary>-v, --mount, --tmpfs as validated at create (volume names fixed, anonymous ones generated).</summary>
    public List<Volumes.MountSpec> Mounts { get; init; } = [];
    /// <summary>--read-only.</summary>
    public bool ReadonlyRootfs { get; init; }

    public ContainerConfig WithResources(ResourceFlags resources) => this with { Resources = resources };

    public ContainerConfig WithName(string name) => this with { Name = name };

    /// <summary>The image's layer directories, top first (overlayfs's lowerdir order).</summary>
    public IReadOnlyList<string> LowerDirList(GockerRoot root) => ImageLayers is { } layers
        ? layers.AsEnumerable().Reverse().Select(new Images.ImageStore(root).LayerDiff).ToList()
        : (ImageRootfs ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
    /// <summary>--network, --ip, -p, --add-host, --dns...: validated at create, applied at every start.</summary>
    public Network.ContainerNetworkSettings Network { get; init; } = new();
    /// <summary>Capabilities, seccomp, no_new_privs, masked paths, ulimits: applied at every start and exec.</summary>
    public Security.SecurityConfig Security { get; init; } = new();

    public static ContainerConfig Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, ConfigJsonContext.Default.ContainerConfig)
                ?? throw new GockerException($"empty container configuration {path}");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new GockerException($"cannot read container configuration {path}: {e.Message}");
        }
    }

    /// <summary>Written to a temporary file and renamed: a reader sees the old or the new file, whole.</summary>
    public void Save(string path)
    {
        // Overwritten, not truncated: a .tmp left by a killed save, or a spare's config.json
        // (ContainerFiles.Create), is rewritten in its own blocks.
        var tmp = path + ".tmp";
        SmallFile.Overwrite(tmp, ContainerConfigWriter.Bytes(this).Span);
        File.Move(tmp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ContainerConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
