using Gocker.Core.Containers;
using Gocker.Core.Interop;

namespace Gocker.Core.Network;

/// <summary>What `network create` was asked for.</summary>
public sealed record NetworkCreateOptions
{
    public required string Name { get; init; }
    public string Driver { get; init; } = "bridge";
    public string? Subnet { get; init; }
    public string? Gateway { get; init; }
    public string? IPRange { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = [];
}

/// <summary>
/// A root's networks: their definitions (<see cref="NetworkStore"/>) and their kernel objects
/// (<see cref="BridgeSetup"/>). Lock order, everywhere: the host-wide lock first (only where chains,
/// routes, bridges or host ports are involved), then the root's network lock. The default network
/// `bridge` is defined on first use (its subnet picked then) and its bridge made when a container
/// first needs it; a user network's bridge is made by `network create`.
/// </summary>
public sealed partial class NetworkManager(GockerRoot root, NetworkHost host)
{
    public const string DefaultBridgeDevice = "gocker0";

    public NetworkStore Store { get; } = new(root);
    public NetworkHost Host { get; } = host;

    /// <summary>The network a container names (create and start): `bridge` is made on first use.</summary>
    public NetworkDefinition Find(string nameOrId) =>
        nameOrId == NetworkDefinition.DefaultName ? GetOrCreateDefault() : Store.Resolve(nameOrId);

    public NetworkDefinition GetOrCreateDefault()
    {
        if (Store.TryLoad(NetworkDefinition.DefaultName) is { } d)
            return d;
        using var hostLock = HostLock.Acquire(Host.HostLockPath);
        if (Store.TryLoad(NetworkDefinition.DefaultName) is { } defined)
            return defined;
        // Before the subnet is picked: a deleted root's bridge holds its subnet as a host route. On a
        // machine that runs many short-lived roots (CI), this is where their subnets come back.
        SweepLeakedBridgesLocked();
        using var rootLock = Store.Lock();
        if (Store.TryLoad(NetworkDefinition.DefaultName) is { } again)
            return again;
        var n = Define(NetworkDefinition.DefaultName, SubnetPool.Pick(TakenSubnets(NetworkDefinition.DefaultName)), null, null, [], isDefault: true);
        Store.Save(n);
        return n;
    }

    public NetworkDefinition Create(NetworkCreateOptions o)
    {
        NetworkStore.ValidateName(o.Name);
        if (o.Driver != "bridge")
            throw new GockerException($"plugin \"{o.Driver}\" not found: gocker has the bridge driver only");
        if (o.Name is ContainerNetworkSettings.Host or ContainerNetworkSettings.None)
            throw new GockerException($"operation is not permitted on predefined {o.Name} network");
        if (o.Name == NetworkDefinition.DefaultName)
            throw new GockerException($"network with name {o.Name} already exists");
        var subnet = o.Subnet is null ? (Ipv4Cidr?)null : Ipv4Cidr.Parse(o.Subnet);
        if (subnet is { PrefixLength: > 30 } small)
            throw new GockerException($"invalid subnet {small}: it must leave room for a gateway and a container (at most /30)");
        if (subnet is null && (o.Gateway is not null || o.IPRange is not null))
            throw new GockerException("every ip-range or gateway must have a corresponding subnet");
        var labels = ParseLabels(o.Labels);
        var gateway = o.Gateway is null ? (Ipv4Address?)null : Ipv4Address.Parse(o.Gateway);
        var range = o.IPRange is null ? (Ipv4Cidr?)null : Ipv4Cidr.Parse(o.IPRange, "ip-range");
        if (subnet is { } s)
            CheckInside(s, gateway, range);

        Reconcile(rules: true);
        using var hostLock = HostLock.Acquire(Host.HostLockPath);
        SweepLeakedBridgesLocked();
        using var rootLock = Store.Lock();
        if (Store.TryLoad(o.Name) is not null)
            throw new GockerException($"network with name {o.Name} already exists");
        if (subnet is { } want)
        {
            if (Store.LoadAll().FirstOrDefault(n => n.SubnetCidr.Overlaps(want)) is { } other)
                throw new GockerException($"invalid pool request: Pool overlaps with other one on this address space ({want} and network {other.Name}'s {other.Subnet})");
            if (HostRoutes.Read(Host.RoutesPath).FirstOrDefault(r => r.Overlaps(want)) is { PrefixLength: > 0 } route)
                throw new GockerException($"invalid pool request: {want} overlaps the host route to {route}");
        }
        var n = Define(o.Name, subnet ?? SubnetPool.Pick(TakenSubnets(null)), gateway, range, labels, isDefault: false);
        // The definition first: a crash before the bridge exists leaves a network that its first
        // container (or `network rm`) completes; never a bridge or rules that nothing names.
        Store.Save(n);
        try
        {
            using var links = Host.Links();
            new BridgeSetup(links, Host.Iptables, Host.Sysctl, Store.Root).Up(n);
        }
        catch
        {
            Store.Delete(n.Name);
            throw;
        }
        return n;
    }

    /// <summary>The gateway inside the subnet and not its network or broadcast address; the range inside.</summary>
    private static void CheckInside(Ipv4Cidr subnet, Ipv4Address? gateway, Ipv4Cidr? range)
    {
        if (gateway is { } g && (!subnet.Contains(g) || g == subnet.Network || g == subnet.Broadcast))
            throw new GockerException($"no matching subnet for gateway {g}: it must be a host address of {subnet}");
        if (range is { } r && !subnet.Contains(r))
            throw new GockerException($"no matching subnet for range {r}: it must lie inside {subnet}");
    }

