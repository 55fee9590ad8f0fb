using Gocker.Core.Network;

namespace Gocker.Core.Tests.Network;

public class Ipv4AddressTests
{
    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("10.0.0.1", 0x0A000001u)]
    [InlineData("172.17.255.254", 0xAC11FFFEu)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    public void ParsesDottedQuads(string text, uint value)
    {
        Assert.Equal(value, Ipv4Address.Parse(text).Value);
        Assert.Equal(text, Ipv4Address.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.1")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.1.2")]
    [InlineData("256.0.0.1")]
    [InlineData("010.0.0.1")]   // octal to inet_aton: refused, not guessed
    [InlineData("10.0.0.-1")]
    [InlineData("10.0.0.1 ")]
    [InlineData("a.b.c.d")]
    [InlineData("10..0.1")]
    [InlineData("::1")]
    public void RefusesEverythingElse(string text)
    {
        Assert.False(Ipv4Address.TryParse(text, out _));
        var e = Assert.Throws<GockerException>(() => Ipv4Address.Parse(text));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void BytesAreNetworkOrder()
    {
        Assert.Equal(new byte[] { 172, 17, 0, 2 }, Ipv4Address.Parse("172.17.0.2").ToBytes());
        Assert.Equal("172.17.0.2", Ipv4Address.FromBytes([172, 17, 0, 2]).ToString());
    }
}

public class Ipv4CidrTests
{
    [Theory]
    [InlineData("172.17.0.0/16", "172.17.0.0", 16, "172.17.255.255")]
    [InlineData("10.1.2.0/24", "10.1.2.0", 24, "10.1.2.255")]
    [InlineData("10.1.2.4/30", "10.1.2.4", 30, "10.1.2.7")]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0, "255.255.255.255")]
    [InlineData("10.1.2.3/32", "10.1.2.3", 32, "10.1.2.3")]
    public void Parses(string text, string network, int prefix, string broadcast)
    {
        var c = Ipv4Cidr.Parse(text);
        Assert.Equal(network, c.Network.ToString());
        Assert.Equal(prefix, c.PrefixLength);
        Assert.Equal(broadcast, c.Broadcast.ToString());
        Assert.Equal(text, c.ToString());
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/016")]
    [InlineData("10.0.0/16")]
    [InlineData("bad")]
    [InlineData("10.0.0.0/16/1")]
    public void RefusesBadCidrs(string text) =>
        Assert.Equal($"invalid CIDR address: {text}", Assert.Throws<GockerException>(() => Ipv4Cidr.Parse(text)).Message);

    [Fact]
    public void HostBitsSetSaysWhichNetworkWasMeant() =>
        Assert.Equal("invalid subnet 10.1.2.3/16: it should be 10.1.0.0/16",
            Assert.Throws<GockerException>(() => Ipv4Cidr.Parse("10.1.2.3/16")).Message);

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", true)]
    [InlineData("10.1.0.0/16", "10.0.0.0/8", true)]
    [InlineData("10.1.0.0/16", "10.1.0.0/16", true)]
    [InlineData("10.1.0.0/16", "10.2.0.0/16", false)]
    [InlineData("172.17.0.0/16", "172.16.0.0/16", false)]
    [InlineData("192.168.0.0/20", "192.168.16.0/20", false)]
    [InlineData("192.168.0.0/20", "192.168.15.0/24", true)]
    [InlineData("0.0.0.0/0", "1.2.3.4/32", true)]
    public void Overlap(string a, string b, bool overlaps)
    {
        Assert.Equal(overlaps, Ipv4Cidr.Parse(a).Overlaps(Ipv4Cidr.Parse(b)));
        Assert.Equal(overlaps, Ipv4Cidr.Parse(b).Overlaps(Ipv4Cidr.Parse(a)));
    }

    [Fact]
    public void Contains()
    {
        var c = Ipv4Cidr.Parse("10.5.0.0/16");
        Assert.True(c.Contains(Ipv4Address.Parse("10.5.255.255")));
        Assert.False(c.Contains(Ipv4Address.Parse("10.6.0.0")));
        Assert.True(c.Contains(Ipv4Cidr.Parse("10.5.3.0/24")));
        Assert.False(c.Contains(Ipv4Cidr.Parse("10.4.0.0/15")));
    }
}

public class HostRoutesTests
{
    [Fact]
    public void ReadsDestinationsAndSkipsTheDefaultRoute()
    {
        var text = FakeNetworkHost.Routes(("eth0", "0.0.0.0", "0.0.0.0"), ("eth0", "192.0.2.0", "255.255.255.0"),
            ("docker0", "172.17.0.0", "255.255.0.0"), ("tun0", "10.8.0.1", "255.255.255.255"));
        Assert.Equal(["192.0.2.0/24", "172.17.0.0/16", "10.8.0.1/32"], HostRoutes.Parse(text).Select(r => r.ToString()));
    }

    [Fact]
    public void ParsesTheKernelsOwnText()
    {
        // /proc/net/route as this VM printed it: little-endian hex, tab separated, trailing spaces.
        const string text = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT                                                       \n" +
            "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0                                                                               \n" +
            "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                                                                               \n";
        Assert.Equal(["192.0.2.0/24"], HostRoutes.Parse(text).Select(r => r.ToString()));
    }
}

public class SubnetPoolTests
{
    [Fact]
    public void FirstFreeDefaultPool()
    {
        Assert.Equal("172.17.0.0/16", SubnetPool.Pick([]).ToString());
        Assert.Equal("172.18.0.0/16", SubnetPool.Pick([Ipv4Cidr.Parse("172.17.0.0/16")]).ToString());
        // A host route anywhere inside a pool rules the pool out.
        Assert.Equal("172.19.0.0/16", SubnetPool.Pick([Ipv4Cidr.Parse("172.17.5.0/24"), Ipv4Cidr.Parse("172.18.0.1/32")]).ToString());
    }

    [Fact]
    public void AfterThe172PoolsThe192168Blocks()
    {
        Assert.Equal("192.168.16.0/20", SubnetPool.Pick([Ipv4Cidr.Parse("172.16.0.0/12"), Ipv4Cidr.Parse("192.168.0.0/24")]).ToString());
    }

    [Fact]
    public void ExhaustedIsAnError() =>
        Assert.Contains("non-overlapping", Assert.Throws<GockerException>(() => SubnetPool.Pick([Ipv4Cidr.Parse("0.0.0.0/1"), Ipv4Cidr.Parse("128.0.0.0/1")])).Message);
}
