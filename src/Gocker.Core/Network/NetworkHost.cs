using Gocker.Core.Network.Iptables;
using Gocker.Core.Network.Netlink;

namespace Gocker.Core.Network;

/// <summary>What gocker's networking touches on the host, in one place so that the unit tests can
/// substitute every part: devices (rtnetlink), iptables, sysctls, the route table and the host-wide lock.</summary>
public sealed class NetworkHost
{
    public required Func<ILinks> Links { get; init; }
    public required IIptables Iptables { get; init; }
    public required ISysctl Sysctl { get; init; }
    public string RoutesPath { get; init; } = HostRoutes.ProcPath;
    public string HostLockPath { get; init; } = HostLock.DefaultPath;
    /// <summary>Whether a host port is free to publish (nothing bound to it).</summary>
    public Func<Ipv4Address, int, string, bool> PortIsFree { get; init; } = PortProbe.IsFree;
    /// <summary>/proc/sys/net/ipv4/ip_local_port_range: where picked host ports come from.</summary>
    public Func<(int First, int Last)> EphemeralRange { get; init; } = PortProbe.EphemeralRange;

    public static NetworkHost Real { get; } = new()
    {
        Links = () => new RtnetlinkLinks(),
        Iptables = new IptablesCommand(),
        Sysctl = new ProcSysctl(),
    };
}
