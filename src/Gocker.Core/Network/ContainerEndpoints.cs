using Gocker.Core.Interop;
using Gocker.Core.Network.Iptables;
using Gocker.Core.Process;

namespace Gocker.Core.Network;

/// <summary>A container's place on a bridge network for one run: address, MAC, the veth on the host
/// and the bridge it is enslaved to, the published ports.</summary>
public sealed record Endpoint(NetworkDefinition Network, Ipv4Address Address, byte[] Mac, int BridgeIndex, string HostVeth,
    IReadOnlyList<PublishedPort> Ports)
{
    public int PrefixLength => Network.SubnetCidr.PrefixLength;
    public Ipv4Address Gateway => Network.GatewayAddress;
}

/// <summary>The start of a run could not join its network (an address or host port taken, the
/// network gone): nothing of the container ran, and nothing of the attempt is left.</summary>
public sealed class EndpointException(string message) : GockerException(message);

/// <summary>
/// Containers joining and leaving bridge networks. <see cref="Attach"/> (before the container
/// exists) takes an address, and with -p the host ports and their DNAT rules; <see cref="Connect"/>
/// (once init exists, before its command runs) makes the veth pair, which init configures; <see cref="Release"/> (when the
/// container ends or is removed) gives them back. Without -p, a start runs no iptables command at all:
/// the network's rules were made with the network.
/// </summary>
public sealed class ContainerEndpoints(NetworkManager networks)
{
    private static ProcessIdentity? _self;
    private NetworkStore Store => networks.Store;

    /// <summary>This process, as the owner of the addresses it allocates until the container's
    /// monitor holds its liveness lock.</summary>
    private static ProcessIdentity Self =>
        _self ??= ProcessIdentity.Of(Environment.ProcessId) ?? new ProcessIdentity(Environment.ProcessId, 0);

    public Endpoint? Attach(string containerId, ContainerNetworkSettings s, ILinks links)
    {
        if (!s.IsBridged)
            return null;
        NetworkDefinition n;
        try { n = networks.Find(s.Mode); }
        catch (GockerException e) { throw new EndpointException(e.Message); }
        int bridge = networks.EnsureUp(ref n, links);
        var requests = s.PortRequests();
        Ipv4Address? want = s.Ip is null ? null : Ipv4Address.Parse(s.Ip);
        if (requests.Count == 0)
        {
            using var rootLock = Store.Lock();
            var entry = Allocate(n, containerId, want, []);
            return ToEndpoint(n, bridge, entry);
        }
        return AttachWithPorts(n, bridge, containerId, want, requests);
    }

    /// <summary>Host ports are claimed against every root's rules, so under the host-wide lock: the
    /// DNAT rules in gocker's chains are the host-wide truth, plus whatever already listens there.</summary>
    private Endpoint AttachWithPorts(NetworkDefinition n, int bridge, string containerId, Ipv4Address? want, List<PortRequest> requests)
    {
        using var hostLock = HostLock.Acquire(networks.Host.HostLockPath);
        using var rootLock = Store.Lock();
        var dump = IptablesDump.Parse(networks.Host.Iptables.Save());
        var batch = new IptablesBatch();
        // Stale addresses and rules (a crash) must not hold ports against us; removed in our batch.
        networks.ReconcileLocked(rules: false, batch, dump);
        var deleted = batch.Lines(GockerRules.Nat).ToHashSet();
        var held = GockerRules.PublishedPorts(dump).Where(p => !deleted.Contains(p.Rule.DeleteLine)).Select(p => p.Port).ToList();
        var ports = PickPorts(requests, held);
        var entry = Allocate(n, containerId, want, ports);
        var comment = GockerRules.Comment(Store.RootTag, NetworkManager.ContainerRuleOwner(containerId));
        foreach (var r in GockerRules.PortRules(ports, entry.Address, comment))
            batch.Append(r);
        try
        {
            networks.Host.Iptables.Restore(batch.ToRestoreInput());
        }
        catch (Exception e) when (e is GockerException or IOException)
        {
            // The rules failed: give the address back. A failure of that must not hide why the rules
            // failed (the user's error); it is named too, and the next reconcile reclaims the entry.
            try
            {
                var t = Store.ReadIpam(n.Name);
                t.Remove(containerId);
                Store.WriteIpam(n.Name, t);
            }
            catch (Exception r) when (r is GockerException or IOException)
            {
                throw new GockerException($"{e.Message} (and releasing the address {entry.Address} failed: {r.Message})");
            }
            throw;
        }
        return ToEndpoint(n, bridge, entry);
    }

    private List<PublishedPort> PickPorts(List<PortRequest> requests, List<PublishedPort> held)
    {
        var taken = new List<PublishedPort>(held);
        foreach (var n in Store.LoadAll())
            taken.AddRange(Store.ReadIpam(n.Name).Entries.SelectMany(e => e.Ports));
        var picked = new List<PublishedPort>();
        var (first, last) = networks.Host.EphemeralRange();
        foreach (var r in requests)
        {
            int from = r.HostPortFirst == 0 ? first : r.HostPortFirst;
            int to = r.HostPortFirst == 0 ? last : r.HostPortLast;
            int port = 0;
            for (int p = from; p <= to && port == 0; p++)
            {
                if (taken.Any(t => t.ClashesWith(r.HostIp, p, r.Protocol)) || !networks.Host.PortIsFree(r.HostIp, p, r.Protocol))
                    continue;
                port = p;
            }
            if (port == 0)
                throw new EndpointException(r.PicksHostPort && r.HostPortFirst == 0
                    ? $"no free host port for {r.ContainerPort}/{r.Protocol} in {first}-{last}"
                    : $"Bind for {r.HostIp}:{(from == to ? from.ToString() : $"{from}-{to}")} failed: port is already allocated");
            var binding = new PublishedPort(r.HostIp, port, r.ContainerPort, r.Protocol);
            picked.Add(binding);
            taken.Add(binding);
        }
        return picked;
    }

