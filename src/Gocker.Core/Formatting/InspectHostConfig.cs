using System.Text.Json.Serialization;

namespace Gocker.Core.Formatting;

/// <summary>The "HostConfig" object of `docker inspect` (the options Gocker supports).</summary>
public sealed class InspectHostConfig
{
    /// <summary>"host:container[:opts]" bind specs; null (as Docker) when there are none.</summary>
    public List<string>? Binds { get; set; }

    public string NetworkMode { get; set; } = "bridge";

    /// <summary>"80/tcp" → host bindings.</summary>
    public Dictionary<string, List<InspectPortBinding>?> PortBindings { get; set; } = [];

    public bool AutoRemove { get; set; }
    public bool Privileged { get; set; }
    public bool ReadonlyRootfs { get; set; }

    /// <summary>--tmpfs: path → options as typed; omitted when none (Docker's omitempty).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Tmpfs { get; set; }
    public long CpuShares { get; set; }

    /// <summary>Bytes; 0 for no limit.</summary>
    public long Memory { get; set; }

    /// <summary>CPU quota in 1e-9 CPUs; 0 for no limit.</summary>
    public long NanoCpus { get; set; }

    /// <summary>null for no limit.</summary>
    public long? PidsLimit { get; set; }

    /// <summary>--mount, as given; omitted when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<InspectHostMount>? Mounts { get; set; }

    /// <summary>"CAP_..." names as given; null (as Docker) when none.</summary>
    public List<string>? CapAdd { get; set; }
    public List<string>? CapDrop { get; set; }
    public List<string>? SecurityOpt { get; set; }

    /// <summary>--init; null when not given.</summary>
    public bool? Init { get; set; }
}

/// <summary>An element of HostConfig.Mounts (moby's mount.Mount; empty fields omitted, as there).</summary>
public sealed class InspectHostMount
{
    public string Type { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Source { get; set; }

    public string Target { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ReadOnly { get; set; }
}
