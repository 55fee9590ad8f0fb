using System.Globalization;

namespace Gocker.Core.Network;

/// <summary>A host port forwarded to a container port, as started: "0.0.0.0:18080:80/tcp" in the
/// IPAM file, "0.0.0.0:18080->80/tcp" in ps.</summary>
public readonly record struct PublishedPort(Ipv4Address HostIp, int HostPort, int ContainerPort, string Protocol)
{
    /// <summary>"80/tcp", the key of Docker's port maps.</summary>
    public string ContainerKey => $"{ContainerPort}/{Protocol}";

    public string Format() => $"{HostIp}:{HostPort}:{ContainerPort}/{Protocol}";

    public static PublishedPort Parse(string text)
    {
        var slash = text.LastIndexOf('/');
        var parts = text[..slash].Split(':');
        return new PublishedPort(Ipv4Address.Parse(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture), text[(slash + 1)..]);
    }

    /// <summary>Two bindings cannot both hold a host port: same protocol and port, and the same host
    /// address or either on every address (0.0.0.0).</summary>
    public bool ClashesWith(Ipv4Address hostIp, int hostPort, string protocol) =>
        HostPort == hostPort && Protocol == protocol &&
        (HostIp.IsUnspecified || hostIp.IsUnspecified || HostIp == hostIp);

    /// <summary>Docker's PORTS column: "0.0.0.0:18080->80/tcp, 0.0.0.0:18081->81/tcp".</summary>
    public static string Summary(IEnumerable<PublishedPort> ports) =>
        string.Join(", ", ports.Select(p => $"{p.HostIp}:{p.HostPort}->{p.ContainerPort}/{p.Protocol}"));
}
