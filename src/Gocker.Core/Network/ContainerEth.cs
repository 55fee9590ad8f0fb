using Gocker.Core.Network.Netlink;
using Gocker.Core.Process;

namespace Gocker.Core.Network;

/// <summary>Run by gocker-init inside the container's network namespace, with all its capabilities,
/// before the command's execve: eth0's address and the default route via the gateway. The route
/// needs the address first (the gateway must be reachable on eth0's subnet).</summary>
public static class ContainerEth
{
    public const string Name = "eth0";

    public static void Configure(InitNetwork n)
    {
        using var links = new RtnetlinkLinks();
        int index = links.Find(Name)?.Index
            ?? throw new GockerException("container init: eth0 is missing from the container's network namespace");
        links.AddAddress(index, Ipv4Address.Parse(n.Address), n.PrefixLength);
        links.SetUp(index);
        links.AddDefaultRoute(Ipv4Address.Parse(n.Gateway), index);
    }
}
