using Gocker.Core.Network;

namespace Gocker.Core.Tests.Network;

public class NetworkSettingsTests
{
    private static readonly NetworkDefinition Default = new() { Name = "bridge", Id = new string('b', 64), Subnet = "172.17.0.0/16", Gateway = "172.17.0.1", Bridge = "gocker0" };
    private static readonly NetworkDefinition User = new() { Name = "mynet", Id = new string('c', 64), Subnet = "10.70.0.0/24", Gateway = "10.70.0.1", Bridge = "gk-cccccccccccc" };

    private static NetworkDefinition Find(string name) => name switch
    {
        "bridge" => Default,
        "mynet" or "cccc" => User,
        _ => throw new GockerException($"network {name} not found"),
    };

    private static ContainerNetworkSettings From(NetworkFlags f) => ContainerNetworkSettings.From(f, Find);

    [Fact]
    public void DefaultIsTheBridgeNetwork()
    {
        var s = From(new NetworkFlags());
        Assert.Equal("bridge", s.Mode);
        Assert.True(s.IsBridged);
    }

    [Fact]
    public void AnIdPrefixIsStoredAsTheNetworksName() => Assert.Equal("mynet", From(new NetworkFlags { Network = "cccc" }).Mode);

    [Theory]
    [InlineData("none", false, false)]
    [InlineData("host", false, true)]
    [InlineData("mynet", true, false)]
    public void Modes(string mode, bool bridged, bool host)
    {
        var s = From(new NetworkFlags { Network = mode });
        Assert.Equal((bridged, host), (s.IsBridged, s.IsHost));
    }

    [Theory]
    [InlineData(null, "10.70.0.5", "user specified IP address is supported on user defined networks only")]
    [InlineData("bridge", "172.17.0.5", "user specified IP address is supported on user defined networks only")]
    [InlineData("host", "10.70.0.5", "user specified IP address is supported on user defined networks only")]
    [InlineData("none", "10.70.0.5", "user specified IP address is supported on user defined networks only")]
    [InlineData("mynet", "10.71.0.5", "invalid endpoint settings: no configured subnet or ip-range contain the IP address 10.71.0.5")]
    [InlineData("mynet", "10.70.0.255", "invalid endpoint settings: no configured subnet or ip-range contain the IP address 10.70.0.255")]
    [InlineData("mynet", "10.70.0.1", "Address already in use: 10.70.0.1 is the gateway of network mynet")]
    [InlineData("mynet", "10.70.0", "invalid IPv4 address: 10.70.0")]
    [InlineData("nosuch", null, "network nosuch not found")]
    [InlineData("container:abc", null, "--network container:abc: joining another container's network is not supported")]
    public void Refused(string? network, string? ip, string message) =>
        Assert.Equal(message, Assert.Throws<GockerException>(() => From(new NetworkFlags { Network = network, Ip = ip })).Message);

    [Theory]
    [InlineData("none")]
    [InlineData("host")]
    public void NoPublishingWithoutABridge(string mode) =>
        Assert.Equal($"conflicting options: port publishing and the {mode} network mode",
            Assert.Throws<GockerException>(() => From(new NetworkFlags { Network = mode, Publish = ["80"] })).Message);

    [Theory]
    [InlineData("none")]
    [InlineData("host")]
    public void HostGatewayNeedsABridge(string mode) =>
        Assert.Contains("host-gateway is the gateway of a bridge network",
            Assert.Throws<GockerException>(() => From(new NetworkFlags { Network = mode, AddHosts = ["gw:host-gateway"] })).Message);

    [Fact]
    public void BadDnsAndAddHostAndPorts()
    {
        Assert.Equal("1.2.3 is not an ip address (--dns)", Assert.Throws<GockerException>(() => From(new NetworkFlags { Dns = ["1.2.3"] })).Message);
        Assert.Throws<GockerException>(() => From(new NetworkFlags { AddHosts = ["x"] }));
        Assert.Throws<GockerException>(() => From(new NetworkFlags { Publish = ["99999"] }));
    }

    [Fact]
    public void SyntaxOnlyTouchesNothing()
    {
        // Without a lookup the network is not looked up at all (create checks the flags before anything else).
        Assert.Equal("nosuch", ContainerNetworkSettings.From(new NetworkFlags { Network = "nosuch" }, null).Mode);
        Assert.Throws<GockerException>(() => ContainerNetworkSettings.From(new NetworkFlags { Publish = ["x"] }, null));
    }
}

public class PublishAllTests
{
    private static ContainerNetworkSettings From(NetworkFlags f) => ContainerNetworkSettings.From(f, null);

    [Fact]
    public void PublishAllPublishesEveryExposedPortNotPublishedAlready()
    {
        var s = From(new NetworkFlags { Expose = ["80", "53/udp", "8000-8001"], PublishAll = true, Publish = ["18080:80"] });
        Assert.Equal(["80/tcp 18080", "53/udp 0", "8000/tcp 0", "8001/tcp 0"],
            s.PortRequests().Select(r => $"{r.ContainerPort}/{r.Protocol} {r.HostPortFirst}"));
    }

    [Fact]
    public void ExposeAloneClaimsNothing() => Assert.Empty(From(new NetworkFlags { Expose = ["80"] }).PortRequests());

    [Fact]
    public void BadExpose()
    {
        Assert.Equal("invalid port format for --expose: 80:80", Assert.Throws<GockerException>(() => From(new NetworkFlags { Expose = ["80:80"] })).Message);
        Assert.Throws<GockerException>(() => From(new NetworkFlags { Expose = ["0"] }));
    }

    [Fact]
    public void PublishAllWithoutABridge() =>
        Assert.Throws<GockerException>(() => From(new NetworkFlags { Network = "host", Expose = ["80"], PublishAll = true }));
}
