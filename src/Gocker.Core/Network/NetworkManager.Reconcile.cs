using Gocker.Core.Network.Iptables;
using Gocker.Core.Process;
using Gocker.Core.State;

namespace Gocker.Core.Network;

/// <summary>Whether an address's holder still needs it: its container's monitor holds the record's
/// liveness lock (the container runs), or the gocker that allocated it is still starting it. What a
/// crash leaves (a monitor killed with -9, a gocker killed mid-start) is neither.</summary>
internal sealed class EndpointLiveness : IDisposable
{
    private readonly StateStore _store;
    private readonly Dictionary<string, ContainerRecord> _records;

    public EndpointLiveness(string stateDb)
    {
        _store = new StateStore(stateDb);
        _records = _store.ReadAll().Records.ToDictionary(r => r.Id);
    }

    public bool IsLive(IpamEntry e) =>
        _records.TryGetValue(e.ContainerId, out var r) && (_store.IsMonitorAlive(r) || e.Owner.IsAlive());

    public void Dispose() => _store.Dispose();
}

public sealed partial class NetworkManager
{
    /// <summary>The host-side veth of a container (its peer is eth0 inside): unique per container,
    /// derived from its id, never from its name.</summary>
    public static string HostVethName(string containerId) => "gkv" + containerId[..12];

    /// <summary>
    /// Removes what crashes left: addresses whose holder is gone (and their published ports' rules),
    /// and, with <paramref name="rules"/>, every rule of this root in gocker's chains that belongs to
    /// no network and no live address, and veths of this root's containers that hold no address.
    /// Run by the network commands, and by a start that finds its network full or its port taken.
    /// </summary>
    public void Reconcile(bool rules)
    {
        using var hostLock = rules ? HostLock.Acquire(Host.HostLockPath) : null;
        using var rootLock = Store.Lock();
        ReconcileLocked(rules, null);
    }

    /// <summary><see cref="Reconcile"/> for a caller holding the root lock (and the host lock when
    /// <paramref name="rules"/>); the iptables changes go into <paramref name="batch"/> when given
    /// (the caller applies it), else they are applied here. Returns the stale entries removed.</summary>
    internal List<IpamEntry> ReconcileLocked(bool rules, IptablesBatch? batch, IptablesDump? dump = null)
    {
        var networks = Store.LoadAll();
        var stale = new List<IpamEntry>();
        var live = new List<IpamEntry>();
        using (var liveness = new EndpointLiveness(Store.Root.StateDb))
        {
            foreach (var n in networks)
            {
                var table = Store.ReadIpam(n.Name);
                var gone = table.Entries.Where(e => !liveness.IsLive(e)).ToList();
                live.AddRange(table.Entries.Except(gone));
                if (gone.Count == 0)
                    continue;
                stale.AddRange(gone);
                foreach (var e in gone)
                    table.Remove(e.ContainerId);
                Store.WriteIpam(n.Name, table);
            }
        }
        var prefix = GockerRules.RootPrefix(Store.RootTag);
        if (rules || stale.Any(e => e.Ports.Count > 0))
        {
            var keep = networks.Select(n => prefix + n.RuleOwner)
                .Concat(live.Where(e => e.Ports.Count > 0).Select(e => prefix + ContainerRuleOwner(e.ContainerId)))
                .ToHashSet();
            var own = batch ?? new IptablesBatch();
            dump ??= IptablesDump.Parse(Host.Iptables.Save());
            GockerRules.DeleteWhere(dump, own, c => c.StartsWith(prefix, StringComparison.Ordinal) && !keep.Contains(c));
            if (batch is null && !own.IsEmpty)
                Host.Iptables.Restore(own.ToRestoreInput());
        }
        if (rules || stale.Count > 0)
            RemoveStaleVeths(live, stale);
        return stale;
    }

    /// <summary>A veth goes with its container's network namespace, but the kernel tears namespaces
    /// down asynchronously, and a gocker killed between making the veth and starting the container
    /// leaves one behind: delete this root's veths whose container holds no address.</summary>
    private void RemoveStaleVeths(List<IpamEntry> live, List<IpamEntry> stale)
    {
        var keep = live.Select(e => HostVethName(e.ContainerId)).ToHashSet();
        using var links = Host.Links();
        using var store = new StateStore(Store.Root.StateDb);
        var ours = store.ReadAll().Records.Select(r => HostVethName(r.Id)).Concat(stale.Select(e => HostVethName(e.ContainerId)));
        var present = links.Names().ToHashSet();
        foreach (var veth in ours.Distinct().Where(v => present.Contains(v) && !keep.Contains(v)))
            links.Delete(veth);
    }

    public static string ContainerRuleOwner(string containerId) => "c-" + containerId[..12];

    /// <summary>Removes the bridges and rules that deleted roots left (<see cref="LeakedBridgeSweep"/>);
    /// returns the bridges removed. The caller holds the host lock and no root's network lock. One
    /// link dump: run where a network is made or removed, never on a container's start.</summary>
    internal List<string> SweepLeakedBridgesLocked()
    {
        using var links = Host.Links();
        return new LeakedBridgeSweep(Host, Store).Run(links);
    }

    public List<string> SweepLeakedBridges()
    {
        using var hostLock = HostLock.Acquire(Host.HostLockPath);
        return SweepLeakedBridgesLocked();
    }

    /// <summary>`network teardown`: everything networking made for this root goes: every network's
    /// rules and bridge (the default network's too), their definitions and addresses, any rule left
    /// in gocker's chains with this root's tag, and this root's veths. Refused while a container runs.
    /// For uninstalling, and for tests with temporary roots.</summary>
    public List<string> Teardown()
    {
        using var hostLock = HostLock.Acquire(Host.HostLockPath);
        SweepLeakedBridgesLocked();
        using var rootLock = Store.Lock();
        using (var store = new StateStore(Store.Root.StateDb))
        {
            if (store.ReadAll().Records.FirstOrDefault(r => Containers.StatusRules.IsRunning(r.Status) && store.IsMonitorAlive(r)) is { } running)
                throw new GockerException($"container {running.Name} is running: stop it first", ExitCodes.CommandFailed);
        }
        var removed = new List<string>();
        using (var links = Host.Links())
        {
            var setup = new BridgeSetup(links, Host.Iptables, Host.Sysctl, Store.Root);
            foreach (var n in Store.LoadAll())
            {
                setup.Down(n);
                Store.Delete(n.Name);
                removed.Add(n.Name);
            }
        }
        ReconcileLocked(rules: true, null);
        return removed;
    }
}
