using Gocker.Core.Network;

namespace Gocker.Core.Tests.Network;

/// <summary>Networks over a fake host: what is made, in which order, and that a failure at any step
/// leaves nothing behind.</summary>
public sealed class NetworkManagerTests : IDisposable
{
    private readonly FakeNetworkHost _fake = new();
    private NetworkManager Manager => new(_fake.Root, _fake.Host);

    public void Dispose() => _fake.Dispose();

    private void AssertNothingMade()
    {
        Assert.Empty(_fake.Links.Devices);
        Assert.Empty(_fake.Iptables.GockerRules());
        Assert.Empty(Manager.Store.LoadAll());
    }

    [Fact]
    public void CreateMakesRulesThenTheBridge()
    {
        var n = Manager.Create(new NetworkCreateOptions { Name = "net1", Subnet = "10.77.0.0/24" });
        Assert.Equal("10.77.0.1", n.Gateway);
        Assert.Equal("gk-" + n.Id[..12], n.Bridge);
        // The alias names the owner before the bridge has an address or is up.
        var alias = $"gocker net={n.Id[..12]} root={_fake.Root.Path}";
        Assert.Equal([$"CreateBridge {n.Bridge}", $"SetAlias 11 {alias}", $"AddAddress 11 10.77.0.1/24", "SetUp 11"],
            _fake.Links.Calls.Where(c => !c.StartsWith("Delete", StringComparison.Ordinal)));
        Assert.Equal(alias, _fake.Links.Aliases[n.Bridge]);
        Assert.True(_fake.Links.Devices[n.Bridge].Up);
        Assert.Equal("1", _fake.Sysctl.Values["net.ipv4.ip_forward"]);
        Assert.Equal("1", _fake.Sysctl.Values[$"net.ipv4.conf.{n.Bridge}.route_localnet"]);
        Assert.Equal(5, _fake.Iptables.GockerRules().Count);
        Assert.All(_fake.Iptables.GockerRules(), r => Assert.Contains($"gocker:{Manager.Store.RootTag}:n-{n.Id[..12]}", r));
        // A jump into each chain, first in its builtin chain.
        Assert.Equal("-m comment --comment gocker -j GOCKER-FORWARD", string.Join(' ', _fake.Iptables.Tables["filter"]["FORWARD"][0]));
        Assert.Equal(2, _fake.Iptables.Tables["nat"].Count(c => c.Value.Any(r => r[^1] == "GOCKER-DNAT")));
    }

    [Fact]
    public void PickedSubnetsAvoidHostRoutesAndOtherNetworks()
    {
        _fake.AddRoute("172.17.0.0", "255.255.0.0");
        var a = Manager.Create(new NetworkCreateOptions { Name = "a" });
        var b = Manager.Create(new NetworkCreateOptions { Name = "b" });
        Assert.Equal("172.18.0.0/16", a.Subnet);
        Assert.Equal("172.19.0.0/16", b.Subnet);
    }

    [Theory]
    [InlineData("10.1.2.3/16", null, null, "invalid subnet 10.1.2.3/16: it should be 10.1.0.0/16")]
    [InlineData("bad", null, null, "invalid CIDR address: bad")]
    [InlineData("10.1.0.0/31", null, null, "invalid subnet 10.1.0.0/31: it must leave room for a gateway and a container (at most /30)")]
    [InlineData("10.1.0.0/16", "10.2.0.1", null, "no matching subnet for gateway 10.2.0.1: it must be a host address of 10.1.0.0/16")]
    [InlineData("10.1.0.0/16", "10.1.0.0", null, "no matching subnet for gateway 10.1.0.0: it must be a host address of 10.1.0.0/16")]
    [InlineData("10.1.0.0/16", "10.1.255.255", null, "no matching subnet for gateway 10.1.255.255: it must be a host address of 10.1.0.0/16")]
    [InlineData("10.1.0.0/16", null, "10.2.0.0/24", "no matching subnet for range 10.2.0.0/24: it must lie inside 10.1.0.0/16")]
    [InlineData(null, "10.1.0.1", null, "every ip-range or gateway must have a corresponding subnet")]
    [InlineData("10.1.0.0/16", "10.1.0.x", null, "invalid IP address: 10.1.0.x")]
    [InlineData("192.0.2.128/25", null, null, "invalid pool request: 192.0.2.128/25 overlaps the host route to 192.0.2.0/24")]
    public void BadInputMakesNothing(string? subnet, string? gateway, string? range, string message)
    {
        var e = Assert.Throws<GockerException>(() => Manager.Create(new NetworkCreateOptions { Name = "x", Subnet = subnet, Gateway = gateway, IPRange = range }));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
        AssertNothingMade();
    }

