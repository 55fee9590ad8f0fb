namespace Gocker.Core.Network;

/// <summary>The networking flags of run/create as typed.</summary>
public sealed record NetworkFlags
{
    /// <summary>--network: bridge (default), none, host, or a user network's name or id.</summary>
    public string? Network { get; init; }
    public string? Ip { get; init; }
    public IReadOnlyList<string> Publish { get; init; } = [];
    /// <summary>--expose PORT[-PORT][/PROTO]: ports that -P publishes.</summary>
    public IReadOnlyList<string> Expose { get; init; } = [];
    /// <summary>-P: every exposed port on a free host port.</summary>
    public bool PublishAll { get; init; }
    public IReadOnlyList<string> AddHosts { get; init; } = [];
    public IReadOnlyList<string> Dns { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    /// <summary>--network host: what <see cref="ContainerNetworkSettings.IsHost"/> of the validated
    /// settings says, known before validation (the monitor is spawned with it).</summary>
    public bool IsHost => Network == ContainerNetworkSettings.Host;
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
    public List<string> Expose { get; init; } = [];
    public bool PublishAll { get; init; }
    public List<string> AddHosts { get; init; } = [];
    public List<string> Dns { get; init; } = [];
    public List<string> DnsSearch { get; init; } = [];
    public List<string> DnsOptions { get; init; } = [];

    /// <summary>Joins a bridge network (the default one or a user network): has an address, a veth.</summary>
    public bool IsBridged => Mode is not (None or Host);
    public bool IsHost => Mode == Host;

    /// <summary>-p's requests, and with -P every exposed port that -p does not publish already.</summary>
    public List<PortRequest> PortRequests() => Requests(Publish, Expose, PublishAll);

    private static List<PortRequest> Requests(IEnumerable<string> publish, IEnumerable<string> expose, bool publishAll)
    {
        // Most containers publish nothing: the LINQ below would be first-run code on every `run` (0.3 ms).
        if (!publish.Any() && !expose.Any())
            return [];
        var requests = PortSpec.ParseAll(publish);
        var exposed = expose.SelectMany(ParseExpose).ToList();
        if (!publishAll)
            return requests;
        foreach (var (port, proto) in exposed)
            if (!requests.Any(r => r.ContainerPort == port && r.Protocol == proto))
                requests.Add(new PortRequest(default, 0, 0, port, proto));
        return requests;
    }

    /// <summary>--expose PORT[-PORT][/PROTO]: container ports only, no host part.</summary>
    public static IEnumerable<(int Port, string Protocol)> ParseExpose(string spec)
    {
        if (spec.Contains(':'))
            throw new GockerException($"invalid port format for --expose: {spec}");
        return PortSpec.Parse(spec).Select(r => (r.ContainerPort, r.Protocol));
    }

    /// <summary>Checks the flags; the network itself is looked up by <paramref name="findNetwork"/>
    /// (which throws if there is none) and its name is stored. Without <paramref name="findNetwork"/>
    /// only the flags' own syntax is checked (nothing is read or made).</summary>
    public static ContainerNetworkSettings From(NetworkFlags f, Func<string, NetworkDefinition>? findNetwork)
    {
        var mode = string.IsNullOrEmpty(f.Network) ? NetworkDefinition.DefaultName : f.Network;
        if (mode.StartsWith("container:", StringComparison.Ordinal))
            throw new GockerException($"--network {mode}: joining another container's network is not supported");
        var ports = Requests(f.Publish, f.Expose, f.PublishAll);
        if (ports.Count > 0 && mode is None or Host)
            throw new GockerException($"conflicting options: port publishing and the {mode} network mode");
        foreach (var h in f.AddHosts)
            if (ParseExtraHost(h).Address == "host-gateway" && mode is None or Host)
                throw new GockerException($"--add-host {h}: host-gateway is the gateway of a bridge network; the {mode} network mode has none");
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
        Expose = f.Expose.ToList(),
        PublishAll = f.PublishAll,
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
