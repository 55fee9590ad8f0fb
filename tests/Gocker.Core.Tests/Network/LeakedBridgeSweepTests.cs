using Gocker.Core.Containers;
using Gocker.Core.Network;

namespace Gocker.Core.Tests.Network;

/// <summary>The sweep of what deleted roots left, over one fake host shared by several roots: it
/// takes exactly a deleted root's bridges and rules, and nothing of a root that exists, of a network
/// that exists, or of a bridge it cannot attribute.</summary>
public sealed class LeakedBridgeSweepTests : IDisposable
{
    private readonly FakeNetworkHost _fake = new();
    private NetworkManager Manager => new(_fake.Root, _fake.Host);

    public void Dispose() => _fake.Dispose();

    private NetworkManager Other(string name) => new(new GockerRoot(Path.Combine(_fake.Dir, name)), _fake.Host);

    private NetworkDefinition CreateIn(NetworkManager m, string name, string subnet) =>
        m.Create(new NetworkCreateOptions { Name = name, Subnet = subnet });

    private string Dnat(string tag, string owner, int port, string to) =>
        $"-A GOCKER-DNAT -p tcp -m tcp --dport {port} -m comment --comment gocker:{tag}:{owner} -j DNAT --to-destination {to}";

    private void AddNatRules(params string[] lines) => _fake.Iptables.Restore($"*nat\n{string.Join('\n', lines)}\nCOMMIT\n");

    private List<string> RulesWith(string text) => _fake.Iptables.GockerRules().Where(r => r.Contains(text, StringComparison.Ordinal)).ToList();

    [Fact]
    public void A_deleted_roots_bridges_veths_and_rules_go_and_nothing_else()
    {
        var a = Other("a");
        var n = CreateIn(a, "n", "10.9.0.0/24");
        var d = a.GetOrCreateDefault();
        a.EnsureUp(ref d, _fake.Links);
        var tag = a.Store.RootTag;
        // A container of the deleted root still attached, with a published port into n; and a DNAT rule
        // of that root into a subnet that is no swept network's (kept: it cannot be attributed).
        _fake.Links.AddDevice("gkv0123456789ab", "veth", master: _fake.Links.Devices[n.Bridge].Index);
        AddNatRules(Dnat(tag, "c-0123456789ab", 18080, "10.9.0.2:80"), Dnat(tag, "c-999999999999", 18081, "10.99.0.2:80"));
        // Another root's published port into the same subnet: not the deleted root's.
        AddNatRules(Dnat("0badc0ffee00", "c-0123456789ab", 18082, "10.9.0.3:80"));
        Directory.Delete(a.Store.Root.Path, recursive: true);

        Assert.Equal(new[] { d.Bridge, n.Bridge }.Order(), Manager.SweepLeakedBridges().Order());
        Assert.Empty(_fake.Links.Devices);
        Assert.Equal(2, _fake.Iptables.GockerRules().Count);
        Assert.Single(RulesWith("--dport 18081"));
        Assert.Single(RulesWith("--dport 18082"));
        Assert.Contains("Delete gkv0123456789ab", _fake.Links.Calls);
        // The veth before its bridge, the rules before either.
        Assert.True(_fake.Links.Calls.LastIndexOf("Delete gkv0123456789ab") < _fake.Links.Calls.LastIndexOf($"Delete {n.Bridge}"));
    }

    [Fact]
    public void A_live_roots_networks_are_kept()
    {
        var a = Other("a");
        var n = CreateIn(a, "n", "10.9.0.0/24");
        var rules = _fake.Iptables.GockerRules();
        Assert.Empty(Manager.SweepLeakedBridges());
        Assert.True(_fake.Links.Devices.ContainsKey(n.Bridge));
        Assert.Equal(rules, _fake.Iptables.GockerRules());
    }

