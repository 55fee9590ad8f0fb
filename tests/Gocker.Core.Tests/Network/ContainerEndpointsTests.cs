using Gocker.Core.Containers;
using Gocker.Core.Network;
using Gocker.Core.State;

namespace Gocker.Core.Tests.Network;

/// <summary>Joining and leaving networks over a fake host: addresses, host ports, DNAT rules, and
/// what a crash leaves being reclaimed.</summary>
public sealed class ContainerEndpointsTests : IDisposable
{
    private readonly FakeNetworkHost _fake = new();
    private readonly NetworkManager _manager;
    private readonly ContainerEndpoints _endpoints;
    private readonly NetworkDefinition _net;

    public ContainerEndpointsTests()
    {
        _manager = new NetworkManager(_fake.Root, _fake.Host);
        _endpoints = new ContainerEndpoints(_manager);
        _net = _manager.Create(new NetworkCreateOptions { Name = "n", Subnet = "10.60.0.0/24" });
    }

    public void Dispose() => _fake.Dispose();

    /// <summary>A container record in the root's store (an address's holder must have one).</summary>
    private string Container()
    {
        var id = ContainerId.New();
        using var store = new StateStore(_fake.Root.StateDb);
        store.Update(tx => tx.Add(new ContainerRecord { Id = id, Status = ContainerStatus.Created, Image = "busybox" }));
        return id;
    }

    private static ContainerNetworkSettings On(string network, params string[] publish) => new() { Mode = network, Publish = publish.ToList() };

    private List<string> DnatRules() => _fake.Iptables.GockerRules().Where(r => r.StartsWith("nat GOCKER-DNAT", StringComparison.Ordinal)).ToList();

    [Fact]
    public void WithoutPortsNoIptablesAtAll()
    {
        int saves = _fake.Iptables.Saves, restores = _fake.Iptables.Restores.Count;
        var id = Container();
        var e = _endpoints.Attach(id, On("n"), _fake.Links)!;
        Assert.Equal("10.60.0.2", e.Address.ToString());
        Assert.Equal(24, e.PrefixLength);
        Assert.Equal("10.60.0.1", e.Gateway.ToString());
        Assert.Equal(NetworkManager.HostVethName(id), e.HostVeth);
        Assert.Equal(_fake.Links.Devices[_net.Bridge].Index, e.BridgeIndex);
        Assert.Equal((saves, restores), (_fake.Iptables.Saves, _fake.Iptables.Restores.Count));
        Assert.Equal(id, _manager.Store.ReadIpam("n").Find(id)!.ContainerId);
    }

    [Fact]
    public void NoneAndHostHaveNoEndpoint()
    {
        Assert.Null(_endpoints.Attach(Container(), On("none"), _fake.Links));
        Assert.Null(_endpoints.Attach(Container(), On("host"), _fake.Links));
    }

    [Fact]
    public void PublishedPortsGetDnatRulesAndPickedPortsSkipBusyOnes()
    {
        _fake.BusyPorts.Add(40000);
        var id = Container();
        var e = _endpoints.Attach(id, On("n", "18080:80", "53/udp", "127.0.0.1::81"), _fake.Links)!;
        Assert.Equal(["0.0.0.0:18080:80/tcp", "0.0.0.0:40001:53/udp", "127.0.0.1:40001:81/tcp"], e.Ports.Select(p => p.Format()));
        var c = $"gocker:{_manager.Store.RootTag}:c-{id[..12]}";
        Assert.Equal([
            $"nat GOCKER-DNAT -p tcp -m tcp --dport 18080 -m comment --comment {c} -j DNAT --to-destination 10.60.0.2:80",
            $"nat GOCKER-DNAT -p udp -m udp --dport 40001 -m comment --comment {c} -j DNAT --to-destination 10.60.0.2:53",
            $"nat GOCKER-DNAT -d 127.0.0.1/32 -p tcp -m tcp --dport 40001 -m comment --comment {c} -j DNAT --to-destination 10.60.0.2:81",
        ], DnatRules());

        _endpoints.Release(id, On("n"));
        Assert.Empty(DnatRules());
        Assert.Null(_manager.Store.ReadIpam("n").Find(id));
        _endpoints.Release(id, On("n")); // idempotent
    }

