using Gocker.Core.Filesystem;

namespace Gocker.Core.Volumes;

/// <summary>Mount types, as Docker names them.</summary>
public static class MountType
{
    public const string Bind = "bind", Volume = "volume", Tmpfs = "tmpfs";
}

/// <summary>Which flag a mount came from: it decides where `inspect` shows it (HostConfig.Binds and
/// Config.Volumes for -v, HostConfig.Mounts for --mount, HostConfig.Tmpfs for --tmpfs).</summary>
public static class MountOrigin
{
    public const string Volume = "-v", Mount = "--mount", Tmpfs = "--tmpfs";
}

/// <summary>One mount the user asked for (-v, --mount, --tmpfs), validated at create and kept in
/// config.json. Host-side state (a volume's directory, whether a bind source is a file) is looked
/// up again at every start.</summary>
public sealed record MountSpec
{
    /// <summary><see cref="MountType"/>.</summary>
    public required string Type { get; init; }

    /// <summary>bind: the absolute, cleaned host path; volume: the volume name (a generated one for an
    /// anonymous volume); tmpfs: null.</summary>
    public string? Source { get; init; }

    /// <summary>The absolute, cleaned container path.</summary>
    public required string Destination { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary><see cref="MountOrigin"/>.</summary>
    public required string Origin { get; init; }

    /// <summary>The mode part of a -v spec as typed ("ro", "rw,z"), shown as Mode by inspect.</summary>
    public string Mode { get; init; } = "";

    /// <summary>-v: the spec for HostConfig.Binds (a relative source made absolute); --tmpfs: the
    /// options as typed, for HostConfig.Tmpfs.</summary>
    public string? Spec { get; init; }

    /// <summary>A volume that -v PATH or --mount without a source created: removed with the container
    /// by `rm -v` and `run --rm`.</summary>
    public bool Anonymous { get; init; }

    /// <summary>volume-nocopy / nocopy: the image's content is not copied into a new volume.</summary>
    public bool NoCopy { get; init; }

    /// <summary>-v creates a missing bind source directory (as Docker); --mount type=bind refuses it.</summary>
    public bool CreateSource { get; init; }

    /// <summary>--mount volume-label=K=V: the labels of a volume this mount creates.</summary>
    public Dictionary<string, string>? VolumeLabels { get; init; }

    /// <summary>tmpfs: the mount(2) flags and data (size=, mode=...).</summary>
    public MountFlags TmpfsFlags { get; init; }
    public string? TmpfsData { get; init; }
}
