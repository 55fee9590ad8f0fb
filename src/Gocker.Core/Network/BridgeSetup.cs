using Gocker.Core.Network.Iptables;

namespace Gocker.Core.Network;

/// <summary>
/// The host side of a bridge network: its iptables rules, the forwarding sysctls, and the bridge
/// device with the gateway address, up. <see cref="Up"/> is all or nothing: on any failure what it
/// made is removed again. Callers hold the host-wide network lock (<see cref="HostLock"/>): chains,
/// routes and port numbers are shared by every root on the host.
/// </summary>
public sealed class BridgeSetup(ILinks links, IIptables iptables, ISysctl sysctl, Containers.GockerRoot root)
{
    private readonly string _rootTag = NetworkStore.TagOf(root.Path);

    /// <summary>Makes the network's kernel objects; returns the bridge's index. Rules first, the
    /// bridge last: a bridge that exists is a network whose rules are in place (the start path checks
    /// only that), and a crash in between leaves no bridge, so the next start redoes everything.</summary>
    public int Up(NetworkDefinition n)
    {
        var comment = GockerRules.Comment(_rootTag, n.RuleOwner);
        var dump = IptablesDump.Parse(iptables.Save());
        var batch = new IptablesBatch();
        GockerRules.EnsureChains(dump, batch);
        GockerRules.DeleteWhere(dump, batch, c => c == comment); // a crash's leftovers
        foreach (var r in GockerRules.NetworkRules(n.Bridge, n.SubnetCidr, comment))
            batch.Append(r);
        iptables.Restore(batch.ToRestoreInput());
        try
        {
            sysctl.Set("net.ipv4.ip_forward", "1");
            links.Delete(n.Bridge); // a half-made bridge of a crashed gocker
            int index = links.CreateBridge(n.Bridge);
            try
            {
                // Before the address and up: the sweep never takes a bridge without an alias, and
                // one that a crash left half-made here is deleted by the next Up anyway.
                if (BridgeAlias.Format(root.Path, n.Id) is { } alias)
                    links.SetAlias(index, alias);
                links.AddAddress(index, n.GatewayAddress, n.SubnetCidr.PrefixLength);
                // DNAT of the host's own 127.0.0.1 to a container needs packets from 127.0.0.1 to be
                // routed out of the bridge (they are masqueraded to the gateway address there). Its
                // cost, a container reaching the host's loopback services, is closed by the INPUT rule.
                sysctl.Set($"net.ipv4.conf.{n.Bridge}.route_localnet", "1");
                links.SetUp(index);
            }
            catch
            {
                links.Delete(n.Bridge);
                throw;
            }
            return index;
        }
        catch
        {
            RemoveRules(n);
            throw;
        }
    }

    /// <summary>Removes the bridge and the network's rules; what is already gone is not an error.</summary>
    public void Down(NetworkDefinition n)
    {
        RemoveRules(n);
        links.Delete(n.Bridge);
    }

    private void RemoveRules(NetworkDefinition n) => GockerRules.DeleteByComment(iptables, GockerRules.Comment(_rootTag, n.RuleOwner));
}

/// <summary>The host-wide network lock (/run/gocker/network.lock): subnets are picked against the
/// host's routes and bridges made, chains created and host ports claimed under it, whichever root
/// asks. /run is per boot, as everything it protects is.</summary>
public static class HostLock
{
    public const string DefaultPath = "/run/gocker/network.lock";

    public static Containers.FileLock Acquire(string path = DefaultPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return Containers.FileLock.Exclusive(path);
    }
}