    /// <summary>Under the root lock: an address for the container (its own old entry, a crash's, is
    /// replaced). When the network is full or the address taken, stale entries are reclaimed first.</summary>
    private IpamEntry Allocate(NetworkDefinition n, string containerId, Ipv4Address? want, List<PublishedPort> ports)
    {
        var table = Store.ReadIpam(n.Name);
        table.Remove(containerId);
        Ipv4Address address;
        try
        {
            address = table.Allocate(n, want);
        }
        catch (GockerException)
        {
            if (networks.ReconcileLocked(rules: false, null).Count == 0)
                throw new EndpointException(TryMessage(table, n, want));
            table = Store.ReadIpam(n.Name);
            table.Remove(containerId);
            try { address = table.Allocate(n, want); }
            catch (GockerException e) { throw new EndpointException(e.Message); }
        }
        var entry = new IpamEntry(address, containerId, IpamTable.FormatMac(IpamTable.MacFor(address)), Self, ports);
        table.Entries.Add(entry);
        Store.WriteIpam(n.Name, table);
        return entry;
    }

    private static string TryMessage(IpamTable t, NetworkDefinition n, Ipv4Address? want)
    {
        try { t.Allocate(n, want); return "address allocation failed"; }
        catch (GockerException e) { return e.Message; }
    }

    private static Endpoint ToEndpoint(NetworkDefinition n, int bridge, IpamEntry e) =>
        new(n, e.Address, IpamTable.MacFor(e.Address), bridge, NetworkManager.HostVethName(e.ContainerId), e.Ports);

    public const string ContainerDevice = "eth0";

    /// <summary>The veth pair, its peer made as eth0 (with the endpoint's MAC) inside the network namespace
    /// of <paramref name="pid"/>, the container's init, which waits at its gate meanwhile. Init gives eth0
    /// its address, brings it up and adds the default route once the gate opens (native/initnet.c, from
    /// the plan's <see cref="Process.InitNetwork"/>): from inside, without a socket made by entering the
    /// namespace, which cost the start about 1 ms of this process. A veth of the same name may outlive an
    /// earlier run of this container for a moment (namespaces are torn down asynchronously): it is
    /// deleted and the pair made again.</summary>
    public static void Connect(Endpoint e, int pid, ILinks links)
    {
        const int EEXIST = 17;
        try
        {
            links.CreateVeth(e.HostVeth, e.BridgeIndex, ContainerDevice, pid, e.Mac);
        }
        catch (SyscallException x) when (x.Errno == EEXIST)
        {
            links.Delete(e.HostVeth);
            links.CreateVeth(e.HostVeth, e.BridgeIndex, ContainerDevice, pid, e.Mac);
        }
    }

    /// <summary>Gives back the container's address and removes its ports' rules. Idempotent. With
    /// <paramref name="owner"/>, only an entry that process allocated (a failed start cleaning up
    /// after itself must not free a newer start's address).</summary>
    public void Release(string containerId, ContainerNetworkSettings s, ProcessIdentity? owner = null)
    {
        if (!s.IsBridged || !Store.Exists(s.Mode))
            return;
        using var rootLock = Store.Lock();
        var table = Store.ReadIpam(s.Mode);
        if (table.Find(containerId) is not { } entry || (owner is { } o && entry.Owner != o))
            return;
        if (entry.Ports.Count > 0)
            RemovePortRules(entry);
        table.Remove(containerId);
        Store.WriteIpam(s.Mode, table);
    }

    /// <summary>As <see cref="Release"/>, for the start that allocated the entry in this process.</summary>
    public void ReleaseOwn(string containerId, ContainerNetworkSettings s) => Release(containerId, s, Self);

    /// <summary>The exact rules first (one iptables-restore); if one is missing (removed by hand),
    /// every rule with the container's comment, from a fresh dump.</summary>
    private void RemovePortRules(IpamEntry e)
    {
        var comment = GockerRules.Comment(Store.RootTag, NetworkManager.ContainerRuleOwner(e.ContainerId));
        var batch = new IptablesBatch();
        foreach (var r in GockerRules.PortRules(e.Ports, e.Address, comment))
            batch.Delete(r);
        try
        {
            networks.Host.Iptables.Restore(batch.ToRestoreInput());
        }
        catch (GockerException)
        {
            GockerRules.DeleteByComment(networks.Host.Iptables, comment);
        }
    }

    /// <summary>The container's current address entry (it runs), or null.</summary>
    public IpamEntry? Find(string containerId, ContainerNetworkSettings s)
    {
        if (!s.IsBridged || !Store.Exists(s.Mode))
            return null;
        using var shared = Store.SharedLock();
        return Store.ReadIpam(s.Mode).Find(containerId);
    }
}
