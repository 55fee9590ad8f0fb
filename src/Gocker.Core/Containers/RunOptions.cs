namespace Gocker.Core.Containers;

/// <summary>Everything `gocker run` was asked for, as parsed by the CLI.</summary>
public sealed record RunOptions
{
    public required string Image { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    public string? Name { get; init; }
    public string? Hostname { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string> EnvFiles { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    public bool Interactive { get; init; }
    public bool Tty { get; init; }
    public bool Init { get; init; }
    public bool Remove { get; init; }
    public bool Detach { get; init; }
    public IReadOnlyList<string> LogOptions { get; init; } = [];
    public ResourceFlags Resources { get; init; } = new();
    /// <summary>-v/--volume, --mount, --tmpfs as typed; --read-only.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    public IReadOnlyList<string> Mounts { get; init; } = [];
    public IReadOnlyList<string> Tmpfs { get; init; } = [];
    public bool ReadOnly { get; init; }
    /// <summary>--entrypoint: null when not given; "" resets the image's entrypoint.</summary>
    public string? Entrypoint { get; init; }
    public string? StopSignal { get; init; }
    public Network.NetworkFlags Network { get; init; } = new();
    public Security.SecurityFlags Security { get; init; } = new();
}

/// <summary>The resource flags as typed (run, create, update); validated by the cgroup library.</summary>
public sealed record ResourceFlags
{
    public string? Memory { get; init; }
    public string? MemorySwap { get; init; }
    public string? MemoryReservation { get; init; }
    public string? Cpus { get; init; }
    public string? CpuShares { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    public string? PidsLimit { get; init; }
    public bool OomKillDisable { get; init; }
}
