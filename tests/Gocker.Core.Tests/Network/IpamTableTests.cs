using Gocker.Core.Network;
using Gocker.Core.Process;

namespace Gocker.Core.Tests.Network;

public class IpamTableTests
{
    private static NetworkDefinition Net(string subnet, string gateway, string? range = null) => new()
    {
        Name = "n", Id = new string('a', 64), Subnet = subnet, Gateway = gateway, IPRange = range, Bridge = "gk-aaaaaaaaaaaa",
    };

    private static readonly ProcessIdentity Me = new(42, 4242);

    private static IpamEntry Take(IpamTable t, NetworkDefinition n, string id, string? want = null)
    {
        var a = t.Allocate(n, want is null ? null : Ipv4Address.Parse(want));
        var e = new IpamEntry(a, id, IpamTable.FormatMac(IpamTable.MacFor(a)), Me, []);
        t.Entries.Add(e);
        return e;
    }

    [Fact]
    public void NeverTheNetworkTheGatewayOrTheBroadcastAddress()
    {
        // A /29 has 8 addresses: .0 network, .1 gateway, .7 broadcast: 5 for containers.
        var n = Net("10.9.0.0/29", "10.9.0.1");
        var t = new IpamTable();
        var got = Enumerable.Range(0, 5).Select(i => Take(t, n, $"c{i}").Address.ToString()).ToList();
        Assert.Equal(["10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"], got);
        var e = Assert.Throws<GockerException>(() => t.Allocate(n, null));
        Assert.Equal("no available IPv4 addresses on network n (10.9.0.0/29)", e.Message);
    }

    [Fact]
    public void AGatewayInTheMiddleIsSkipped()
    {
        var n = Net("10.9.0.0/29", "10.9.0.3");
        var t = new IpamTable();
        Assert.Equal(["10.9.0.1", "10.9.0.2", "10.9.0.4"], Enumerable.Range(0, 3).Select(i => Take(t, n, $"c{i}").Address.ToString()));
    }

    [Fact]
    public void ReleasedAddressesComeBackOnlyAfterTheRangeWraps()
    {
        var n = Net("10.9.0.0/29", "10.9.0.1");
        var t = new IpamTable();
        Take(t, n, "a");
        Take(t, n, "b");
        Assert.True(t.Remove("a"));
        Assert.False(t.Remove("a"));
        Assert.Equal("10.9.0.4", Take(t, n, "c").Address.ToString()); // not .2 again at once
        Take(t, n, "d");
        Take(t, n, "e");
        Assert.Equal("10.9.0.2", Take(t, n, "f").Address.ToString()); // wrapped
    }

    [Fact]
    public void IpRangeLimitsTheAddresses()
    {
        var n = Net("10.9.0.0/24", "10.9.0.1", "10.9.0.128/30");
        var t = new IpamTable();
        Assert.Equal(["10.9.0.128", "10.9.0.129", "10.9.0.130", "10.9.0.131"],
            Enumerable.Range(0, 4).Select(i => Take(t, n, $"c{i}").Address.ToString()));
        Assert.Throws<GockerException>(() => t.Allocate(n, null));
    }

    [Fact]
    public void RequestedAddress()
    {
        var n = Net("10.9.0.0/24", "10.9.0.1");
        var t = new IpamTable();
        Assert.Equal("10.9.0.50", Take(t, n, "a", "10.9.0.50").Address.ToString());
        Assert.Equal("Address already in use: 10.9.0.50", Assert.Throws<GockerException>(() => t.Allocate(n, Ipv4Address.Parse("10.9.0.50"))).Message);
        Assert.Equal("Address already in use: 10.9.0.1", Assert.Throws<GockerException>(() => t.Allocate(n, Ipv4Address.Parse("10.9.0.1"))).Message);
        Assert.Contains("not a usable address", Assert.Throws<GockerException>(() => t.Allocate(n, Ipv4Address.Parse("10.9.0.255"))).Message);
        Assert.Contains("not a usable address", Assert.Throws<GockerException>(() => t.Allocate(n, Ipv4Address.Parse("10.9.1.5"))).Message);
        Assert.Equal("10.9.0.2", Take(t, n, "b").Address.ToString());
    }

    [Fact]
    public void FileRoundTrips()
    {
        var n = Net("10.9.0.0/24", "10.9.0.1");
        var t = new IpamTable();
        Take(t, n, new string('1', 64));
        t.Entries.Add(new IpamEntry(Ipv4Address.Parse("10.9.0.9"), new string('2', 64), "02:42:0a:09:00:09", new ProcessIdentity(7, 77),
            [new PublishedPort(default, 18080, 80, "tcp"), new PublishedPort(Ipv4Address.Parse("127.0.0.1"), 5353, 53, "udp")]));
        var text = t.Format();
        Assert.Equal("last 10.9.0.2\n" +
            $"10.9.0.2 {new string('1', 64)} 02:42:0a:09:00:02 42 4242 -\n" +
            $"10.9.0.9 {new string('2', 64)} 02:42:0a:09:00:09 7 77 0.0.0.0:18080:80/tcp,127.0.0.1:5353:53/udp\n", text);
        var back = IpamTable.Parse(text);
        Assert.Equal(text, back.Format());
        Assert.Equal(2, back.Find(new string('2', 64))!.Ports.Count);
        Assert.Equal(Ipv4Address.Parse("10.9.0.2"), back.Last);
    }

    [Fact]
    public void MacIsDockers() => Assert.Equal("02:42:ac:11:00:02", IpamTable.FormatMac(IpamTable.MacFor(Ipv4Address.Parse("172.17.0.2"))));
}
