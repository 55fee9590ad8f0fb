using System.Text;
using Gocker.Core.Process;

namespace Gocker.Core.Network;

/// <summary>One address handed out: to which container, with which MAC and published ports, and by
/// which gocker process (the starter: while it lives, the entry is in use even before the
/// container's monitor holds its liveness lock).</summary>
public sealed record IpamEntry(Ipv4Address Address, string ContainerId, string Mac, ProcessIdentity Owner,
    IReadOnlyList<PublishedPort> Ports);

/// <summary>The addresses of one network in use, as the text file &lt;root&gt;/networks/NAME.ipam holds
/// them: "last ADDRESS" (the address handed out last), then one line per address in use,
/// "ADDRESS CONTAINER-ID MAC OWNER-PID OWNER-START PORTS" (PORTS comma-separated, "-" for none). Read,
/// changed and rewritten under the root's network lock.</summary>
public sealed class IpamTable
{
    public List<IpamEntry> Entries { get; } = [];

    /// <summary>Where the next search starts (after it): a released address is not handed out again
    /// until the range wraps, as Docker does. Its MAC (derived from it) may still be in a neighbour's
    /// ARP cache and the bridge's forwarding table, pointing at the old container's veth, which the
    /// kernel removes only when it tears the old network namespace down, asynchronously.</summary>
    public Ipv4Address? Last { get; set; }

    public static IpamTable Parse(string text)
    {
        var t = new IpamTable();
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 2 && f[0] == "last" && Ipv4Address.TryParse(f[1], out var last))
                t.Last = last;
            if (f.Length != 6 || !Ipv4Address.TryParse(f[0], out var address))
                continue; // a line cut by a crash cannot be: the file is renamed into place whole
            var ports = f[5] == "-" ? [] : f[5].Split(',').Select(PublishedPort.Parse).ToList();
            t.Entries.Add(new IpamEntry(address, f[1], f[2],
                new ProcessIdentity(int.Parse(f[3]), ulong.Parse(f[4])), ports));
        }
        return t;
    }

    public string Format()
    {
        var sb = new StringBuilder();
        if (Last is { } last)
            sb.Append($"last {last}\n");
        foreach (var e in Entries.OrderBy(e => e.Address))
        {
            var ports = e.Ports.Count == 0 ? "-" : string.Join(',', e.Ports.Select(p => p.Format()));
            sb.Append($"{e.Address} {e.ContainerId} {e.Mac} {e.Owner.Pid} {e.Owner.StartTime} {ports}\n");
        }
        return sb.ToString();
    }

    public IpamEntry? Find(string containerId) => Entries.FirstOrDefault(e => e.ContainerId == containerId);

    public bool Remove(string containerId) => Entries.RemoveAll(e => e.ContainerId == containerId) > 0;

    /// <summary>The next free address of the network's range after <see cref="Last"/>, wrapping (or
    /// <paramref name="requested"/>): never the subnet's network or broadcast address, never the
    /// gateway. Sets <see cref="Last"/>.</summary>
    public Ipv4Address Allocate(NetworkDefinition network, Ipv4Address? requested)
    {
        var subnet = network.SubnetCidr;
        var gateway = network.GatewayAddress;
        var used = Entries.Select(e => e.Address).ToHashSet();
        if (requested is { } want)
        {
            if (!subnet.Contains(want) || want == subnet.Network || want == subnet.Broadcast)
                throw new GockerException($"invalid address {want}: it is not a usable address of {subnet}");
            if (want == gateway || used.Contains(want))
                throw new GockerException($"Address already in use: {want}");
            return want;
        }
        var range = network.RangeCidr ?? subnet;
        ulong start = Last is { } l && range.Contains(l) ? l.Value - range.Network.Value + 1 : 0;
        for (ulong i = 0; i < range.Size; i++)
        {
            var a = new Ipv4Address(range.Network.Value + (uint)((start + i) % range.Size));
            if (a == subnet.Network || a == subnet.Broadcast || a == gateway || used.Contains(a))
                continue;
            Last = a;
            return a;
        }
        throw new GockerException($"no available IPv4 addresses on network {network.Name} ({range})");
    }

    /// <summary>Docker's MAC for an address: 02:42 (locally administered) and the address's 4 bytes,
    /// unique wherever the address is.</summary>
    public static byte[] MacFor(Ipv4Address address) => [0x02, 0x42, .. address.ToBytes()];

    public static string FormatMac(ReadOnlySpan<byte> mac) => Convert.ToHexString(mac).ToLowerInvariant()
        .Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);
}