    [Fact]
    public void AHostPortHeldByAnotherContainerIsRefusedAndNothingIsLeft()
    {
        var first = Container();
        _endpoints.Attach(first, On("n", "18080:80"), _fake.Links);
        var rules = DnatRules();
        var second = Container();
        var e = Assert.Throws<EndpointException>(() => _endpoints.Attach(second, On("n", "18080:80"), _fake.Links));
        Assert.Equal("Bind for 0.0.0.0:18080 failed: port is already allocated", e.Message);
        Assert.Equal(rules, DnatRules());
        Assert.Null(_manager.Store.ReadIpam("n").Find(second));
        // On one address only, another address is free; 0.0.0.0 clashes with every address.
        Assert.Throws<EndpointException>(() => _endpoints.Attach(second, On("n", "127.0.0.1:18080:80"), _fake.Links));
        Assert.NotNull(_endpoints.Attach(second, On("n", "18080:80/udp"), _fake.Links));
    }

    [Fact]
    public void AnotherRootsRuleHoldsItsPort()
    {
        _fake.Iptables.Restore("*nat\n-A GOCKER-DNAT -p tcp -m tcp --dport 18080 -m comment --comment gocker:0therr00t000:c-1 -j DNAT --to-destination 172.30.0.2:80\nCOMMIT\n");
        Assert.Throws<EndpointException>(() => _endpoints.Attach(Container(), On("n", "18080:80"), _fake.Links));
    }

    [Fact]
    public void APortInUseOnTheHostIsRefused()
    {
        _fake.BusyPorts.Add(18080);
        Assert.Equal("Bind for 0.0.0.0:18080 failed: port is already allocated",
            Assert.Throws<EndpointException>(() => _endpoints.Attach(Container(), On("n", "18080:80"), _fake.Links)).Message);
        Assert.Empty(DnatRules());
    }

    [Fact]
    public void ACrashedContainersPortAndAddressAreReclaimed()
    {
        // A container whose record is gone (removed while its gocker was dead) still holds an
        // address and a published port.
        var dead = ContainerId.New();
        var t = _manager.Store.ReadIpam("n");
        t.Entries.Add(new IpamEntry(Gocker.Core.Network.Ipv4Address.Parse("10.60.0.9"), dead, "02:42:0a:3c:00:09",
            new Gocker.Core.Process.ProcessIdentity(1, 1), [new PublishedPort(default, 18080, 80, "tcp")]));
        _manager.Store.WriteIpam("n", t);
        _fake.Iptables.Restore($"*nat\n-A GOCKER-DNAT -p tcp -m tcp --dport 18080 -m comment --comment gocker:{_manager.Store.RootTag}:c-{dead[..12]} -j DNAT --to-destination 10.60.0.9:80\nCOMMIT\n");

        var id = Container();
        var e = _endpoints.Attach(id, On("n", "18080:80"), _fake.Links)!;
        Assert.Equal(18080, e.Ports[0].HostPort);
        Assert.Single(DnatRules());
        Assert.Contains($"c-{id[..12]}", DnatRules()[0]);
        Assert.Null(_manager.Store.ReadIpam("n").Find(dead));
    }

    [Fact]
    public void AFullNetworkReclaimsStaleAddressesFirst()
    {
        var small = _manager.Create(new NetworkCreateOptions { Name = "small", Subnet = "10.61.0.0/30" }); // one address: .2
        var t = _manager.Store.ReadIpam("small");
        t.Entries.Add(new IpamEntry(Gocker.Core.Network.Ipv4Address.Parse("10.61.0.2"), ContainerId.New(), "02:42:0a:3d:00:02",
            new Gocker.Core.Process.ProcessIdentity(1, 1), []));
        _manager.Store.WriteIpam("small", t);
        Assert.Equal("10.61.0.2", _endpoints.Attach(Container(), On("small"), _fake.Links)!.Address.ToString());
        var e = Assert.Throws<EndpointException>(() => _endpoints.Attach(Container(), On("small"), _fake.Links));
        Assert.Equal("no available IPv4 addresses on network small (10.61.0.0/30)", e.Message);
    }

