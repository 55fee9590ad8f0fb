using System.Buffers.Binary;
using System.Text;
using Gocker.Core.Filesystem;
using Gocker.Core.Process;
using Gocker.Core.Security;

namespace Gocker.Core.Tests.Process;

/// <summary>The plan gocker sends the container's init (native/initplan.h), read back field by field
/// as native/init.c reads it.</summary>
public class InitPlanTests
{
    private static InitConfig Config(Action<List<ContainerMount>>? mounts = null, bool hostNetwork = false, bool init = false,
        ProcessSecurity? security = null, bool readOnly = false)
    {
        var m = new List<ContainerMount>();
        mounts?.Invoke(m);
        return new InitConfig
        {
            Id = "c1", Hostname = "box", Args = ["sh", "-c", "echo 'a b'"], Env = ["PATH=/bin", "A="],
            User = "nobody", WorkingDir = "/w", Init = init,
            LowerDirs = "l/a:l/b", LowerBase = "/r/images/l", UpperDir = "/r/c/1/upper", WorkDir = "/r/c/1/work",
            Rootfs = "/r/c/1/rootfs", HostnameFile = "/r/c/1/hostname", HostsFile = "/r/c/1/hosts",
            ResolvConfFile = "/r/c/1/resolv.conf", Mounts = m, HostNetwork = hostNetwork, Security = security,
            ReadOnlyRootfs = readOnly,
        };
    }

    /// <summary>Decodes a plan into one line per operation ("mount overlay /r/c/1/rootfs ...").</summary>
    private sealed class Reader(byte[] plan)
    {
        private int _p = 4;

        public uint Magic => BinaryPrimitives.ReadUInt32LittleEndian(plan);
        public bool AtEnd => _p == plan.Length;

        private int Len()
        {
            int n = (int)BinaryPrimitives.ReadUInt32LittleEndian(plan.AsSpan(_p));
            _p += 4;
            return n;
        }

        public ulong U64()
        {
            Assert.Equal(8, Len());
            var v = BinaryPrimitives.ReadUInt64LittleEndian(plan.AsSpan(_p));
            _p += 8;
            return v;
        }

        public byte[]? Bytes()
        {
            int n = Len();
            if (n == -1)
                return null;
            Assert.Equal(0, plan[_p + n]); // the NUL init relies on
            var b = plan.AsSpan(_p, n).ToArray();
            _p += n + 1;
            return b;
        }

        public string? Str() => Bytes() is { } b ? Encoding.UTF8.GetString(b) : null;

    }