    [Theory]
    [InlineData("bad name", "invalid network name \"bad name\"")]
    [InlineData("-x", "invalid network name \"-x\"")]
    [InlineData("host", "operation is not permitted on predefined host network")]
    [InlineData("none", "operation is not permitted on predefined none network")]
    [InlineData("bridge", "network with name bridge already exists")]
    public void BadNames(string name, string message)
    {
        Assert.StartsWith(message, Assert.Throws<GockerException>(() => Manager.Create(new NetworkCreateOptions { Name = name })).Message);
        AssertNothingMade();
    }

    [Fact]
    public void OnlyTheBridgeDriver()
    {
        Assert.Contains("plugin \"overlay\" not found", Assert.Throws<GockerException>(() =>
            Manager.Create(new NetworkCreateOptions { Name = "x", Driver = "overlay" })).Message);
        AssertNothingMade();
    }

    [Fact]
    public void OverlapAndDuplicateNames()
    {
        Manager.Create(new NetworkCreateOptions { Name = "a", Subnet = "10.5.0.0/16" });
        var before = _fake.Iptables.Save();
        Assert.StartsWith("invalid pool request: Pool overlaps with other one on this address space",
            Assert.Throws<GockerException>(() => Manager.Create(new NetworkCreateOptions { Name = "b", Subnet = "10.5.3.0/24" })).Message);
        Assert.Equal("network with name a already exists",
            Assert.Throws<GockerException>(() => Manager.Create(new NetworkCreateOptions { Name = "a", Subnet = "10.6.0.0/16" })).Message);
        Assert.Equal(before, _fake.Iptables.Save());
        Assert.Single(Manager.Store.LoadAll());
        Assert.Single(_fake.Links.Devices);
    }

    [Theory]
    [InlineData("CreateBridge")]
    [InlineData("SetAlias")]
    [InlineData("AddAddress")]
    [InlineData("SetUp")]
    public void AKernelFailureUndoesEverything(string failing)
    {
        _fake.Links.FailWith[failing] = 1; // EPERM
        Assert.Throws<Gocker.Core.Interop.SyscallException>(() => Manager.Create(new NetworkCreateOptions { Name = "x", Subnet = "10.8.0.0/24" }));
        AssertNothingMade();
    }

    [Fact]
    public void AnIptablesFailureUndoesEverything()
    {
        _fake.Iptables.FailRestore = true;
        Assert.Throws<GockerException>(() => Manager.Create(new NetworkCreateOptions { Name = "x", Subnet = "10.8.0.0/24" }));
        _fake.Iptables.FailRestore = false;
        AssertNothingMade();
    }

    [Fact]
    public void RemoveTakesRulesAndBridgeAway()
    {
        var n = Manager.Create(new NetworkCreateOptions { Name = "a", Subnet = "10.5.0.0/16" });
        Manager.Remove("a");
        AssertNothingMade();
        Assert.Equal("network a not found", Assert.Throws<GockerException>(() => Manager.Remove("a")).Message);
    }

    [Fact]
    public void PredefinedNetworksCannotBeRemoved()
    {
        foreach (var name in new[] { "bridge", "host", "none" })
        {
            var e = Assert.Throws<GockerException>(() => Manager.Remove(name));
            Assert.Equal($"{name} is a pre-defined network and cannot be removed", e.Message);
        }
    }

