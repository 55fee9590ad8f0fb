namespace Gocker.Core.Network.Iptables;

/// <summary>
/// The rules gocker installs, all in chains of its own that the builtin chains jump to:
/// <code>
/// filter FORWARD     -j GOCKER-FORWARD       per network: accept from its bridge; accept to its
///                                            bridge what is a reply or was DNATed (published ports),
///                                            so containers work where the FORWARD policy is DROP
/// filter INPUT       -j GOCKER-INPUT         per network: drop new connections to 127.0.0.0/8 arriving
///                                            from its bridge (route_localnet must not open the host's
///                                            loopback services to containers)
/// nat    POSTROUTING -j GOCKER-POSTROUTING   per network: MASQUERADE its subnet going anywhere but its
///                                            bridge; MASQUERADE 127.0.0.0/8 going to its bridge (DNAT
///                                            from the host's own 127.0.0.1)
/// nat    PREROUTING  -m addrtype --dst-type LOCAL -j GOCKER-DNAT   per published port: DNAT
/// nat    OUTPUT      -m addrtype --dst-type LOCAL -j GOCKER-DNAT   the same for the host's own traffic
/// </code>
/// Every rule in those chains carries "-m comment --comment gocker:ROOTTAG:OWNER" (OWNER n-NETID12 for a
/// network's rules, c-CONTAINERID12 for a container's ports), so that removal deletes exactly the rules of
/// one network, one container or one root, whatever other roots on the host have installed. The chains
/// and the jumps are shared by every root and stay (like Docker's).
/// </summary>
public static class GockerRules
{
    public const string Filter = "filter", Nat = "nat";
    public const string Forward = "GOCKER-FORWARD", Input = "GOCKER-INPUT", Postrouting = "GOCKER-POSTROUTING", Dnat = "GOCKER-DNAT";

    public static string Comment(string rootTag, string owner) => $"gocker:{rootTag}:{owner}";
    public static string RootPrefix(string rootTag) => $"gocker:{rootTag}:";

    /// <summary>gocker's chains and the jumps into them, as (table, builtin chain, jump spec).</summary>
    private static readonly (string Table, string Chain, string From, string[] Match)[] Jumps =
    [
        (Filter, Forward, "FORWARD", []),
        (Filter, Input, "INPUT", []),
        (Nat, Postrouting, "POSTROUTING", []),
        (Nat, Dnat, "PREROUTING", ["-m", "addrtype", "--dst-type", "LOCAL"]),
        (Nat, Dnat, "OUTPUT", ["-m", "addrtype", "--dst-type", "LOCAL"]),
    ];

    /// <summary>Adds to <paramref name="batch"/> the chains and jumps that the dump lacks. A jump goes
    /// first in its builtin chain, ahead of anything that would drop the traffic.</summary>
    public static void EnsureChains(IptablesDump dump, IptablesBatch batch)
    {
        var created = new HashSet<(string, string)>();
        foreach (var (table, chain, from, match) in Jumps)
        {
            if (!dump.HasChain(table, chain) && created.Add((table, chain)))
                batch.Add(table, $"-N {chain}");
            if (!dump.In(table, from).Any(r => IptablesDump.Tokenize(r.Line) is var t && t[^1] == chain && t[^2] == "-j"))
                batch.Add(table, string.Join(' ', ["-I", from, "1", .. match, "-m", "comment", "--comment", "gocker", "-j", chain]));
        }
    }

    /// <summary>A network's rules (see the class comment).</summary>
    public static List<IptablesRule> NetworkRules(string bridge, Ipv4Cidr subnet, string comment) =>
    [
        new(Filter, Forward, ["-i", bridge, "-m", "comment", "--comment", comment, "-j", "ACCEPT"]),
        new(Filter, Forward, ["-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT", "-m", "comment", "--comment", comment, "-j", "ACCEPT"]),
        // Not replies: a host connection to a published port on 127.0.0.1 gets its replies from the
        // bridge, and conntrack has turned their destination back into 127.0.0.1 before INPUT.
        new(Filter, Input, ["-i", bridge, "-d", "127.0.0.0/8", "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED", "-m", "comment", "--comment", comment, "-j", "DROP"]),
        new(Nat, Postrouting, ["-s", subnet.ToString(), "!", "-o", bridge, "-m", "comment", "--comment", comment, "-j", "MASQUERADE"]),
        new(Nat, Postrouting, ["-s", "127.0.0.0/8", "-o", bridge, "-m", "comment", "--comment", comment, "-j", "MASQUERADE"]),
    ];

    /// <summary>One DNAT rule per published port.</summary>
    public static List<IptablesRule> PortRules(IEnumerable<PublishedPort> ports, Ipv4Address container, string comment) =>
        ports.Select(p => new IptablesRule(Nat, Dnat,
        [
            .. p.HostIp.IsUnspecified ? Array.Empty<string>() : ["-d", $"{p.HostIp}/32"],
            "-p", p.Protocol, "-m", p.Protocol, "--dport", p.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-m", "comment", "--comment", comment,
            "-j", "DNAT", "--to-destination", $"{container}:{p.ContainerPort}",
        ])).ToList();

    /// <summary>Deletes every rule in gocker's chains whose comment <paramref name="select"/> picks.</summary>
    public static int DeleteWhere(IptablesDump dump, IptablesBatch batch, Func<string, bool> select)
    {
        int n = 0;
        foreach (var r in dump.Rules)
        {
            if (r.Comment is null || !IsGockerChain(r.Chain) || !select(r.Comment))
                continue;
            batch.Add(r.Table, r.DeleteLine);
            n++;
        }
        return n;
    }

    /// <summary>From a fresh dump, deletes every rule in gocker's chains with exactly this comment: one
    /// iptables-restore, none when there is nothing to delete.</summary>
    public static void DeleteByComment(IIptables iptables, string comment)
    {
        var batch = new IptablesBatch();
        if (DeleteWhere(IptablesDump.Parse(iptables.Save()), batch, c => c == comment) > 0)
            iptables.Restore(batch.ToRestoreInput());
    }

    public static bool IsGockerChain(string chain) => chain is Forward or Input or Postrouting or Dnat;

    /// <summary>The host ports that gocker's DNAT rules hold, of every root on the host, with the rule
    /// that holds each.</summary>
    public static List<(PublishedPort Port, SavedRule Rule)> PublishedPorts(IptablesDump dump)
    {
        var list = new List<(PublishedPort, SavedRule)>();
        foreach (var r in dump.In(Nat, Dnat))
        {
            var t = IptablesDump.Tokenize(r.Line);
            string? Opt(string name) { int i = t.IndexOf(name); return i >= 0 && i + 1 < t.Count ? t[i + 1] : null; }
            if (!int.TryParse(Opt("--dport"), out var port) || Opt("-p") is not { } proto)
                continue;
            var dst = Opt("-d");
            var ip = dst is null ? default : Ipv4Address.TryParse(dst.Split('/')[0], out var a) ? a : default;
            var to = Opt("--to-destination")?.Split(':');
            int cport = to is { Length: 2 } && int.TryParse(to[1], out var cp) ? cp : 0;
            list.Add((new PublishedPort(ip, port, cport, proto), r));
        }
        return list;
    }
}