    private static List<string> Ops(byte[] plan)
    {
        var r = new Reader(plan);
        Assert.Equal(InitPlanWriter.Magic, r.Magic);
        var ops = new List<string>();
        while (true)
        {
            var op = (InitOp)r.U64();
            switch (op)
            {
                case InitOp.End:
                    Assert.True(r.AtEnd);
                    return ops;
                case InitOp.Mount:
                    ops.Add($"mount {r.Str() ?? "-"} {r.Str()} {r.Str() ?? "-"} {(MountFlags)r.U64()} {r.Str() ?? "-"} {r.Str() ?? "-"}");
                    break;
                case InitOp.Mknod:
                    ops.Add($"mknod {r.Str()} {Convert.ToString((long)r.U64(), 8)} {r.U64()}:{r.U64()} {r.U64()}:{r.U64()}");
                    break;
                case InitOp.Symlink:
                    ops.Add($"symlink {r.Str()} {r.Str()}");
                    break;
                case InitOp.Chdir:
                    ops.Add($"chdir {r.Str()}");
                    break;
                case InitOp.Prepare:
                    ops.Add($"prepare {r.Str()} {r.Str()} {r.U64()}");
                    break;
                case InitOp.Open:
                    ops.Add($"open {r.U64()} {r.Str()} {r.Str()} {r.U64()}");
                    break;
                case InitOp.Close:
                    ops.Add($"close {r.U64()}");
                    break;
                case InitOp.If:
                    var path = r.Str()!;
                    var kinds = (PathKinds)r.U64();
                    var skip = r.U64();
                    ops.Add($"if {path} {kinds} {skip}");
                    break;
                case InitOp.Pivot:
                    ops.Add($"pivot {r.Str()}");
                    break;
                case InitOp.Hostname:
                    ops.Add($"hostname {r.Str()}");
                    break;
                case InitOp.Loopback:
                    ops.Add("loopback");
                    break;
                case InitOp.Network:
                    ops.Add($"network {r.Str()} {new Gocker.Core.Network.Ipv4Address((uint)r.U64())}/{r.U64()} via {new Gocker.Core.Network.Ipv4Address((uint)r.U64())}");
                    break;
                case InitOp.Process:
                    var sb = new StringBuilder($"process user={r.Str()} workdir={r.Str()} tty={r.U64()} init={r.U64()}");
                    ulong argc = r.U64();
                    sb.Append(" argv=[").AppendJoin('|', Enumerable.Range(0, (int)argc).Select(_ => r.Str())).Append(']');
                    ulong envc = r.U64();
                    sb.Append(" env=[").AppendJoin('|', Enumerable.Range(0, (int)envc).Select(_ => r.Str())).Append(']');
                    sb.Append($" setcaps={r.U64()} caps={r.U64():x} nnp={r.U64()} seccomp={r.Bytes()!.Length}");
                    ulong n = r.U64();
                    for (ulong i = 0; i < n; i++)
                        sb.Append($" rlimit={r.U64()}:{r.U64()}:{r.U64()}");
                    ops.Add(sb.ToString());
                    break;
                default:
                    Assert.Fail($"unknown op {op}");
                    break;
            }
        }
    }

    [Fact]
    public void StartsPrivateThenOverlayFromTheLinkDirectoryAndEndsWithPivotHostnameLoopbackProcess()
    {
        var ops = Ops(InitPlan.Build(Config()));
        Assert.Equal("mount - / - Rec, Private - -", ops[0]);
        Assert.Equal("chdir /r/images/l", ops[1]);
        Assert.Equal("mount overlay /r/c/1/rootfs overlay None lowerdir=l/a:l/b,upperdir=/r/c/1/upper,workdir=/r/c/1/work -", ops[2]);
        int pivot = ops.IndexOf("pivot /r/c/1/rootfs");
        Assert.Equal(["hostname box", "loopback"], ops[(pivot + 1)..(pivot + 3)]);
        Assert.StartsWith("process user=nobody workdir=/w tty=0 init=0 argv=[sh|-c|echo 'a b'] env=[PATH=/bin|A=]", ops[^1]);
        Assert.Equal(pivot + 4, ops.Count);
    }

    [Fact]
    public void GockersOwnMountPointsArePreparedByInitBeforeTheirMounts()
    {
        var ops = Ops(InitPlan.Build(Config()));
        int prepare = ops.IndexOf("prepare /r/c/1/rootfs proc 0");
        Assert.True(prepare > 0);
        Assert.Equal("mount proc /r/c/1/rootfs/proc proc NoSuid, NoDev, NoExec - -", ops[prepare + 1]);
        Assert.Contains("prepare /r/c/1/rootfs etc/hosts 1", ops);
        Assert.Contains("mknod /r/c/1/rootfs/dev/null 20666 1:3 0:0", ops);
    }

    [Fact]
    public void ABridgeNetworkPlansEth0AfterTheLoopbackBeforeTheProcess()
    {
        var net = new InitNetwork("eth0", Gocker.Core.Network.Ipv4Address.Parse("10.60.0.2"), 24, Gocker.Core.Network.Ipv4Address.Parse("10.60.0.1"));
        var c = Config();
        var ops = Ops(InitPlan.Build(new InitConfig
        {
            Id = c.Id, Hostname = c.Hostname, Args = c.Args, Env = c.Env, LowerDirs = c.LowerDirs, UpperDir = c.UpperDir,
            WorkDir = c.WorkDir, Rootfs = c.Rootfs, HostnameFile = c.HostnameFile, HostsFile = c.HostsFile,
            ResolvConfFile = c.ResolvConfFile, Network = net,
        }));
        int loopback = ops.IndexOf("loopback");
        Assert.Equal("network eth0 10.60.0.2/24 via 10.60.0.1", ops[loopback + 1]);
        Assert.StartsWith("process ", ops[loopback + 2]);
        Assert.DoesNotContain(Ops(InitPlan.Build(Config())), o => o.StartsWith("network", StringComparison.Ordinal));
    }