    [Fact]
    public void Bridges_without_gockers_alias_are_never_touched()
    {
        // Made before aliases existed (the rules carry a root tag nothing can map back), gocker0 of an
        // older gocker, someone's own bridge, and an alias whose network does not name that bridge.
        _fake.Links.AddDevice("gk-0123456789ab", "bridge");
        _fake.Links.AddDevice("gocker0", "bridge");
        _fake.Links.AddDevice("gk-aaaaaaaaaaaa", "bridge", alias: "lab bridge, keep");
        _fake.Links.AddDevice("gk-bbbbbbbbbbbb", "bridge", alias: "gocker net=cccccccccccc root=/nonexistent/root");
        _fake.Links.AddDevice("gocker1", "veth", alias: "gocker net=dddddddddddd root=/nonexistent/root");
        _fake.Iptables.Restore("*filter\n-N GOCKER-FORWARD\n-A GOCKER-FORWARD -i gk-0123456789ab -m comment --comment gocker:0badc0ffee00:n-0123456789ab -j ACCEPT\nCOMMIT\n");
        var rules = _fake.Iptables.GockerRules();
        Assert.Empty(Manager.SweepLeakedBridges());
        Assert.Equal(5, _fake.Links.Devices.Count);
        Assert.Equal(rules, _fake.Iptables.GockerRules());
        Assert.DoesNotContain(_fake.Links.Calls, c => c.StartsWith("Delete", StringComparison.Ordinal));
    }

    [Fact]
    public void A_network_gone_from_a_live_roots_store_is_swept_but_not_the_roots_other_rules()
    {
        var a = Other("a");
        var gone = CreateIn(a, "gone", "10.9.0.0/24");
        var kept = CreateIn(a, "kept", "10.9.1.0/24");
        AddNatRules(Dnat(a.Store.RootTag, "c-0123456789ab", 18080, "10.9.0.2:80"));
        a.Store.Delete("gone");

        Assert.Equal([gone.Bridge], Manager.SweepLeakedBridges());
        Assert.Equal([kept.Bridge], _fake.Links.Devices.Keys);
        Assert.Empty(RulesWith(gone.RuleOwner));
        Assert.Equal(5, RulesWith(kept.RuleOwner).Count);
        // The live root's own reconcile decides about its containers' rules, not the sweep.
        Assert.Single(RulesWith("--dport 18080"));
    }

    [Fact]
    public void A_network_gone_from_a_live_root_but_with_a_device_attached_is_kept()
    {
        var a = Other("a");
        var n = CreateIn(a, "n", "10.9.0.0/24");
        _fake.Links.AddDevice("gkv0123456789ab", "veth", master: _fake.Links.Devices[n.Bridge].Index);
        a.Store.Delete("n");
        Assert.Empty(Manager.SweepLeakedBridges());
        Assert.Equal(5, RulesWith(n.RuleOwner).Count);
    }

    [Fact]
    public void A_live_root_whose_network_lock_is_held_is_left_for_the_next_sweep()
    {
        var a = Other("a");
        var n = CreateIn(a, "n", "10.9.0.0/24");
        a.Store.Delete("n");
        using (a.Store.Lock())
            Assert.Empty(Manager.SweepLeakedBridges());
        Assert.True(_fake.Links.Devices.ContainsKey(n.Bridge));
        Assert.Equal([n.Bridge], Manager.SweepLeakedBridges());
    }

    [Fact]
    public void A_network_that_the_root_still_has_is_kept_even_when_a_root_of_the_same_path_is_new()
    {
        // The root was deleted and made again at the same path: its network is another one, with
        // another id, so the old bridge goes and the new one stays, though their rules share a tag.
        var a = Other("a");
        var old = CreateIn(a, "n", "10.9.0.0/24");
        Directory.Delete(a.Store.Root.Path, recursive: true);
        var again = Other("a");
        _fake.Links.Aliases.Remove(old.Bridge); // so that again's own create does not sweep it first
        var fresh = CreateIn(again, "n", "10.9.1.0/24");
        _fake.Links.Aliases[old.Bridge] = BridgeAlias.Format(again.Store.Root.Path, old.Id)!;
        Assert.Equal([old.Bridge], Manager.SweepLeakedBridges());
        Assert.Equal([fresh.Bridge], _fake.Links.Devices.Keys);
        Assert.Empty(RulesWith(old.RuleOwner));
        Assert.Equal(5, RulesWith(fresh.RuleOwner).Count);
    }