    [Fact]
    public void RequestedAddress()
    {
        var id = Container();
        Assert.Equal("10.60.0.77", _endpoints.Attach(id, new ContainerNetworkSettings { Mode = "n", Ip = "10.60.0.77" }, _fake.Links)!.Address.ToString());
        Assert.Equal("Address already in use: 10.60.0.77",
            Assert.Throws<EndpointException>(() => _endpoints.Attach(Container(), new ContainerNetworkSettings { Mode = "n", Ip = "10.60.0.77" }, _fake.Links)).Message);
        // The same container starting again gets it again.
        Assert.Equal("10.60.0.77", _endpoints.Attach(id, new ContainerNetworkSettings { Mode = "n", Ip = "10.60.0.77" }, _fake.Links)!.Address.ToString());
    }

    [Fact]
    public void AGoneNetworkIsAnEndpointError() =>
        Assert.Equal("network gone not found", Assert.Throws<EndpointException>(() => _endpoints.Attach(Container(), On("gone"), _fake.Links)).Message);

    [Fact]
    public void ReleaseOfAnotherOwnersEntryDoesNothing()
    {
        var id = Container();
        _endpoints.Attach(id, On("n"), _fake.Links);
        _endpoints.Release(id, On("n"), new Gocker.Core.Process.ProcessIdentity(1, 1));
        Assert.NotNull(_manager.Store.ReadIpam("n").Find(id));
        _endpoints.ReleaseOwn(id, On("n"));
        Assert.Null(_manager.Store.ReadIpam("n").Find(id));
    }

    [Fact]
    public void ConnectMakesTheVethAndLeavesEth0ToInit()
    {
        var id = Container();
        var e = _endpoints.Attach(id, On("n"), _fake.Links)!;
        ContainerEndpoints.Connect(e, 4242, _fake.Links);
        Assert.Equal([$"CreateVeth {e.HostVeth} {e.BridgeIndex} eth0 4242 02:42:0a:3c:00:02"], _fake.Links.Calls.Where(c => c.Contains(e.HostVeth)));
        // Nothing is done inside the container's namespace from here: init configures eth0 (InitNetwork).
        Assert.Empty(_fake.Links.Namespaces[4242].Calls);
        Assert.Equal((Ipv4Address.Parse("10.60.0.2"), 24, Ipv4Address.Parse("10.60.0.1")), (e.Address, e.PrefixLength, e.Gateway));
    }

    [Fact]
    public void ConnectReplacesAVethLeftByAnEarlierRun()
    {
        var id = Container();
        var e = _endpoints.Attach(id, On("n"), _fake.Links)!;
        ContainerEndpoints.Connect(e, 4242, _fake.Links);
        ContainerEndpoints.Connect(e, 4343, _fake.Links);
        Assert.Equal([$"CreateVeth {e.HostVeth} {e.BridgeIndex} eth0 4242 02:42:0a:3c:00:02", $"CreateVeth {e.HostVeth} {e.BridgeIndex} eth0 4343 02:42:0a:3c:00:02",
            $"Delete {e.HostVeth}", $"CreateVeth {e.HostVeth} {e.BridgeIndex} eth0 4343 02:42:0a:3c:00:02"],
            _fake.Links.Calls.Where(c => c.Contains(e.HostVeth)));
    }

    [Fact]
    public void FiftyConcurrentStartsGetFiftyAddresses()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => Container()).ToList();
        var got = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, id =>
        {
            var links = new FakeLinks();
            links.Devices[_net.Bridge] = (11, true);
            got.Add(_endpoints.Attach(id, On("n"), links)!.Address.ToString());
        });
        Assert.Equal(50, got.Distinct().Count());
        Assert.Equal(50, _manager.Store.ReadIpam("n").Entries.Count);
    }
}
