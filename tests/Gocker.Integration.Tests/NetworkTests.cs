using System.Text.RegularExpressions;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Bridge networks, addresses and published ports, with real bridges, veths and iptables
/// rules; all traffic stays on this machine. User networks take explicit subnets under 10.201.0.0/16
/// (each test its own), so that they never meet another root's default network (picked from
/// 172.17-31.0.0/16) while the suite runs in parallel.</summary>
public sealed class NetworkTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private string Tag => HostNetwork.RootTag(box.Root);

    private async Task<string> Ip(string container) => await box.Inspect(container, "{{.NetworkSettings.IPAddress}}");

    private async Task<string> NetworkId(string name) =>
        (await box.Run("network", "inspect", "-f", "{{.Id}}", name)).ShouldSucceed().Stdout.Trim();

    private async Task<string> Bridge(string name) =>
        (await box.Run("network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", name)).ShouldSucceed().Stdout.Trim();

    [Fact]
    public async Task Two_containers_on_a_user_network_ping_each_other_and_their_gateway()
    {
        (await box.Run("network", "create", "--subnet", "10.201.1.0/24", "pingnet")).ShouldSucceed();
        var a = await box.RunDetached("--network", "pingnet", "--name", "ping-a", "busybox", "sleep", "60");
        var b = await box.RunDetached("--network", "pingnet", "--ip", "10.201.1.77", "--name", "ping-b", "busybox", "sleep", "60");
        var ipA = await Ip(a);
        Assert.Equal("10.201.1.77", await Ip(b));
        Assert.Matches(@"^10\.201\.1\.\d+$", ipA);
        Assert.Equal("10.201.1.1", await box.Inspect(a, "{{.NetworkSettings.Gateway}}"));

        (await box.Run("exec", a, "ping", "-c1", "-W1", "10.201.1.77")).ShouldSucceed();
        (await box.Run("exec", b, "ping", "-c1", "-W1", ipA)).ShouldSucceed();
        (await box.Run("exec", a, "ping", "-c1", "-W1", "10.201.1.1")).ShouldSucceed();

        // The container's own view: eth0 with its address and MAC, a default route via the gateway.
        var addr = (await box.Run("exec", a, "ip", "-4", "addr", "show", "eth0")).ShouldSucceed().Stdout;
        Assert.Contains($"inet {ipA}/24", addr);
        var route = (await box.Run("exec", a, "ip", "route")).ShouldSucceed().Stdout;
        Assert.Contains("default via 10.201.1.1 dev eth0", route);
        var hosts = (await box.Run("exec", b, "cat", "/etc/hosts")).ShouldSucceed().Stdout;
        Assert.Matches(new Regex(@"^10\.201\.1\.77\s+[0-9a-f]{12} ping-b$", RegexOptions.Multiline), hosts);

        var inspect = (await box.Run("network", "inspect", "pingnet")).ShouldSucceed().Stdout;
        Assert.Contains($"\"{a}\"", inspect);
        Assert.Contains("\"IPv4Address\": \"10.201.1.77/24\"", inspect);
        Assert.Contains("\"Subnet\": \"10.201.1.0/24\"", inspect);

        (await box.Run("rm", "-f", a, b)).ShouldSucceed();
        (await box.Run("network", "rm", "pingnet")).ShouldSucceed();
    }

    [Fact]
    public async Task Containers_talk_under_a_FORWARD_policy_of_DROP()
    {
        (await box.Run("network", "create", "--subnet", "10.201.2.0/24", "dropnet")).ShouldSucceed();
        var a = await box.RunDetached("--network", "dropnet", "busybox", "sleep", "60");
        var b = await box.RunDetached("--network", "dropnet", "busybox", "sh", "-c", "mkdir /w && echo fwd > /w/i && exec httpd -f -p 80 -h /w");
        var policy = HostNetwork.ForwardPolicy();
        HostNetwork.SetForwardPolicy("DROP");
        try
        {
            // Bridged traffic goes through FORWARD here (br_netfilter); gocker's accept rules let it by.
            var ipB = await Ip(b);
            (await box.Run("exec", a, "ping", "-c1", "-W2", ipB)).ShouldSucceed();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            GockerResult get;
            while ((get = await box.Run("exec", a, "wget", "-q", "-O", "-", $"http://{ipB}/i")).ExitCode != 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100); // httpd may not listen yet (busybox wget -T crashes: no timeout flag)
            Assert.Equal("fwd\n", get.ShouldSucceed().Stdout);
        }
        finally
        {
            HostNetwork.SetForwardPolicy(policy);
        }
        (await box.Run("rm", "-f", a, b)).ShouldSucceed();
        (await box.Run("network", "rm", "dropnet")).ShouldSucceed();
    }

    [Fact]
    public async Task Default_bridge_reaches_its_gateway_and_has_eth0_and_lo()
    {
        var r = (await box.RunBusybox("sh", "-c",
            "cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' | sort; ping -c1 -W1 $(ip route | awk '/default/ {print $3}') >/dev/null && echo pinged")).ShouldSucceed();
        Assert.Equal(["eth0", "lo", "pinged"], r.StdoutLines);
        Assert.Equal("bridge", (await box.Run("network", "inspect", "-f", "{{.Name}}", "bridge")).ShouldSucceed().Stdout.Trim());
    }

    [Fact]
    public async Task Network_none_has_only_lo()
    {
        var r = (await box.Run("run", "--rm", "--network", "none", "busybox", "cat", "/proc/net/dev")).ShouldSucceed();
        Assert.Equal(["lo"], r.StdoutLines.Skip(2).Select(l => l.Split(':')[0].Trim()));
    }

    [Fact]
    public async Task Network_host_sees_the_hosts_interfaces_and_hostname()
    {
        var r = (await box.Run("run", "--rm", "--network", "host", "busybox", "sh", "-c", "ls /sys/class/net; hostname")).ShouldSucceed();
        var lines = r.StdoutLines;
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), lines[^1]);
        var inside = lines[..^1].SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        Assert.Contains("lo", inside);
        // Every host device that existed before and after the run is seen (bridges come and go meanwhile).
        var host = HostNetwork.Devices().Where(d => !d.StartsWith("gk", StringComparison.Ordinal)).ToList();
        Assert.True(host.All(inside.Contains) || host.Count(d => !inside.Contains(d)) <= 1,
            $"host: {string.Join(' ', host)}\ncontainer: {string.Join(' ', inside)}");
        Assert.Contains("eth0", inside.Intersect(host));
    }

    [Fact]
    public async Task Published_port_reaches_the_container_from_127_0_0_1_and_the_hosts_own_address()
    {
        var web = await box.RunDetached("-p", "18080:80", "--name", "web18080", "busybox", "sh", "-c",
            "mkdir /www && echo hello-from-gocker > /www/index.html && exec httpd -f -p 80 -h /www");
        Assert.Equal("hello-from-gocker\n", await HostNetwork.HttpGetWhenUp("127.0.0.1", 18080, "/index.html"));
        Assert.Equal("hello-from-gocker\n", await HostNetwork.HttpGetWhenUp(HostNetwork.OwnAddress(), 18080, "/index.html"));
        // And straight to the container's address, without NAT.
        Assert.Equal("hello-from-gocker\n", await HostNetwork.HttpGetWhenUp(await Ip(web), 80, "/index.html"));

        Assert.Equal(["80/tcp -> 0.0.0.0:18080"], (await box.Run("port", web)).ShouldSucceed().StdoutLines);
        Assert.Equal(["0.0.0.0:18080"], (await box.Run("port", web, "80")).ShouldSucceed().StdoutLines);
        (await box.Run("port", web, "81")).ShouldExit(1);
        var ps = (await box.Run("ps", "--format", "{{.Names}} {{.Ports}}")).ShouldSucceed().StdoutLines;
        Assert.Contains("web18080 0.0.0.0:18080->80/tcp", ps);
        Assert.Equal("[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"18080\"}]", await box.Inspect(web, "{{json (index .NetworkSettings.Ports \"80/tcp\")}}"));
        Assert.Equal("[{\"HostIp\":\"\",\"HostPort\":\"18080\"}]", await box.Inspect(web, "{{json (index .HostConfig.PortBindings \"80/tcp\")}}"));
        Assert.Equal("bridge", await box.Inspect(web, "{{.HostConfig.NetworkMode}}"));

        // A second container cannot take the port: 125, one line, and nothing of it is left.
        var rulesBefore = HostNetwork.GockerRules().Where(r => r.Contains(Tag)).ToList();
        var before = await box.Snapshot();
        var second = await box.Run("run", "-d", "-p", "18080:80", "busybox", "sleep", "30");
        Assert.Contains("port is already allocated", second.ShouldBeGockerError());
        await box.AssertNothingNew(before);
        Assert.Equal(rulesBefore, HostNetwork.GockerRules().Where(r => r.Contains(Tag)));

        // Stopped, the port is free and the rule gone; ps shows no ports.
        (await box.Run("stop", "-t", "0", web)).ShouldSucceed();
        Assert.DoesNotContain(HostNetwork.GockerRules(), r => r.Contains($"c-{web[..12]}"));
        Assert.Equal("", await box.Inspect(web, "{{.NetworkSettings.IPAddress}}"));
        Assert.Empty((await box.Run("port", web)).ShouldSucceed().StdoutLines);
        var again = await box.RunDetached("-p", "18080:80", "busybox", "sleep", "30");
        (await box.Run("rm", "-f", web, again)).ShouldSucceed();
        Assert.DoesNotContain(HostNetwork.GockerRules(), r => r.Contains("--dport 18080"));
    }

    [Fact]
    public async Task A_picked_host_port_is_reported()
    {
        var c = await box.RunDetached("-p", "127.0.0.1::80", "busybox", "sh", "-c", "mkdir /w && echo picked > /w/i && exec httpd -f -p 80 -h /w");
        var line = (await box.Run("port", c, "80/tcp")).ShouldSucceed().Stdout.Trim();
        var m = Regex.Match(line, @"^127\.0\.0\.1:(\d+)$");
        Assert.True(m.Success, line);
        Assert.Equal("picked\n", await HostNetwork.HttpGetWhenUp("127.0.0.1", int.Parse(m.Groups[1].Value), "/i"));
        (await box.Run("rm", "-f", c)).ShouldSucceed();

        // -P publishes every --expose'd port on a free host port.
        var all = await box.RunDetached("-P", "--expose", "80", "busybox", "sh", "-c", "mkdir /w && echo all > /w/i && exec httpd -f -p 80 -h /w");
        var published = (await box.Run("port", all)).ShouldSucceed().StdoutLines;
        var p = Regex.Match(Assert.Single(published), @"^80/tcp -> 0\.0\.0\.0:(\d+)$");
        Assert.True(p.Success, published[0]);
        Assert.Equal("all\n", await HostNetwork.HttpGetWhenUp("127.0.0.1", int.Parse(p.Groups[1].Value), "/i"));
        (await box.Run("rm", "-f", all)).ShouldSucceed();
    }

    [Fact]
    public async Task A_restarted_container_gets_its_network_and_ports_again()
    {
        var c = await box.RunDetached("-p", "18086:80", "busybox", "sh", "-c", "mkdir -p /w && echo up > /w/i && exec httpd -f -p 80 -h /w");
        Assert.Equal("up\n", await HostNetwork.HttpGetWhenUp("127.0.0.1", 18086, "/i"));
        (await box.Run("restart", "-t", "0", c)).ShouldSucceed();
        Assert.Equal("up\n", await HostNetwork.HttpGetWhenUp("127.0.0.1", 18086, "/i"));
        Assert.Single(HostNetwork.GockerRules(), r => r.Contains($"c-{c[..12]}"));
        (await box.Run("rm", "-f", c)).ShouldSucceed();
        Assert.DoesNotContain(HostNetwork.GockerRules(), r => r.Contains($"c-{c[..12]}"));
    }

    [Fact]
    public async Task After_rm_of_every_container_and_network_nothing_is_left()
    {
        (await box.Run("network", "create", "--subnet", "10.201.3.0/24", "leftnet")).ShouldSucceed();
        var netId = await NetworkId("leftnet");
        var bridge = await Bridge("leftnet");
        Assert.Contains(bridge, HostNetwork.Devices());
        var ids = new List<string>
        {
            await box.RunDetached("--network", "leftnet", "-p", "18083:80", "busybox", "sleep", "60"),
            await box.RunDetached("--network", "leftnet", "busybox", "sleep", "60"),
            await box.RunDetached("-p", "18084:80/udp", "busybox", "sleep", "60"),
        };
        var veths = ids.Select(id => "gkv" + id[..12]).ToList();
        Assert.True(veths.All(HostNetwork.Devices().Contains), "every container has its veth on the host");
        Assert.Equal(2, HostNetwork.GockerRules().Count(r => r.Contains($"gocker:{Tag}:c-")));

        // In use, in any state: refused.
        var created = await box.Create("--network", "leftnet", "busybox", "true");
        (await box.Run(["rm", "-f", .. ids])).ShouldSucceed();
        var refused = await box.Run("network", "rm", "leftnet");
        refused.ShouldExit(1);
        Assert.Contains("is in use by container", refused.Stderr);
        (await box.Run("rm", created)).ShouldSucceed();
        (await box.Run("network", "rm", "leftnet")).ShouldSucceed();

        Assert.DoesNotContain(bridge, HostNetwork.Devices());
        Assert.DoesNotContain(HostNetwork.GockerRules(), r => r.Contains($"gocker:{Tag}:c-") || r.Contains($"n-{netId[..12]}"));
        Assert.False(File.Exists(Path.Combine(box.Root, "networks", "leftnet.ipam")), "leftnet's addresses");
        Assert.DoesNotContain("172.", File.Exists(Path.Combine(box.Root, "networks", "bridge.ipam"))
            ? string.Join('\n', File.ReadAllLines(Path.Combine(box.Root, "networks", "bridge.ipam")).Where(l => !l.StartsWith("last ", StringComparison.Ordinal)))
            : "");
        // The veths go with the containers' network namespaces, which the kernel tears down asynchronously.
        await Poll.Until(() => !veths.Any(HostNetwork.Devices().Contains), "the containers' veths to be gone", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Bad_input_is_one_line_125_and_leaves_nothing()
    {
        (await box.Run("network", "create", "--subnet", "10.201.4.0/24", "badnet-base")).ShouldSucceed();
        try
        {
            var devices = HostNetwork.Devices();
            var rules = HostNetwork.GockerRules().Where(r => r.Contains(Tag)).ToList();
            var networks = (await box.Run("network", "ls", "-q")).ShouldSucceed().Stdout;
            var before = await box.Snapshot();
            var hostRoute = File.ReadAllLines("/proc/net/route").Skip(1).Select(l => l.Split('\t', StringSplitOptions.RemoveEmptyEntries))
                .First(f => f[1] != "00000000");
            var routed = new System.Net.IPAddress(Convert.ToUInt32(hostRoute[1], 16)).ToString();

            string[][] cases =
            [
                ["network", "create", "--subnet", "10.201.5.0/33", "bad1"],
                ["network", "create", "--subnet", "10.201.5.1/24", "bad1"],
                ["network", "create", "--subnet", "nonsense", "bad1"],
                ["network", "create", "--subnet", "10.201.4.128/25", "bad1"],
                ["network", "create", "--subnet", $"{routed}/32", "bad1"],
                ["network", "create", "--subnet", "10.201.6.0/24", "--gateway", "10.201.7.1", "bad1"],
                ["network", "create", "--subnet", "10.201.6.0/24", "--ip-range", "10.201.7.0/25", "bad1"],
                ["network", "create", "--gateway", "10.201.6.1", "bad1"],
                ["network", "create", "--driver", "overlay", "bad1"],
                ["network", "create", "badnet-base"],
                ["run", "-p", "0:80", "busybox", "true"],
                ["run", "-p", "65536:80", "busybox", "true"],
                ["run", "-p", "80:99999", "busybox", "true"],
                ["run", "-p", "a:b", "busybox", "true"],
                ["run", "--network", "nosuchnet", "busybox", "true"],
                ["run", "--ip", "172.17.0.50", "busybox", "true"],
                ["run", "--network", "badnet-base", "--ip", "10.201.9.9", "busybox", "true"],
                ["run", "--network", "none", "-p", "80", "busybox", "true"],
                ["run", "--add-host", "nocolon", "busybox", "true"],
                ["run", "--dns", "1.2.3", "busybox", "true"],
                ["create", "--network", "nosuchnet", "busybox", "true"],
            ];
            foreach (var args in cases)
                (await box.Run(args)).ShouldBeGockerError();

            await box.AssertNothingNew(before);
            // Other sandboxes make and remove bridges meanwhile (NetworkLeakTests under 10.201.60.0/22, in
            // parallel): a device made by one of these commands would carry an address of the subnets
            // that the cases above name, so only those count.
            string[] named = ["10.201.4.", "10.201.5.", "10.201.6.", "10.201.7.", "10.201.9."];
            var ours = HostNetwork.Devices().Except(devices)
                .Where(d => HostNetwork.Addresses(d).Any(a => named.Any(n => a.StartsWith(n, StringComparison.Ordinal)))).ToList();
            Assert.Empty(ours);
            Assert.Equal(rules, HostNetwork.GockerRules().Where(r => r.Contains(Tag)));
            Assert.Equal(networks, (await box.Run("network", "ls", "-q")).ShouldSucceed().Stdout);
        }
        finally
        {
            (await box.Run("network", "rm", "badnet-base")).ShouldSucceed();
        }
    }

    [Fact]
    public async Task Fifty_concurrent_runs_on_one_network_get_fifty_addresses()
    {
        (await box.Run("network", "create", "--subnet", "10.201.8.0/24", "fifty")).ShouldSucceed();
        var runs = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            box.Run(TimeSpan.FromSeconds(120), "run", "-d", "--network", "fifty", "busybox", "sleep", "60")));
        var ids = runs.Select(r => r.ShouldSucceed().Stdout.Trim()).ToList();
        var ips = new List<string>();
        foreach (var id in ids)
            ips.Add(await Ip(id));
        Assert.Equal(50, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.Matches(@"^10\.201\.8\.(\d+)$", ip));
        Assert.DoesNotContain("10.201.8.1", ips);
        var inspect = (await box.Run("network", "inspect", "-f", "{{len .Containers}}", "fifty")).ShouldSucceed().Stdout.Trim();
        Assert.Equal("50", inspect);
        (await box.Run(TimeSpan.FromSeconds(120), ["rm", "-f", .. ids])).ShouldSucceed();
        Assert.Equal("0", (await box.Run("network", "inspect", "-f", "{{len .Containers}}", "fifty")).ShouldSucceed().Stdout.Trim());
        (await box.Run("network", "rm", "fifty")).ShouldSucceed();
    }

    [Fact]
    public async Task Etc_files_follow_add_host_dns_and_hostname()
    {
        var r = (await box.Run("run", "--rm", "--name", "etcnames", "-h", "myhost", "--add-host", "db:10.1.2.3", "--add-host", "gw:host-gateway",
            "--dns", "10.9.9.9", "--dns-search", "example.internal", "--dns-option", "ndots:3", "busybox", "sh", "-c",
            "cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; ip route | awk '/default/ {print $3}'")).ShouldSucceed();
        var parts = r.Stdout.Split("---\n");
        var gateway = parts[2].Trim();
        Assert.Matches(new Regex(@"^10\.1\.2\.3\tdb$", RegexOptions.Multiline), parts[0]);
        Assert.Matches(new Regex($@"^{Regex.Escape(gateway)}\tgw$", RegexOptions.Multiline), parts[0]);
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+\.\d+\tmyhost etcnames$", RegexOptions.Multiline), parts[0]);
        Assert.Contains("nameserver 10.9.9.9\n", parts[1]);
        Assert.DoesNotContain(File.ReadAllLines("/etc/resolv.conf").Where(l => l.StartsWith("nameserver", StringComparison.Ordinal)).Where(l => l != "nameserver 10.9.9.9"), parts[1].Contains);
        Assert.Contains("search example.internal\n", parts[1]);
        Assert.Contains("options ndots:3\n", parts[1]);
    }

    [Fact]
    public async Task A_killed_monitors_address_and_port_are_reclaimed()
    {
        (await box.Run("network", "create", "--subnet", "10.201.10.0/30", "onlyone")).ShouldSucceed(); // one address
        var c = await box.RunDetached("--network", "onlyone", "-p", "18085:80", "busybox", "sleep", "60");
        var monitor = int.Parse(await box.Inspect(c, "{{.State.Pid}}"));
        var monitorPid = ProcFs.ParentPid(monitor);
        Libc.Kill(monitorPid, Sig.KILL);
        await Poll.Until(() => !ProcFs.IsLive(monitor), "the container's init to die with its monitor", TimeSpan.FromSeconds(10));
        Assert.Contains(HostNetwork.GockerRules(), r => r.Contains($"c-{c[..12]}"));

        // The network is full and the port taken, by a dead container: the next start reclaims both.
        var next = await box.RunDetached("--network", "onlyone", "-p", "18085:80", "busybox", "sleep", "60");
        Assert.Equal("10.201.10.2", await Ip(next));
        Assert.DoesNotContain(HostNetwork.GockerRules(), r => r.Contains($"c-{c[..12]}"));
        (await box.Run("rm", "-f", c, next)).ShouldSucceed();
        (await box.Run("network", "rm", "onlyone")).ShouldSucceed();
    }

    [Fact]
    public async Task Network_ls_filters_and_formats()
    {
        (await box.Run("network", "create", "--subnet", "10.201.11.0/24", "--label", "team=blue", "lsnet")).ShouldSucceed();
        var table = (await box.Run("network", "ls")).ShouldSucceed().StdoutLines;
        Assert.Matches(@"^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$", table[0]);
        Assert.Contains(table, l => Regex.IsMatch(l, @"^[0-9a-f]{12}\s+bridge\s+bridge\s+local$"));
        Assert.Contains(table, l => Regex.IsMatch(l, @"^[0-9a-f]{12}\s+host\s+host\s+local$"));
        Assert.Contains(table, l => Regex.IsMatch(l, @"^[0-9a-f]{12}\s+none\s+null\s+local$"));
        Assert.Equal(["lsnet"], (await box.Run("network", "ls", "--filter", "name=lsn", "--format", "{{.Name}}")).ShouldSucceed().StdoutLines);
        Assert.Equal(["lsnet blue"], (await box.Run("network", "ls", "--filter", "label=team=blue", "--format", "{{.Name}} {{.Label \"team\"}}")).ShouldSucceed().StdoutLines);
        Assert.Equal([await NetworkId("lsnet")], (await box.Run("network", "ls", "-q", "--no-trunc", "--filter", "type=custom", "--filter", "name=lsnet")).ShouldSucceed().StdoutLines);
        (await box.Run("network", "ls", "--filter", "color=red")).ShouldBeGockerError();
        (await box.Run("network", "inspect", "nosuch")).ShouldExit(1);
        (await box.Run("network", "rm", "bridge")).ShouldExit(1);
        Assert.Equal(["Deleted Networks:", "lsnet"], (await box.Run("network", "prune", "-f")).ShouldSucceed().StdoutLines);
    }
}
