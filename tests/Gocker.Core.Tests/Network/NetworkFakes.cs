using Gocker.Core.Interop;
using Gocker.Core.Network;
using Gocker.Core.Network.Iptables;

namespace Gocker.Core.Tests.Network;

/// <summary>The devices of a pretend namespace: every call recorded; failures injectable.</summary>
public sealed class FakeLinks : ILinks
{
    public Dictionary<string, (int Index, bool Up)> Devices { get; } = [];
    /// <summary>What a dump shows beyond index and state: kind, master index, alias, by name.</summary>
    public Dictionary<string, string> Kinds { get; } = [];
    public Dictionary<string, int> Masters { get; } = [];
    public Dictionary<string, string> Aliases { get; } = [];
    public List<string> Calls { get; } = [];
    /// <summary>Call name ("CreateBridge", "AddAddress"...) → errno to fail it with.</summary>
    public Dictionary<string, int> FailWith { get; } = [];
    private int _next = 10;

    private void Call(string name, string detail)
    {
        Calls.Add($"{name} {detail}".Trim());
        if (FailWith.TryGetValue(name, out var errno))
            throw new SyscallException(name, errno);
    }

    public LinkState? Find(string name) => Devices.TryGetValue(name, out var d) ? new LinkState(d.Index, d.Up) : null;

    public int CreateBridge(string name)
    {
        Call("CreateBridge", name);
        if (Devices.ContainsKey(name))
            throw new SyscallException("create bridge", 17);
        Devices[name] = (++_next, false);
        Kinds[name] = "bridge";
        return _next;
    }

    /// <summary>A device that something else made (another gocker, an older one, by hand).</summary>
    public int AddDevice(string name, string kind, string? alias = null, int master = 0)
    {
        Devices[name] = (++_next, true);
        Kinds[name] = kind;
        if (alias is not null)
            Aliases[name] = alias;
        if (master != 0)
            Masters[name] = master;
        return _next;
    }

    public IReadOnlyList<LinkInfo> List() =>
        Devices.Select(d => new LinkInfo(d.Key, d.Value.Index, Kinds.GetValueOrDefault(d.Key), Masters.GetValueOrDefault(d.Key),
            Aliases.GetValueOrDefault(d.Key))).ToList();

    public void SetAlias(int index, string alias)
    {
        Call("SetAlias", $"{index} {alias}");
        var name = Devices.Single(d => d.Value.Index == index).Key;
        Aliases[name] = alias;
    }

    public void AddAddress(int index, Ipv4Address address, int prefixLength) => Call("AddAddress", $"{index} {address}/{prefixLength}");

    public void SetUp(int index)
    {
        Call("SetUp", $"{index}");
        foreach (var (k, v) in Devices.Where(d => d.Value.Index == index).ToList())
            Devices[k] = (v.Index, true);
    }

    public void CreateVeth(string hostName, int bridgeIndex, string peerName, int peerNetnsPid, byte[] peerMac)
    {
        Call("CreateVeth", $"{hostName} {bridgeIndex} {peerName} {peerNetnsPid} {IpamTable.FormatMac(peerMac)}");
        if (Devices.ContainsKey(hostName))
            throw new SyscallException("create veth", 17);
        Devices[hostName] = (++_next, true);
        Kinds[hostName] = "veth";
        Masters[hostName] = bridgeIndex;
        var ns = Namespaces.TryGetValue(peerNetnsPid, out var n) ? n : Namespaces[peerNetnsPid] = new FakeLinks();
        ns.Devices[peerName] = (2, false);
    }

    public bool Delete(string name)
    {
        Call("Delete", name);
        if (!Devices.Remove(name, out var gone))
            return false;
        Kinds.Remove(name);
        Masters.Remove(name);
        Aliases.Remove(name);
        // A bridge's ports stay, released from it, as the kernel does.
        foreach (var port in Masters.Where(m => m.Value == gone.Index).Select(m => m.Key).ToList())
            Masters.Remove(port);
        return true;
    }

    public void AddDefaultRoute(Ipv4Address gateway, int index) => Call("AddDefaultRoute", $"{gateway} {index}");

    public IReadOnlyList<string> Names() => Devices.Keys.ToList();

    /// <summary>Namespaces by pid; each one's links made on first use, with an "eth0" once a veth's
    /// peer was made there.</summary>
    public Dictionary<int, FakeLinks> Namespaces { get; } = [];

    public ILinks InNamespaceOf(int pid)
    {
        Call("InNamespaceOf", $"{pid}");
        return Namespaces.TryGetValue(pid, out var ns) ? ns : Namespaces[pid] = new FakeLinks();
    }

    public void Dispose() { }
}

/// <summary>A small iptables: tables of chains of rules (as argument lists), dumped as iptables-save
/// does (comments quoted) and changed by restore batches, each table all or nothing. A "-D" of a rule
/// that does not exist fails the batch, as the real one does.</summary>
public sealed class FakeIptables : IIptables
{
    public SortedDictionary<string, SortedDictionary<string, List<List<string>>>> Tables { get; } = new()
    {
        ["filter"] = new() { ["INPUT"] = [], ["FORWARD"] = [], ["OUTPUT"] = [] },
        ["nat"] = new() { ["PREROUTING"] = [], ["INPUT"] = [], ["OUTPUT"] = [], ["POSTROUTING"] = [] },
    };
    public List<string> Restores { get; } = [];
    public int Saves { get; private set; }
    public bool FailRestore { get; set; }

