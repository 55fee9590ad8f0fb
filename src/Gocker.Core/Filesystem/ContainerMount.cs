namespace Gocker.Core.Filesystem;

/// <summary>A user mount (-v, --mount, --tmpfs) as the container's init makes it: binds and volumes are binds of a
/// host path; the host-side facts (a volume's directory, whether the source is a file) were settled at
/// start, before init runs.</summary>
public sealed record ContainerMount
{
    public const string BindType = "bind", TmpfsType = "tmpfs";

    /// <summary><see cref="BindType"/> or <see cref="TmpfsType"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The host path bound (null for tmpfs).</summary>
    public string? Source { get; init; }

    /// <summary>The absolute container path.</summary>
    public required string Destination { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>The source is not a directory: the target is created as an empty file.</summary>
    public bool File { get; init; }

    /// <summary>tmpfs: mount(2) flags and data.</summary>
    public MountFlags Flags { get; init; }
    public string? Data { get; init; }
}
