using System.Globalization;

namespace Gocker.Core.Network;

/// <summary>The host's IPv4 routes (/proc/net/route: the main table of this network namespace), for
/// keeping gocker's subnets clear of every network the host already reaches.</summary>
public static class HostRoutes
{
    public const string ProcPath = "/proc/net/route";

    /// <summary>Every destination but the default route (which overlaps everything by definition).</summary>
    public static List<Ipv4Cidr> Read(string path = ProcPath) => Parse(File.ReadAllText(path));

    public static List<Ipv4Cidr> Parse(string text)
    {
        var routes = new List<Ipv4Cidr>();
        foreach (var line in text.Split('\n').Skip(1))
        {
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...; addresses are the raw
            // 32-bit value in host byte order (little-endian here), printed as hex.
            var f = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8 || !uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var dst) ||
                !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask))
                continue;
            var dstHost = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(dst);
            var maskHost = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mask);
            int prefix = System.Numerics.BitOperations.PopCount(maskHost);
            if (prefix == 0)
                continue;
            routes.Add(new Ipv4Cidr(new Ipv4Address(dstHost & Ipv4Cidr.MaskOf(prefix)), prefix));
        }
        return routes;
    }
}

/// <summary>Where subnets come from when --subnet is not given: Docker's default pools (172.17-31.0.0/16,
/// then 192.168.0.0/16 in /20 blocks), the first block that overlaps nothing taken.</summary>
public static class SubnetPool
{
    public static IEnumerable<Ipv4Cidr> Candidates()
    {
        for (uint b = 17; b <= 31; b++)
            yield return new Ipv4Cidr(new Ipv4Address((172u << 24) | (b << 16)), 16);
        for (uint c = 0; c < 256; c += 16)
            yield return new Ipv4Cidr(new Ipv4Address((192u << 24) | (168u << 16) | (c << 8)), 20);
    }

    public static Ipv4Cidr Pick(IReadOnlyCollection<Ipv4Cidr> taken) =>
        Candidates().FirstOrDefault(c => !taken.Any(t => t.Overlaps(c)), default) is { PrefixLength: > 0 } free
            ? free
            : throw new GockerException("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
}
