using Gocker.Core.Network;

namespace Gocker.Core.Tests.Network;

public class EtcFilesTests
{
    private const string Localhost =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n" +
        "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    [Fact]
    public void HostsOnABridgeMapsHostnameAndNameToTheAddress() => Assert.Equal(
        Localhost + "1.2.3.4\tdb\n172.18.0.1\thost.gocker.internal\n172.18.0.5\tweb1 web\n",
        EtcFiles.Hosts("web1", "web", Ipv4Address.Parse("172.18.0.5"), ["db:1.2.3.4", "host.gocker.internal=host-gateway"],
            Ipv4Address.Parse("172.18.0.1")));

    [Fact]
    public void HostsWithoutAnAddressKeepTheHostnameResolvable() =>
        Assert.Equal(Localhost + "127.0.1.1\tabc123\n", EtcFiles.Hosts("abc123", "abc123", null, []));

    [Fact]
    public void HostsOnTheHostNetworkAreTheHostsOwn() =>
        Assert.Equal("127.0.0.1 localhost\n10.0.0.1 db\n10.9.9.9\textra\n",
            EtcFiles.Hosts("vm", "c", null, ["extra:10.9.9.9"], null, "127.0.0.1 localhost\n10.0.0.1 db"));

    [Fact]
    public void HostGatewayNeedsABridge() =>
        Assert.Contains("host-gateway needs a bridge network", Assert.Throws<GockerException>(() => EtcFiles.Hosts("h", "n", null, ["x:host-gateway"])).Message);

    [Theory]
    [InlineData("nohost")]
    [InlineData(":1.2.3.4")]
    [InlineData("a b:1.2.3.4")]
    [InlineData("db:1.2.3")]
    [InlineData("db:")]
    public void BadAddHost(string spec) =>
        Assert.StartsWith($"invalid argument \"{spec}\" for \"--add-host\" flag", Assert.Throws<GockerException>(() => ContainerNetworkSettings.ParseExtraHost(spec)).Message);

    private const string Host = "# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n";

    [Fact]
    public void ResolvConfDropsLoopbackNameservers() => Assert.Equal(
        "# generated\nnameserver 10.0.0.2\nsearch corp.example\noptions edns0\n",
        EtcFiles.ResolvConf(Host, [], [], [], hostNetwork: false));

    [Fact]
    public void ResolvConfOnTheHostNetworkIsTheHostsOwn() =>
        Assert.Equal(Host, EtcFiles.ResolvConf(Host, [], [], [], hostNetwork: true));

    [Fact]
    public void GooglesWhenNoNameserverIsLeft() => Assert.Equal(
        "nameserver 8.8.8.8\nnameserver 8.8.4.4\n", EtcFiles.ResolvConf("nameserver 127.0.0.53\n", [], [], [], false));

    [Fact]
    public void DnsFlagsReplaceTheirLines() => Assert.Equal(
        "# generated\nnameserver 9.9.9.9\nnameserver 1.1.1.1\nsearch a.example b.example\noptions ndots:2 timeout:1\n",
        EtcFiles.ResolvConf(Host + "domain old.example\n", ["9.9.9.9", "1.1.1.1"], ["a.example", "b.example"], ["ndots:2", "timeout:1"], false));

    [Fact]
    public void NoHostFileAtAll() => Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", EtcFiles.ResolvConf(null, [], [], [], false));
}