    [Fact]
    public void RemoveByIdPrefix()
    {
        var n = Manager.Create(new NetworkCreateOptions { Name = "a", Subnet = "10.5.0.0/16" });
        Manager.Remove(n.Id[..6]);
        AssertNothingMade();
    }

    [Fact]
    public void DefaultNetworkIsDefinedOnFirstUseAndMadeWhenAContainerNeedsIt()
    {
        var d = Manager.GetOrCreateDefault();
        Assert.Equal("bridge", d.Name);
        Assert.Equal("172.17.0.0/16", d.Subnet);
        Assert.Empty(_fake.Links.Devices);
        Assert.Equal(d.Id, Manager.GetOrCreateDefault().Id);
        int index = Manager.EnsureUp(ref d, _fake.Links);
        Assert.Equal(_fake.Links.Devices[d.Bridge].Index, index);
        // The second time: one lookup, no iptables at all.
        int saves = _fake.Iptables.Saves;
        Assert.Equal(index, Manager.EnsureUp(ref d, _fake.Links));
        Assert.Equal(saves, _fake.Iptables.Saves);
    }

    [Fact]
    public void DefaultNetworkMovesIfTheHostNowRoutesIntoItAndNobodyUsesIt()
    {
        var d = Manager.GetOrCreateDefault();
        _fake.AddRoute("172.17.0.0", "255.255.0.0");
        Manager.EnsureUp(ref d, _fake.Links);
        Assert.Equal("172.18.0.0/16", d.Subnet);
        Assert.Equal("172.18.0.0/16", Manager.Store.TryLoad("bridge")!.Subnet);
    }

    [Fact]
    public void AUserNetworkDoesNotMove()
    {
        var n = Manager.Create(new NetworkCreateOptions { Name = "a", Subnet = "10.5.0.0/16" });
        _fake.Links.Devices.Clear();
        _fake.AddRoute("10.5.0.0", "255.255.0.0");
        Assert.Contains("overlaps the host route", Assert.Throws<GockerException>(() => Manager.EnsureUp(ref n, _fake.Links)).Message);
    }

    [Fact]
    public void ABridgeLostInAReIsRemadeAndItsOldRulesReplaced()
    {
        var n = Manager.Create(new NetworkCreateOptions { Name = "a", Subnet = "10.5.0.0/16" });
        _fake.Links.Devices.Clear(); // a reboot
        Manager.EnsureUp(ref n, _fake.Links);
        Assert.Equal(5, _fake.Iptables.GockerRules().Count);
    }

    [Fact]
    public void TeardownRemovesEveryRuleOfTheRootAndNoOthers()
    {
        var n = Manager.Create(new NetworkCreateOptions { Name = "a", Subnet = "10.5.0.0/16" });
        var d = Manager.GetOrCreateDefault();
        Manager.EnsureUp(ref d, _fake.Links);
        // Another root's rule, and a stale rule of ours.
        _fake.Iptables.Restore("*nat\n-A GOCKER-DNAT -p tcp -m tcp --dport 1 -m comment --comment gocker:otherroot1234:c-1 -j DNAT --to-destination 1.1.1.1:1\n" +
            $"-A GOCKER-DNAT -p tcp -m tcp --dport 2 -m comment --comment gocker:{Manager.Store.RootTag}:c-2 -j DNAT --to-destination 1.1.1.1:2\nCOMMIT\n");
        Assert.Equal(["a", "bridge"], Manager.Teardown());
        Assert.Equal(["nat GOCKER-DNAT -p tcp -m tcp --dport 1 -m comment --comment gocker:otherroot1234:c-1 -j DNAT --to-destination 1.1.1.1:1"],
            _fake.Iptables.GockerRules());
        Assert.Empty(_fake.Links.Devices);
        Assert.Empty(Manager.Store.LoadAll());
    }
}
