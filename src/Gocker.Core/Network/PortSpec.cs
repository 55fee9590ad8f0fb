using System.Globalization;

namespace Gocker.Core.Network;

/// <summary>One -p request for one container port: the host address (0.0.0.0: every address), and the
/// host port or the range to pick it from (0-0: any free port of the ephemeral range).</summary>
public sealed record PortRequest(Ipv4Address HostIp, int HostPortFirst, int HostPortLast, int ContainerPort, string Protocol)
{
    public bool PicksHostPort => HostPortFirst != HostPortLast || HostPortFirst == 0;
}

/// <summary>
/// Docker's -p/--publish forms, IPv4 only:
/// <code>
/// CPORT[/PROTO]                       any free host port            80, 80/udp
/// CPORT-CPORT[/PROTO]                 a range, any free host ports  80-81
/// HPORT:CPORT[/PROTO]                                               8080:80
/// HPORT-HPORT:CPORT-CPORT[/PROTO]     ranges of equal length        8080-8081:80-81
/// HPORT-HPORT:CPORT[/PROTO]           one host port from the range  8080-8090:80
/// IP:HPORT:CPORT[/PROTO], IP::CPORT   bound to one host address     127.0.0.1:8080:80, 127.0.0.1::80
/// </code>
/// PROTO is tcp (default) or udp. Ports are 1-65535.
/// </summary>
public static class PortSpec
{
    public static List<PortRequest> Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new GockerException("invalid publish spec: empty");
        var rest = spec;
        var proto = "tcp";
        int slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            proto = rest[(slash + 1)..].ToLowerInvariant();
            rest = rest[..slash];
            if (proto is not ("tcp" or "udp"))
                throw new GockerException($"invalid proto: {spec[(slash + 1)..]} (in -p {spec}: tcp or udp)");
        }
        if (rest.StartsWith('['))
            throw new GockerException($"invalid publish spec {spec}: IPv6 host addresses are not supported");
        var parts = rest.Split(':');
        string ip = "", host = "", container;
        switch (parts.Length)
        {
            case 1: container = parts[0]; break;
            case 2: host = parts[0]; container = parts[1]; break;
            case 3: ip = parts[0]; host = parts[1]; container = parts[2]; break;
            default: throw new GockerException($"invalid publish spec: {spec}");
        }
        var hostIp = default(Ipv4Address);
        if (ip.Length > 0 && !Ipv4Address.TryParse(ip, out hostIp))
            throw new GockerException($"invalid IP address: {ip} (in -p {spec})");
        if (container.Length == 0)
            throw new GockerException($"no port specified: {spec}<empty>");
        var (cFirst, cLast) = Range(container, "containerPort", spec);
        if (host.Length == 0)
            return Enumerable.Range(cFirst, cLast - cFirst + 1).Select(p => new PortRequest(hostIp, 0, 0, p, proto)).ToList();
        var (hFirst, hLast) = Range(host, "hostPort", spec);
        int cCount = cLast - cFirst + 1, hCount = hLast - hFirst + 1;
        if (cCount == 1 && hCount > 1)
            return [new PortRequest(hostIp, hFirst, hLast, cFirst, proto)];
        if (cCount != hCount)
            throw new GockerException($"invalid ranges specified for container and host Ports: {container} and {host}");
        return Enumerable.Range(0, cCount).Select(i => new PortRequest(hostIp, hFirst + i, hFirst + i, cFirst + i, proto)).ToList();
    }

    /// <summary>Every request of several specs; explicit host ports must not repeat among them.</summary>
    public static List<PortRequest> ParseAll(IEnumerable<string> specs)
    {
        var all = specs.SelectMany(Parse).ToList();
        var fixedPorts = all.Where(r => !r.PicksHostPort).ToList();
        for (int i = 0; i < fixedPorts.Count; i++)
            for (int j = 0; j < i; j++)
                if (new PublishedPort(fixedPorts[j].HostIp, fixedPorts[j].HostPortFirst, 0, fixedPorts[j].Protocol)
                    .ClashesWith(fixedPorts[i].HostIp, fixedPorts[i].HostPortFirst, fixedPorts[i].Protocol))
                    throw new GockerException($"Bind for {fixedPorts[i].HostIp}:{fixedPorts[i].HostPortFirst} failed: port is already allocated");
        return all;
    }

    private static (int First, int Last) Range(string text, string what, string spec)
    {
        int dash = text.Length > 1 ? text.IndexOf('-', 1) : -1;
        int first = Port(dash < 0 ? text : text[..dash], what, spec);
        int last = dash < 0 ? first : Port(text[(dash + 1)..], what, spec);
        if (last < first)
            throw new GockerException($"invalid {what}: {text} (the range ends before it starts, in -p {spec})");
        return (first, last);
    }

    private static int Port(string text, string what, string spec)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || text.Length > 5)
            throw new GockerException($"invalid {what}: {text} (in -p {spec})");
        if (p is < 1 or > 65535)
            throw new GockerException($"invalid {what}: {text} (ports are 1-65535, in -p {spec})");
        return p;
    }
}
