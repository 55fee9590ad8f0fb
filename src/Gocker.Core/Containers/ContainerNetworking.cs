using Gocker.Core.Network;

namespace Gocker.Core.Containers;

/// <summary>Where the container lifecycle meets networking: the flags checked at create, the /etc
/// files, joining the network at start (<see cref="ContainerEndpoints"/>) and leaving it at the end.</summary>
public sealed class ContainerNetworking(GockerRoot root, NetworkHost? host = null)
{
    public NetworkManager Networks { get; } = new(root, host ?? NetworkHost.Real);
    public ContainerEndpoints Endpoints => new(Networks);

    /// <summary>create: the flags checked; a named network must exist (the default one is made).</summary>
    public ContainerNetworkSettings Validate(NetworkFlags flags) => ContainerNetworkSettings.From(flags, Networks.Find);

    /// <summary>Docker's default hostname: the short id, or the host's own with --network host.</summary>
    public static string DefaultHostname(ContainerNetworkSettings s, string id) =>
        s.IsHost ? File.ReadAllText("/proc/sys/kernel/hostname").Trim() : ContainerId.Short(id);

    /// <summary>/etc/hosts and /etc/resolv.conf for create. A bridged container's address is known only
    /// at start, which rewrites /etc/hosts (<see cref="HostsAtStart"/>).</summary>
    public static (string Hosts, string ResolvConf) EtcFiles(ContainerNetworkSettings s, string hostname, string name)
    {
        string? hostHosts = s.IsHost ? ReadOrNull("/etc/hosts") : null;
        var hosts = EtcFilesFor(s, hostname, name, null, null, hostHosts);
        var resolv = Network.EtcFiles.ResolvConf(ReadOrNull("/etc/resolv.conf"), s.Dns, s.DnsSearch, s.DnsOptions, s.IsHost);
        return (hosts, resolv);
    }

    /// <summary>/etc/hosts once the address is known: it maps the hostname and the name to it.</summary>
    public static string HostsAtStart(ContainerConfig c, Endpoint e) =>
        EtcFilesFor(c.Network, c.Hostname, c.Name, e.Address, e.Gateway, null);

    private static string EtcFilesFor(ContainerNetworkSettings s, string hostname, string name, Ipv4Address? address,
        Ipv4Address? gateway, string? hostHosts)
    {
        // host-gateway is known only once the network is: at create, a placeholder check only.
        var extra = gateway is null ? s.AddHosts.Where(h => !h.EndsWith("host-gateway", StringComparison.Ordinal)) : s.AddHosts;
        return Network.EtcFiles.Hosts(hostname, name, address, extra, gateway, hostHosts);
    }

    private static string? ReadOrNull(string path)
    {
        try { return SmallFile.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Leaves the network (the address, the ports' rules); never throws: an exit or a removal
    /// must be recorded whatever iptables says, and what is left is reconciled later.</summary>
    public void Release(ContainerConfig c)
    {
        if (!c.Network.IsBridged)
            return;
        try { Endpoints.Release(c.Id, c.Network); }
        catch (Exception e) when (e is GockerException or IOException) { }
    }
}

/// <summary>`gocker port CONTAINER [PORT[/PROTO]]`.</summary>
public static class ContainerPortListing
{
    /// <summary>Docker's lines: "80/tcp -> 0.0.0.0:18080" for every binding, or with a port only
    /// "0.0.0.0:18080". A stopped container has none.</summary>
    public static List<string> Lines(GockerRoot root, string idOrName, string? port)
    {
        using var store = new State.StateStore(root.StateDb);
        var r = ContainerQueries.Observed(store, State.StateStore.Resolve(store.ReadAll().Records, idOrName));
        var config = ContainerConfig.Load(new ContainerFiles(root.ContainerDir(r.Id)).ConfigFile);
        var ports = StatusRules.IsRunning(r.Status) && new ContainerNetworking(root).Endpoints.Find(r.Id, config.Network) is { } e
            ? e.Ports.OrderBy(p => p.ContainerPort).ThenBy(p => p.Protocol, StringComparer.Ordinal).ToList()
            : [];
        if (port is null)
            return ports.Select(p => $"{p.ContainerKey} -> {p.HostIp}:{p.HostPort}").ToList();
        var key = port.Contains('/') ? port : port + "/tcp";
        var lines = ports.Where(p => p.ContainerKey == key).Select(p => $"{p.HostIp}:{p.HostPort}").ToList();
        if (lines.Count == 0)
            throw new GockerException($"No public port '{key}' published for {idOrName}", ExitCodes.CommandFailed);
        return lines;
    }
}
