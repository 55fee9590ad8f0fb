using System.Text;
using Gocker.Core.Process;

namespace Gocker.Core.Network;

/// <summary>One address handed out: to which container, with which MAC and published ports, and by
/// which gocker process (the starter: while it lives, the entry is in use even before the
/// container's monitor holds its liveness lock).</summary>
public sealed record IpamEntry(Ipv4Address Address, string ContainerId, string Mac, ProcessIdentity Owner,
    IReadOnlyList<PublishedPort> Ports);

/// <summary>The addresses of one network in use, as the text file &lt;root&gt;/networks/NAME.ipam holds
/// them: one line per address, "ADDRESS CONTAINER-ID MAC OWNER-PID OWNER-START PORTS" (PORTS
/// comma-separated, "-" for none). Read, changed and rewritten under the root's network lock.</summary>
public sealed class IpamTable
{
    public List<IpamEntry> Entries { get; } = [];

    public static IpamTable Parse(string text)
    {
        var t = new IpamTable();
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
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
        foreach (var e in Entries.OrderBy(e => e.Address))
        {
            var ports = e.Ports.Count == 0 ? "-" : string.Join(',', e.Ports.Select(p => p.Format()));
            sb.Append($"{e.Address} {e.ContainerId} {e.Mac} {e.Owner.Pid} {e.Owner.StartTime} {ports}\n");
        }
        return sb.ToString();
    }

    public IpamEntry? Find(string containerId) => Entries.FirstOrDefault(e => e.ContainerId == containerId);

    public bool Remove(string containerId) => Entries.RemoveAll(e => e.ContainerId == containerId) > 0;

    /// <summary>The lowest free address of the network's range (or <paramref name="requested"/>):
    /// never the subnet's network or broadcast address, never the gateway.</summary>
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
        for (ulong i = 0; i < range.Size; i++)
        {
            var a = new Ipv4Address(range.Network.Value + (uint)i);
            if (a == subnet.Network || a == subnet.Broadcast || a == gateway || used.Contains(a))
                continue;
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