    private NetworkDefinition Define(string name, Ipv4Cidr subnet, Ipv4Address? gateway, Ipv4Cidr? range,
        Dictionary<string, string> labels, bool isDefault)
    {
        var id = ContainerId.New();
        return new NetworkDefinition
        {
            Name = name,
            Id = id,
            Created = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Subnet = subnet.ToString(),
            Gateway = (gateway ?? subnet.Network.Next).ToString(),
            IPRange = range?.ToString(),
            // gocker0 is the default root's, as docker0 is Docker's; other roots' bridges (a test's
            // temporary root, say) are named after their network's id, so they never meet.
            Bridge = isDefault && Store.Root.Path == GockerRoot.DefaultPath ? DefaultBridgeDevice : "gk-" + id[..12],
            Labels = labels,
        };
    }

    private static Dictionary<string, string> ParseLabels(IEnumerable<string> labels)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in labels)
        {
            int eq = l.IndexOf('=');
            var key = eq < 0 ? l : l[..eq];
            if (key.Length == 0)
                throw new GockerException($"invalid label '{l}': empty name");
            d[key] = eq < 0 ? "" : l[(eq + 1)..];
        }
        return d;
    }

    /// <summary>Host routes and this root's other networks (whose bridges may be down).</summary>
    private List<Ipv4Cidr> TakenSubnets(string? except) =>
        [.. HostRoutes.Read(Host.RoutesPath), .. Store.LoadAll().Where(n => n.Name != except).Select(n => n.SubnetCidr)];

    /// <summary>The bridge's index once the network's kernel objects are in place. The common case is
    /// one netlink query: the bridge is there and up. Otherwise (first use, a reboot, a crash) they
    /// are made under the host lock.</summary>
    public int EnsureUp(ref NetworkDefinition n, ILinks links)
    {
        if (links.Find(n.Bridge) is { Up: true } up)
            return up.Index;
        using var hostLock = HostLock.Acquire(Host.HostLockPath);
        if (links.Find(n.Bridge) is { Up: true } meanwhile)
            return meanwhile.Index;
        var subnet = n.SubnetCidr;
        if (HostRoutes.Read(Host.RoutesPath).FirstOrDefault(r => r.Overlaps(subnet)) is { PrefixLength: > 0 } route)
        {
            // The default network's subnet was picked when its bridge did not exist yet; if the host
            // routes into it now (another root's bridge, a VPN) and no container holds an address in
            // it, it moves: nothing depends on it yet.
            using var rootLock = Store.Lock();
            if (!n.IsDefault || Store.ReadIpam(n.Name).Entries.Count > 0)
                throw new GockerException($"network {n.Name}: its subnet {n.Subnet} overlaps the host route to {route}; remove the network or that route");
            var moved = Define(n.Name, SubnetPool.Pick(TakenSubnets(n.Name)), null, null, n.Labels, isDefault: true);
            n = new NetworkDefinition
            {
                Name = n.Name, Id = n.Id, Created = n.Created, Driver = n.Driver, Subnet = moved.Subnet,
                Gateway = moved.Gateway, Bridge = n.Bridge, Labels = n.Labels,
            };
            Store.Save(n);
        }
        return new BridgeSetup(links, Host.Iptables, Host.Sysctl, Store.Root).Up(n);
    }

    /// <summary>`network rm`: refused for the predefined networks and while any container (in any
    /// state) names the network.</summary>
    public void Remove(string nameOrId)
    {
        if (nameOrId is ContainerNetworkSettings.Host or ContainerNetworkSettings.None or NetworkDefinition.DefaultName)
            throw new GockerException($"{nameOrId} is a pre-defined network and cannot be removed", ExitCodes.CommandFailed);
        var n = Store.Resolve(nameOrId, ExitCodes.CommandFailed);
        if (n.IsDefault)
            throw new GockerException($"{n.Name} is a pre-defined network and cannot be removed", ExitCodes.CommandFailed);
        using var hostLock = HostLock.Acquire(Host.HostLockPath);
        using var rootLock = Store.Lock();
        var users = ContainersOn().Where(c => c.Network == n.Name).Select(c => c.Name).ToList();
        if (users.Count > 0)
            throw new GockerException($"error while removing network: network {n.Name} id {n.Id} is in use by container(s) {string.Join(", ", users)}",
                ExitCodes.CommandFailed);
        using (var links = Host.Links())
            new BridgeSetup(links, Host.Iptables, Host.Sysctl, Store.Root).Down(n);
        Store.Delete(n.Name);
    }

    /// <summary>`network prune`: removes every user network no container names; returns their names.</summary>
    public List<string> Prune()
    {
        SweepLeakedBridges();
        var used = ContainersOn().Select(c => c.Network).ToHashSet();
        var removed = new List<string>();
        foreach (var n in Store.LoadAll().Where(n => !n.IsDefault && !used.Contains(n.Name)))
        {
            try
            {
                Remove(n.Name);
                removed.Add(n.Name);
            }
            catch (GockerException) { /* a container joined it meanwhile */ }
        }
        return removed;
    }

    /// <summary>Every network definition, the default one made if it is not yet.</summary>
    public List<NetworkDefinition> All()
    {
        GetOrCreateDefault();
        return Store.LoadAll();
    }

    /// <summary>The containers of the root and the network each names (from config.json).</summary>
    internal List<(string Id, string Name, string Network)> ContainersOn()
    {
        using var store = new State.StateStore(Store.Root.StateDb);
        var list = new List<(string, string, string)>();
        foreach (var r in store.ReadAll().Records)
        {
            try
            {
                var c = ContainerConfig.Load(new ContainerFiles(Store.Root.ContainerDir(r.Id)).ConfigFile);
                list.Add((r.Id, r.Name, c.Network.Mode));
            }
            catch (GockerException) { /* being created or removed: no config.json */ }
        }
        return list;
    }
}
