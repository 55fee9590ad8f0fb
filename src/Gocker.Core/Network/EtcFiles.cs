using System.Text;

namespace Gocker.Core.Network;

/// <summary>The contents of a container's /etc/hosts and /etc/resolv.conf (written into its
/// directory and bind-mounted by init).</summary>
public static class EtcFiles
{
    private const string Localhost =
        "127.0.0.1\tlocalhost\n" +
        "::1\tlocalhost ip6-localhost ip6-loopback\n" +
        "fe00::0\tip6-localnet\n" +
        "ff00::0\tip6-mcastprefix\n" +
        "ff02::1\tip6-allnodes\n" +
        "ff02::2\tip6-allrouters\n";

    /// <param name="address">The container's address on its network; null without one (--network none,
    /// or not started yet), when the hostname maps to 127.0.1.1 so that it still resolves.</param>
    /// <param name="gateway">What "host-gateway" in --add-host means; null: refused.</param>
    public static string Hosts(string hostname, string name, Ipv4Address? address, IEnumerable<string> extraHosts,
        Ipv4Address? gateway = null, string? hostHosts = null)
    {
        var sb = new StringBuilder(hostHosts ?? Localhost);
        if (sb.Length > 0 && sb[^1] != '\n')
            sb.Append('\n');
        foreach (var spec in extraHosts)
        {
            var (host, ip) = ContainerNetworkSettings.ParseExtraHost(spec);
            if (ip == "host-gateway")
                ip = gateway?.ToString() ?? throw new GockerException(
                    $"--add-host {spec}: host-gateway needs a bridge network (this container has no gateway)");
            sb.Append(ip).Append('\t').Append(host).Append('\n');
        }
        if (hostHosts is not null)
            return sb.ToString(); // --network host: the host's own names
        var names = name.Length > 0 && name != hostname ? $"{hostname} {name}" : hostname;
        sb.Append(address?.ToString() ?? "127.0.1.1").Append('\t').Append(names).Append('\n');
        return sb.ToString();
    }

    /// <summary>The host's resolv.conf, with --dns, --dns-search and --dns-option replacing its
    /// nameserver, search/domain and options lines. Without the host's network, loopback nameservers
    /// are dropped (a resolver on the host's 127.0.0.x is unreachable from the container's namespace),
    /// and Google's public ones are the fallback when none is left, as Docker does.</summary>
    public static string ResolvConf(string? host, IReadOnlyList<string> dns, IReadOnlyList<string> search,
        IReadOnlyList<string> options, bool hostNetwork)
    {
        var lines = (host ?? "").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        bool Keyword(string line, params string[] keys) =>
            line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } f && keys.Contains(f[0]);
        if (dns.Count > 0)
            lines.RemoveAll(l => Keyword(l, "nameserver"));
        else if (!hostNetwork)
            lines.RemoveAll(l => IsNameserver(l, out var a) && IsLoopback(a));
        if (search.Count > 0)
            lines.RemoveAll(l => Keyword(l, "search", "domain"));
        if (options.Count > 0)
            lines.RemoveAll(l => Keyword(l, "options"));
        while (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        lines.AddRange(dns.Select(d => $"nameserver {d}"));
        if (!lines.Any(l => IsNameserver(l, out _)))
            lines.AddRange(["nameserver 8.8.8.8", "nameserver 8.8.4.4"]);
        if (search.Count > 0)
            lines.Add("search " + string.Join(' ', search));
        if (options.Count > 0)
            lines.Add("options " + string.Join(' ', options));
        return string.Join('\n', lines) + "\n";
    }

    private static bool IsNameserver(string line, out string address)
    {
        var f = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        address = f.Length >= 2 ? f[1] : "";
        return f.Length >= 2 && f[0] == "nameserver";
    }

    private static bool IsLoopback(string address) =>
        address.StartsWith("127.", StringComparison.Ordinal) || address == "::1";
}