    public string Save()
    {
        Saves++;
        var sb = new System.Text.StringBuilder("# Generated by fake\n");
        foreach (var (table, chains) in Tables)
        {
            sb.Append('*').Append(table).Append('\n');
            foreach (var chain in chains.Keys)
                sb.Append(':').Append(chain).Append(" - [0:0]\n");
            foreach (var (chain, rules) in chains)
                foreach (var r in rules)
                    sb.Append("-A ").Append(chain).Append(' ').Append(Quote(r)).Append('\n');
            sb.Append("COMMIT\n");
        }
        return sb.ToString();
    }

    private static string Quote(List<string> spec) =>
        string.Join(' ', spec.Select((t, i) => i > 0 && spec[i - 1] == "--comment" && t.Contains(':') ? $"\"{t}\"" : t));

    public void Restore(string input)
    {
        Restores.Add(input);
        if (FailRestore)
            throw new GockerException("iptables-restore failed (exit 1): fake");
        string table = "";
        var copy = Clone();
        foreach (var line in input.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('*')) { table = line[1..]; continue; }
            if (line == "COMMIT") continue;
            var t = IptablesDump.Tokenize(line);
            var chains = copy[table];
            switch (t[0])
            {
                case "-N":
                    if (!chains.TryAdd(t[1], [])) throw new GockerException($"iptables-restore: chain {t[1]} exists");
                    break;
                case "-A":
                    Chain(chains, t[1]).Add(t[2..]);
                    break;
                case "-I":
                    Chain(chains, t[1]).Insert(int.Parse(t[2]) - 1, t[3..]);
                    break;
                case "-D":
                    var list = Chain(chains, t[1]);
                    int i = list.FindIndex(r => r.SequenceEqual(t[2..]));
                    if (i < 0) throw new GockerException($"iptables-restore: line failed: {line}");
                    list.RemoveAt(i);
                    break;
                default:
                    throw new GockerException($"fake iptables: {line}");
            }
        }
        Tables.Clear();
        foreach (var (k, v) in copy) Tables[k] = v;
    }

    private static List<List<string>> Chain(SortedDictionary<string, List<List<string>>> chains, string name) =>
        chains.TryGetValue(name, out var c) ? c : throw new GockerException($"iptables-restore: no chain {name}");

    private SortedDictionary<string, SortedDictionary<string, List<List<string>>>> Clone()
    {
        var c = new SortedDictionary<string, SortedDictionary<string, List<List<string>>>>();
        foreach (var (t, chains) in Tables)
        {
            c[t] = new SortedDictionary<string, List<List<string>>>();
            foreach (var (name, rules) in chains)
                c[t][name] = rules.Select(r => r.ToList()).ToList();
        }
        return c;
    }

    /// <summary>Every rule of gocker's chains, as "table chain spec".</summary>
    public List<string> GockerRules() =>
        Tables.SelectMany(t => t.Value.Where(c => c.Key.StartsWith("GOCKER-")).SelectMany(c => c.Value.Select(r => $"{t.Key} {c.Key} {string.Join(' ', r)}"))).ToList();
}

public sealed class FakeSysctl : ISysctl
{
    public Dictionary<string, string> Values { get; } = [];
    public void Set(string key, string value) => Values[key] = value;
}

/// <summary>A temporary root with a fake host (routes file, host lock, devices, iptables) around it.</summary>
public sealed class FakeNetworkHost : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("gocker-net-test-").FullName;
    public FakeLinks Links { get; } = new();
    public FakeIptables Iptables { get; } = new();
    public FakeSysctl Sysctl { get; } = new();
    public HashSet<int> BusyPorts { get; } = [];
    public NetworkHost Host { get; }
    public Gocker.Core.Containers.GockerRoot Root { get; }

    public string RoutesPath => Path.Combine(Dir, "route");

    public FakeNetworkHost()
    {
        File.WriteAllText(RoutesPath, Routes(("eth0", "192.0.2.0", "255.255.255.0"), ("eth0", "0.0.0.0", "0.0.0.0")));
        Root = new Gocker.Core.Containers.GockerRoot(Path.Combine(Dir, "root"));
        Host = new NetworkHost
        {
            Links = () => Links,
            Iptables = Iptables,
            Sysctl = Sysctl,
            RoutesPath = RoutesPath,
            HostLockPath = Path.Combine(Dir, "host.lock"),
            PortIsFree = (_, port, _) => !BusyPorts.Contains(port),
            EphemeralRange = () => (40000, 40009),
        };
    }

    /// <summary>/proc/net/route text for (iface, destination, mask) triples.</summary>
    public static string Routes(params (string Iface, string Dst, string Mask)[] routes)
    {
        static string Hex(string ip) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(Ipv4Address.Parse(ip).Value).ToString("X8");
        var sb = new System.Text.StringBuilder("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n");
        foreach (var (i, d, m) in routes)
            sb.Append($"{i}\t{Hex(d)}\t00000000\t0001\t0\t0\t0\t{Hex(m)}\t0\t0\t0\n");
        return sb.ToString();
    }

    public void AddRoute(string dst, string mask) =>
        File.AppendAllText(RoutesPath, Routes(("x", dst, mask)).Split('\n', 2)[1]);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