    [Fact]
    public void This_roots_bridges_made_before_aliases_get_one()
    {
        var n = CreateIn(Manager, "n", "10.9.0.0/24");
        _fake.Links.Aliases.Clear();
        Assert.Empty(Manager.SweepLeakedBridges());
        Assert.Equal($"gocker net={n.Id[..12]} root={_fake.Root.Path}", _fake.Links.Aliases[n.Bridge]);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("prune")]
    [InlineData("teardown")]
    [InlineData("default")]
    public void The_network_commands_and_the_default_networks_definition_sweep(string command)
    {
        var a = Other("a");
        var n = CreateIn(a, "n", "10.9.0.0/24");
        Directory.Delete(a.Store.Root.Path, recursive: true);
        switch (command)
        {
            case "create": CreateIn(Manager, "x", "10.10.0.0/24"); break;
            case "prune": Manager.Prune(); break;
            case "teardown": Manager.Teardown(); break;
            default: Manager.GetOrCreateDefault(); break;
        }
        Assert.False(_fake.Links.Devices.ContainsKey(n.Bridge));
        Assert.Empty(RulesWith(n.RuleOwner));
    }

    [Fact]
    public void A_start_does_not_sweep()
    {
        var d = Manager.GetOrCreateDefault();
        var leaked = _fake.Links.AddDevice("gk-0123456789ab", "bridge", alias: $"gocker net=0123456789ab root={_fake.Dir}/gone");
        // What a container's start does: find its network, make the bridge on first use.
        Manager.Find("bridge");
        Manager.EnsureUp(ref d, _fake.Links);
        Manager.Find("bridge");
        Assert.Equal(leaked, _fake.Links.Devices["gk-0123456789ab"].Index);
        Assert.Equal(["gk-0123456789ab"], Manager.SweepLeakedBridges());
    }
}

public sealed class BridgeAliasTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("/var/lib/gocker")]
    [InlineData("/tmp/ci job 7/root")]
    [InlineData("/")]
    public void Round_trip(string root)
    {
        var alias = BridgeAlias.Format(root, Id);
        Assert.Equal($"gocker net=0123456789ab root={root}", alias);
        Assert.Equal((root, "0123456789ab"), BridgeAlias.Parse(alias));
    }

    [Fact]
    public void A_path_too_long_for_the_kernels_255_bytes_gets_no_alias()
    {
        Assert.NotNull(BridgeAlias.Format("/" + new string('x', 225), Id));
        Assert.Null(BridgeAlias.Format("/" + new string('x', 226), Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("my bridge")]
    [InlineData("gocker net=0123456789ab")]
    [InlineData("gocker net=0123456789AB root=/r")]
    [InlineData("gocker net=0123456789a root=/r")]
    [InlineData("gocker net=0123456789ab root=relative")]
    [InlineData("gocker net=0123456789ab root=/r/")]
    [InlineData("gocker net=0123456789ab root=/r/../s")]
    [InlineData("gocker net=0123456789ab root=/a:b")]
    [InlineData("gocker net=0123456789ab  root=/r")]
    public void Anything_else_is_not_gockers(string? alias) => Assert.Null(BridgeAlias.Parse(alias));

    [Fact]
    public void The_bridge_must_be_the_one_gocker_names_for_that_network()
    {
        Assert.True(BridgeAlias.NamesBridge("gk-0123456789ab", "/tmp/r", "0123456789ab"));
        Assert.False(BridgeAlias.NamesBridge("gk-0123456789ac", "/tmp/r", "0123456789ab"));
        Assert.True(BridgeAlias.NamesBridge("gocker0", GockerRoot.DefaultPath, "0123456789ab"));
        Assert.False(BridgeAlias.NamesBridge("gocker0", "/tmp/r", "0123456789ab"));
    }
}
