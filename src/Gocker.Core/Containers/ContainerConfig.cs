using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gocker.Core.Containers;

/// <summary>A container's full configuration, fixed at create time and kept as JSON in its
/// directory (config.json): what `start` needs to start it again and what `inspect` shows. The
/// state store holds only the summary that `ps` needs.</summary>
public sealed class ContainerConfig
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public required string Image { get; init; }
    /// <summary>The image's read-only rootfs (overlay lower dirs).</summary>
    public required string ImageRootfs { get; init; }
    public required List<string> Args { get; init; }
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
    /// <summary>Capabilities, seccomp, no_new_privs, masked paths, ulimits: applied at every start and exec.</summary>
    public Security.SecurityConfig Security { get; init; } = new();

    public ContainerConfig WithResources(ResourceFlags resources)
    {
        var c = WithName(Name);
        return new ContainerConfig
        {
            Id = c.Id, Name = c.Name, Image = c.Image, ImageRootfs = c.ImageRootfs, Args = c.Args, Env = c.Env,
            Hostname = c.Hostname, User = c.User, WorkingDir = c.WorkingDir, Tty = c.Tty, OpenStdin = c.OpenStdin,
            Init = c.Init, AutoRemove = c.AutoRemove, LogMaxSize = c.LogMaxSize, LogMaxFiles = c.LogMaxFiles,
            CreatedAt = c.CreatedAt, Resources = resources, Security = c.Security,
        };
    }

    public ContainerConfig WithName(string name) => new()
    {
        Id = Id, Name = name, Image = Image, ImageRootfs = ImageRootfs, Args = Args, Env = Env,
        Hostname = Hostname, User = User, WorkingDir = WorkingDir, Tty = Tty, OpenStdin = OpenStdin,
        Init = Init, AutoRemove = AutoRemove, LogMaxSize = LogMaxSize, LogMaxFiles = LogMaxFiles,
        CreatedAt = CreatedAt, Resources = Resources, Security = Security,
    };

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
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
            JsonSerializer.Serialize(stream, this, ConfigJsonContext.Default.ContainerConfig);
        File.Move(tmp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ContainerConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