    [Fact]
    public void HostNetworkLeavesLoopbackAlone()
    {
        Assert.DoesNotContain("loopback", Ops(InitPlan.Build(Config(hostNetwork: true))));
    }

    [Fact]
    public void MaskedPathsAreConditionsThatSkipExactlyTheirMounts()
    {
        var plan = InitPlan.Build(Config());
        var ops = Ops(plan);
        var ifs = ops.Where(o => o.StartsWith("if /r/c/1/rootfs/proc/kcore ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["if /r/c/1/rootfs/proc/kcore Directory", "if /r/c/1/rootfs/proc/kcore File"],
            ifs.Select(o => string.Join(' ', o.Split(' ')[..3])));
        // Each If is followed by exactly the one mount it guards, and its byte count is that mount's size.
        int i = ops.IndexOf(ifs[0]);
        Assert.StartsWith("mount tmpfs /r/c/1/rootfs/proc/kcore tmpfs ReadOnly", ops[i + 1]);
        Assert.StartsWith("mount /dev/null /r/c/1/rootfs/proc/kcore - Bind", ops[i + 3]);
        var ro = ops.Single(o => o.StartsWith("if /r/c/1/rootfs/proc/sys ", StringComparison.Ordinal));
        Assert.Contains(" Exists ", ro);
        Assert.StartsWith("mount /r/c/1/rootfs/proc/sys /r/c/1/rootfs/proc/sys - Bind, Rec", ops[ops.IndexOf(ro) + 1]);
        Assert.Equal(ReadonlyPathBytes("/r/c/1/rootfs/proc/sys"), SkipOf(plan, "/r/c/1/rootfs/proc/sys"));
    }

    [Fact]
    public void UserMountsOpenTheirTargetInASlotAndMountThroughIt()
    {
        var ops = Ops(InitPlan.Build(Config(m =>
        {
            m.Add(new ContainerMount { Type = ContainerMount.BindType, Source = "/host/data", Destination = "/data", ReadOnly = true });
            m.Add(new ContainerMount { Type = ContainerMount.TmpfsType, Destination = "/tmp", Data = "size=1m" });
        })));
        int open = ops.IndexOf("open 0 /r/c/1/rootfs /data 0");
        Assert.True(open > 0);
        Assert.Equal("mount /host/data \u00010 - Bind, Rec - -", ops[open + 1]);
        Assert.Equal("close 0", ops[open + 2]);
        Assert.Equal("open 0 /r/c/1/rootfs /data 0", ops[open + 3]);
        Assert.Equal("mount - \u00010 - Rec, Private - -", ops[open + 4]);
        Assert.Equal("mount - \u00010 - ReadOnly, Remount, Bind - /host/data", ops[open + 5]);
        Assert.Equal("close 0", ops[open + 6]);
        Assert.Contains("open 0 /r/c/1/rootfs /tmp 0", ops);
    }

    [Fact]
    public void ReadOnlyRootRemountsTakeTheLockedFlagsOfTheirOwnMount()
    {
        var ops = Ops(InitPlan.Build(Config(readOnly: true)));
        Assert.Contains("mount - /r/c/1/rootfs - ReadOnly, Remount, Bind - /r/c/1/rootfs", ops);
        Assert.Contains("mount - /r/c/1/rootfs/etc/hosts - ReadOnly, Remount, Bind - /r/c/1/rootfs/etc/hosts", ops);
        // -w is created before the root turns read-only.
        Assert.True(ops.IndexOf("open 0 /r/c/1/rootfs /w 0") < ops.IndexOf("mount - /r/c/1/rootfs - ReadOnly, Remount, Bind - /r/c/1/rootfs"));
    }

    [Fact]
    public void ProcessCarriesConfinementAndLimits()
    {
        var security = new ProcessSecurity
        {
            Capabilities = 0xa80425fb, NoNewPrivileges = true, SeccompFilter = new byte[16],
            Ulimits = [new Ulimit("nofile", 100, -1)],
        };
        var ops = Ops(InitPlan.Build(Config(init: true, security: security)));
        Assert.EndsWith($"init=1 argv=[sh|-c|echo 'a b'] env=[PATH=/bin|A=] setcaps=1 caps=a80425fb nnp=1 seccomp=16 rlimit=7:100:{ulong.MaxValue}", ops[^1]);
    }

    [Fact]
    public void PrivilegedKeepsCapabilitiesAndCopiesHostDevices()
    {
        var c = Config(security: new ProcessSecurity { KeepCapabilities = true });
        var p = new InitConfig
        {
            Id = c.Id, Hostname = c.Hostname, Args = c.Args, Env = c.Env, LowerDirs = c.LowerDirs, UpperDir = c.UpperDir,
            WorkDir = c.WorkDir, Rootfs = c.Rootfs, HostnameFile = c.HostnameFile, HostsFile = c.HostsFile,
            ResolvConfFile = c.ResolvConfFile, Security = c.Security, Privileged = true, MaskSystemPaths = false,
        };
        var ops = Ops(InitPlan.Build(p, [new DeviceNode("net/tun", false, 10, 200, 0b110_110_110, 0, 0), new DeviceNode("sda", true, 8, 0, 0b110_110_000, 0, 6)]));
        Assert.Contains("prepare /r/c/1/rootfs/dev net 0", ops);
        Assert.Contains("mknod /r/c/1/rootfs/dev/net/tun 20666 10:200 0:0", ops);
        Assert.Contains("mknod /r/c/1/rootfs/dev/sda 60660 8:0 0:6", ops);
        Assert.DoesNotContain(ops, o => o.StartsWith("if ", StringComparison.Ordinal));
        Assert.Contains("setcaps=0", ops[^1]);
    }

    [Fact]
    public void AnEmptyCommandIsRefusedBeforeAnythingStarts()
    {
        var c = Config();
        c.Args.Clear();
        Assert.Throws<GockerException>(() => InitPlan.Build(c));
    }

    [Fact]
    public void SlotsAreReusedOnceClosedAndStringsAreNulTerminated()
    {
        var w = new InitPlanWriter();
        var sys = new PlanMountSyscalls(w);
        var a = sys.OpenInRoot("/r", "/a", false);
        var b = sys.OpenInRoot("/r", "/b", true);
        Assert.Equal("\u00010", a.Path);
        Assert.Equal("\u00011", b.Path);
        a.Dispose();
        a.Dispose(); // once only
        Assert.Equal("\u00010", sys.OpenInRoot("/r", "/c", false).Path);
        w.Op(InitOp.End);
        var ops = Ops(w.ToArray());
        Assert.Equal(["open 0 /r /a 0", "open 1 /r /b 1", "close 0", "open 0 /r /c 0"], ops);
    }

    /// <summary>The skip count of the If on path.</summary>
    private static ulong SkipOf(byte[] plan, string path) =>
        ulong.Parse(Ops(plan).Single(o => o.StartsWith($"if {path} ", StringComparison.Ordinal)).Split(' ')[^1]);

    /// <summary>The encoded size of the two mounts that make a read-only path (the same calls, written alone).</summary>
    private static ulong ReadonlyPathBytes(string target)
    {
        var w = new InitPlanWriter();
        int start = w.Length;
        var sys = new PlanMountSyscalls(w);
        sys.Mount(target, target, null, MountFlags.Bind | MountFlags.Rec, null);
        sys.Mount(target, target, null,
            MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, null);
        return (ulong)(w.Length - start);
    }
}
