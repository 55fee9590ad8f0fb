using Gocker.Core.Containers;
using Gocker.Core.Network.Iptables;

namespace Gocker.Core.Network;

/// <summary>
/// Reclaims what a deleted root left on the host. Bridges and rules are host-wide, but the networks
/// that own them are files under a root: a root removed without `network teardown` (a CI job's
/// temporary directory, a crashed test) leaves its bridges, their routes (which push every later
/// network to the next subnet) and their rules forever. A bridge gocker made carries its owner in
/// its alias (<see cref="BridgeAlias"/>); a bridge is leaked when
/// <list type="bullet">
/// <item>the root its alias names is gone (lstat says no such path): its veths, the bridge, the
/// network's rules, and the DNAT rules of that root's containers that point into the network's
/// subnet (they would hold their host ports forever, and send them into whatever network gets that
/// subnet next); or</item>
/// <item>the root is there but its network store no longer has that network, checked again under
/// the root's network lock (taken without waiting: a root whose lock is held is being changed, and is
/// left for the next sweep), and no device is attached to the bridge: the bridge and the network's rules.</item>
/// </list>
/// Never a bridge without an alias or with one that gocker did not write (those made before aliases
/// existed are cleaned up by hand, see the README), never a network a root still has. Runs under the
/// host-wide lock, which every definition and every bridge and rule change of any root is made under,
/// so no network can be half made meanwhile; the caller must not hold any root's network lock.
/// Costs one link dump; iptables is read and changed only when something is leaked.
/// </summary>
internal sealed class LeakedBridgeSweep(NetworkHost host, NetworkStore own)
{
    private sealed record Leak(LinkInfo Bridge, string RootPath, string NetworkId12, bool RootGone, List<LinkInfo> Ports);

    /// <summary>Returns the names of the bridges removed.</summary>
    public List<string> Run(ILinks links)
    {
        var all = links.List();
        LabelOwnBridges(links, all);
        var locks = new Dictionary<string, FileLock?>(StringComparer.Ordinal);
        try
        {
            var leaks = new List<Leak>();
            foreach (var bridge in all.Where(l => l.Kind == "bridge"))
            {
                if (BridgeAlias.Parse(bridge.Alias) is not { } owner || !BridgeAlias.NamesBridge(bridge.Name, owner.RootPath, owner.NetworkId12))
                    continue;
                var ports = all.Where(l => l.Master == bridge.Index).ToList();
                if (Judge(owner.RootPath, owner.NetworkId12, ports.Count, locks) is { } rootGone)
                    leaks.Add(new Leak(bridge, owner.RootPath, owner.NetworkId12, rootGone, ports));
            }
            if (leaks.Count == 0)
                return [];
            // Rules first: a crash after leaves a bridge whose alias still leads the next sweep to it;
            // the other way round would leave rules that nothing can attribute any more.
            RemoveRules(leaks);
            foreach (var leak in leaks)
            {
                foreach (var port in leak.Ports)
                    links.Delete(port.Name);
                links.Delete(leak.Bridge.Name);
            }
            return leaks.Select(l => l.Bridge.Name).ToList();
        }
        finally
        {
            foreach (var l in locks.Values)
                l?.Dispose();
        }
    }

    /// <summary>The bridges of this root's networks that were made before bridges had aliases get one
    /// now, so that they can be reclaimed if this root is ever deleted.</summary>
    private void LabelOwnBridges(ILinks links, IReadOnlyList<LinkInfo> all)
    {
        var byName = all.Where(l => l.Kind == "bridge" && l.Alias is null).ToDictionary(l => l.Name, StringComparer.Ordinal);
        foreach (var n in own.LoadAll())
            if (byName.TryGetValue(n.Bridge, out var bridge) && BridgeAlias.Format(own.Root.Path, n.Id) is { } alias)
                links.SetAlias(bridge.Index, alias);
    }

    /// <summary>Null: keep the bridge. Otherwise it is leaked; true if its whole root is gone. A
    /// root's lock, once taken, is held (in <paramref name="locks"/>: null for a root without a
    /// networks directory, which has nothing to lock) until the sweep is done.</summary>
    private static bool? Judge(string rootPath, string id12, int ports, Dictionary<string, FileLock?> locks)
    {
        if (RootIsGone(rootPath))
            return true;
        if (ports > 0)
            return null;
        var store = new NetworkStore(new GockerRoot(rootPath));
        // Read once without the lock (definitions are replaced by rename): a live network costs its
        // root no lock; only a network that seems gone is checked again under the root's lock.
        if (HasNetwork(store, id12) is not false)
            return null;
        if (!locks.ContainsKey(rootPath))
        {
            // Without a networks directory the root has no networks, and none can be defined meanwhile
            // (that takes the host lock, which the sweep holds): nothing to lock, nothing made there.
            FileLock? held = null;
            if (Directory.Exists(store.Dir))
            {
                try { held = FileLock.TryExclusive($"{store.Dir}/lock"); }
                catch (Exception e) when (e is GockerException or IOException or UnauthorizedAccessException) { }
                if (held is null)
                    return null; // being changed right now (or unlockable): the next sweep decides
            }
            locks[rootPath] = held;
        }
        return HasNetwork(store, id12) is false ? false : null;
    }

    /// <summary>Null when the store cannot be read: that is not a store that lacks the network.</summary>
    private static bool? HasNetwork(NetworkStore store, string id12)
    {
        try { return store.LoadAll().Any(n => n.RuleOwner == "n-" + id12); }
        catch (Exception e) when (e is GockerException or IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Gone only when the path certainly does not exist; any other failure to look counts as there.</summary>
    private static bool RootIsGone(string path) => Interop.Libc.LstatMissing(path);

    private void RemoveRules(List<Leak> leaks)
    {
        var dump = IptablesDump.Parse(host.Iptables.Save());
        var batch = new IptablesBatch();
        foreach (var leak in leaks)
        {
            var tag = NetworkStore.TagOf(leak.RootPath);
            var comment = GockerRules.Comment(tag, "n-" + leak.NetworkId12);
            var subnet = LeakedSubnet(dump, comment);
            GockerRules.DeleteWhere(dump, batch, c => c == comment);
            if (!leak.RootGone || subnet is not { } s)
                continue;
            var containers = GockerRules.RootPrefix(tag) + "c-";
            foreach (var (_, rule) in GockerRules.PublishedPorts(dump))
            {
                var to = rule.Option("--to-destination")?.Split(':')[0];
                if (rule.Comment?.StartsWith(containers, StringComparison.Ordinal) == true &&
                    to is not null && Ipv4Address.TryParse(to, out var a) && s.Contains(a))
                    batch.Add(rule.Table, rule.DeleteLine);
            }
        }
        if (!batch.IsEmpty)
            host.Iptables.Restore(batch.ToRestoreInput());
    }

    /// <summary>The network's subnet, from its MASQUERADE rule ("-s SUBNET ! -o BRIDGE").</summary>
    private static Ipv4Cidr? LeakedSubnet(IptablesDump dump, string comment)
    {
        foreach (var r in dump.In(GockerRules.Nat, GockerRules.Postrouting).Where(r => r.Comment == comment))
            if (r.Option("-s") is { } s && s != "127.0.0.0/8")
            {
                try { return Ipv4Cidr.Parse(s); }
                catch (GockerException) { }
            }
        return null;
    }
}
