namespace Gocker.Core.Formatting;

/// <summary>One element of `docker inspect`'s output for a container (moby's
/// <c>container.InspectResponse</c>, the fields Gocker has), in Docker's property order and names.</summary>
public sealed class ContainerInspect
{
    public string Id { get; set; } = "";

    /// <summary>RFC 3339 with nanoseconds, UTC (see <see cref="GoTime.Rfc3339Nano"/>).</summary>
    public string Created { get; set; } = GoTime.ZeroRfc3339;

    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = [];
    public InspectState State { get; set; } = new();

    /// <summary>The image id, "sha256:…".</summary>
    public string Image { get; set; } = "";

    public string ResolvConfPath { get; set; } = "";
    public string HostnamePath { get; set; } = "";
    public string HostsPath { get; set; } = "";
    public string LogPath { get; set; } = "";

    /// <summary>With Docker's leading slash: "/name".</summary>
    public string Name { get; set; } = "";

    public int RestartCount { get; set; }
    public string Driver { get; set; } = "overlay";
    public string Platform { get; set; } = "linux";
    public string MountLabel { get; set; } = "";
    public string ProcessLabel { get; set; } = "";
    public string AppArmorProfile { get; set; } = "";
    public List<string>? ExecIDs { get; set; }
    public InspectHostConfig HostConfig { get; set; } = new();
    public List<InspectMount> Mounts { get; set; } = [];
    public InspectConfig Config { get; set; } = new();
    public InspectNetworkSettings NetworkSettings { get; set; } = new();
}
