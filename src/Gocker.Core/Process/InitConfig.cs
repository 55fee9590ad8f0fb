namespace Gocker.Core.Process;

/// <summary>Everything the container's init needs, as gocker computes it at start; <see cref="InitPlan"/>
/// turns it into the plan init executes (argv reaches the container exactly as given, never joined
/// into one string and split again).</summary>
public sealed class InitConfig
{
    public required string Id { get; init; }
    public required string Hostname { get; init; }
    public required List<string> Args { get; init; }
    public required List<string> Env { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool Tty { get; init; }
    public bool Init { get; init; }
    public required string LowerDirs { get; init; }
    /// <summary>Where relative LowerDirs are (init changes into it before the overlay mount); null: absolute.</summary>
    public string? LowerBase { get; init; }
    public required string UpperDir { get; init; }
    public required string WorkDir { get; init; }
    public required string Rootfs { get; init; }
    public required string HostnameFile { get; init; }
    public required string HostsFile { get; init; }
    public required string ResolvConfFile { get; init; }
    /// <summary>-v, --mount, --tmpfs, with the host's side resolved at start.</summary>
    public List<Filesystem.ContainerMount> Mounts { get; init; } = [];
    public bool ReadOnlyRootfs { get; init; }
    /// <summary>--network host: no network namespace of its own (lo is the host's: left alone).</summary>
    public bool HostNetwork { get; init; }
    /// <summary>The command's confinement (native/exec.c applies it right before execve).</summary>
    public Security.ProcessSecurity? Security { get; init; }
    /// <summary>--privileged: /sys writable, the host's devices in /dev.</summary>
    public bool Privileged { get; init; }
    public bool MaskSystemPaths { get; init; } = true;
    /// <summary>--rm: the writable layer is thrown away at exit, so it is mounted "volatile".</summary>
    public bool DisposableUpper { get; init; }
    /// <summary>A bridge network: the container's end of the veth, which init configures once its gate
    /// opens (gocker makes the veth while init sets up); null without one.</summary>
    public InitNetwork? Network { get; init; }
}

/// <summary>What init gives its network device: the address, the subnet's prefix length, the default
/// route's gateway.</summary>
public sealed record InitNetwork(string Device, Network.Ipv4Address Address, int PrefixLength, Network.Ipv4Address Gateway);
