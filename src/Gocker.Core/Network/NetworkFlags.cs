namespace Gocker.Core.Network;

/// <summary>The networking flags of run/create as typed.</summary>
public sealed record NetworkFlags
{
    /// <summary>--network: bridge (default), none, host, or a user network's name or id.</summary>
    public string? Network { get; init; }
    public string? Ip { get; init; }
    public IReadOnlyList<string> Publish { get; init; } = [];
    public IReadOnlyList<string> AddHosts { get; init; } = [];
    public IReadOnlyList<string> Dns { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public IReadOnlyList<string> DnsOptions { get; init; } = [];
}

/// <summary>A container's networking as config.json keeps it: validated at create, applied at
/// every start.</summary>
public sealed class ContainerNetworkSettings
{
    public const string None = "none", Host = "host";

    /// <summary>bridge, none, host, or a user network's name.</summary>
    public string Mode { get; init; } = NetworkDefinition.DefaultName;
    public string? Ip { get; init; }
    public List<string> Publish { get; init; } = [];
    public List<string> AddHosts { get; init; } = [];
    public List<string> Dns { get; init; } = [];
    public List<string> DnsSearch { get; init; } = [];
    public List<string> DnsOptions { get; init; } = [];

    /// <summary>Joins a bridge network (the default one or a user network): has an address, a veth.</summary>
    public bool IsBridged => Mode is not (None or Host);
    public bool IsHost => Mode == Host;

    public List<PortRequest> PortRequests() => PortSpec.ParseAll(Publish);

    /// <summary>Checks the flags; the network itself is looked up by <paramref name="findNetwork"/>
    /// (which throws if there is none) and its name is stored. Without <paramref name="findNetwork"/>
    /// only the flags' own syntax is checked (nothing is read or made).</summary>
    public static ContainerNetworkSettings From(NetworkFlags f, Func<string, NetworkDefinition>? findNetwork)
    {
        var mode = string.IsNullOrEmpty(f.Network) ? NetworkDefinition.DefaultName : f.Network;
        if (mode.StartsWith("container:", StringComparison.Ordinal))
            throw new GockerException($"--network {mode}: joining another container's network is not supported");
        var ports = PortSpec.ParseAll(f.Publish);
        if (ports.Count > 0 && mode is None or Host)
            throw new GockerException($"conflicting options: port publishing and the {mode} network mode");
        foreach (var h in f.AddHosts)
            ParseExtraHost(h);
        foreach (var d in f.Dns)
            if (!Ipv4Address.TryParse(d, out _))
                throw new GockerException($"{d} is not an ip address (--dns)");
        Ipv4Address? ip = null;
        if (f.Ip is { Length: > 0 })
        {
            if (!Ipv4Address.TryParse(f.Ip, out var a))
                throw new GockerException($"invalid IPv4 address: {f.Ip}");
            ip = a;
        }
        if (mode is None or Host)
        {
            if (ip is not null)
                throw new GockerException("user specified IP address is supported on user defined networks only");
            return Build(mode, f);
        }
        if (findNetwork is null)
            return Build(mode, f);
        var network = findNetwork(mode);
        if (ip is { } want)
        {
            if (network.IsDefault)
                throw new GockerException("user specified IP address is supported on user defined networks only");
            var subnet = network.SubnetCidr;
            if (!subnet.Contains(want) || want == subnet.Network || want == subnet.Broadcast)
                throw new GockerException($"invalid endpoint settings: no configured subnet or ip-range contain the IP address {want}");
            if (want == network.GatewayAddress)
                throw new GockerException($"Address already in use: {want} is the gateway of network {network.Name}");
        }
        return Build(network.Name, f);
    }

    private static ContainerNetworkSettings Build(string mode, NetworkFlags f) => new()
    {
        Mode = mode,
        Ip = string.IsNullOrEmpty(f.Ip) ? null : f.Ip,
        Publish = f.Publish.ToList(),
        AddHosts = f.AddHosts.ToList(),
        Dns = f.Dns.ToList(),
        DnsSearch = f.DnsSearch.ToList(),
        DnsOptions = f.DnsOptions.ToList(),
    };

    /// <summary>--add-host NAME:IP (or NAME=IP); IP may be "host-gateway" (the network's gateway).</summary>
    public static (string Name, string Address) ParseExtraHost(string spec)
    {
        int sep = spec.IndexOfAny([':', '=']);
        var name = sep < 0 ? "" : spec[..sep];
        var address = sep < 0 ? "" : spec[(sep + 1)..];
        if (name.Length == 0 || name.Any(char.IsWhiteSpace))
            throw new GockerException($"invalid argument \"{spec}\" for \"--add-host\" flag: bad format for add-host: \"{spec}\"");
        if (address != "host-gateway" && !Ipv4Address.TryParse(address, out _))
            throw new GockerException($"invalid argument \"{spec}\" for \"--add-host\" flag: invalid IP address in add-host: \"{address}\"");
        return (name, address);
    }
}
