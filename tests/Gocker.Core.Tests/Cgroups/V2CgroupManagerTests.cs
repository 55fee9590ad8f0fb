using Gocker.Core.Cgroups;

namespace Gocker.Core.Tests.Cgroups;

public class V2CgroupManagerTests
{
    private static readonly HostFacts Host = new("0-1", "0", CgroupVersion.V2);
    private const string D = "/cg2/gocker/c1/";

    private static (FakeCgroupFs Fs, V2CgroupManager Mgr, List<TimeSpan> Sleeps) Make(string controllers = "cpuset cpu io memory pids", bool swap = true)
    {
        var fs = SampleTrees.V2(controllers, swap);
        var sleeps = new List<TimeSpan>();
        return (fs, new V2CgroupManager("/cg2", "gocker/c1", fs) { Sleep = sleeps.Add, FreezeTimeout = TimeSpan.FromSeconds(1) }, sleeps);
    }

    [Fact]
    public void CreateDelegatesTheControllersAtEachLevel()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.None);
        Assert.True(mgr.Exists);
        Assert.Equal("cpu cpuset memory pids", fs.Files["/cg2/cgroup.subtree_control"]);   // not io
        Assert.Equal("cpu cpuset memory pids", fs.Files["/cg2/gocker/cgroup.subtree_control"]);
        Assert.Equal("cpu cpuset memory pids", fs.Files[D + "cgroup.controllers"]);
        Assert.Equal(
            [("/cg2/cgroup.subtree_control", "+cpu"), ("/cg2/cgroup.subtree_control", "+cpuset"),
             ("/cg2/cgroup.subtree_control", "+memory"), ("/cg2/cgroup.subtree_control", "+pids"),
             ("/cg2/gocker/cgroup.subtree_control", "+cpu"), ("/cg2/gocker/cgroup.subtree_control", "+cpuset"),
             ("/cg2/gocker/cgroup.subtree_control", "+memory"), ("/cg2/gocker/cgroup.subtree_control", "+pids")],
            fs.Writes);   // and no limits
        Assert.Equal([D + "cgroup.procs"], mgr.ProcsFiles);
        Assert.Equal([D + "cgroup.procs"], mgr.JoinFiles);
        fs.Writes.Clear();
        new V2CgroupManager("/cg2", "gocker/c2", fs).Create(ResourceLimits.None);
        Assert.Empty(fs.Writes);   // already delegated
        mgr.AddProcess(4242);
        Assert.Equal("4242", fs.Files[D + "cgroup.procs"]);
    }

    [Fact]
    public void MemoryFlags()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m", memorySwap: "192m", memoryReservation: "32m"));
        Assert.Equal("67108864", fs.WrittenTo(D + "memory.max"));
        Assert.Equal("134217728", fs.WrittenTo(D + "memory.swap.max"));   // swap alone: 192m - 64m
        Assert.Equal("33554432", fs.WrittenTo(D + "memory.low"));
    }

    [Fact]
    public void DefaultAndUnlimitedSwap()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));
        Assert.Equal("67108864", fs.WrittenTo(D + "memory.swap.max"));   // Docker's default: memory-swap = 2 x memory
        mgr.Apply(ResourceLimits.Parse(Host, memory: "64m", memorySwap: "-1", update: true));
        Assert.Equal("max", fs.WrittenTo(D + "memory.swap.max"));
    }

    [Fact]
    public void NoSwapControllerFileNoSwapWrite()
    {
        var (fs, mgr, _) = Make(swap: false);
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));
        Assert.Equal("67108864", fs.WrittenTo(D + "memory.max"));
        Assert.DoesNotContain(fs.Writes, w => w.Path.Contains("swap"));
    }

    [Theory]
    [InlineData("2", 1)]
    [InlineData("1024", 39)]
    [InlineData("512", 20)]
    [InlineData("262144", 10000)]
    public void CpuSharesBecomeWeightAsRuncConvertsThem(string shares, long weight)
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, cpuShares: shares));
        Assert.Equal(weight.ToString(), fs.WrittenTo(D + "cpu.weight"));
    }

    [Fact]
    public void CpusAndCpuset()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, cpus: "0.5", cpusetCpus: "1", cpusetMems: "0"));
        Assert.Equal("50000 100000", fs.WrittenTo(D + "cpu.max"));
        Assert.Equal("1", fs.WrittenTo(D + "cpuset.cpus"));
        Assert.Equal("0", fs.WrittenTo(D + "cpuset.mems"));
    }

    [Fact]
    public void CpusetNotGivenIsLeftEmpty()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, cpusetCpus: "1"));
        Assert.False(fs.WasWritten(D + "cpuset.mems"));   // v2: empty means the parent's
    }

    [Theory]
    [InlineData("20", "20")]
    [InlineData("-1", "max")]
    public void PidsLimit(string flag, string written)
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, pidsLimit: flag));
        Assert.Equal(written, fs.WrittenTo(D + "pids.max"));
    }

    [Fact]
    public void MissingControllerIsAnErrorAndNothingIsCreated()
    {
        var (fs, mgr, _) = Make(controllers: "cpu io memory");
        var e = Assert.Throws<GockerException>(() => mgr.Create(ResourceLimits.Parse(Host, memory: "64m", pidsLimit: "5")));
        Assert.Equal("cgroup controller pids is not available", e.Message);
        Assert.Empty(fs.Created);
        Assert.Empty(fs.Writes);
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));
        Assert.Equal("cpu memory", fs.Files[D + "cgroup.controllers"]);
    }

    [Fact]
    public void AFailedWriteRemovesWhatCreateMade()
    {
        var (fs, mgr, _) = Make();
        var kernel = fs.OnWrite!;
        fs.OnWrite = (f, p, v) => p.EndsWith("pids.max") ? throw new IOException("Invalid argument", 22) : kernel(f, p, v);
        Assert.Throws<GockerException>(() => mgr.Create(ResourceLimits.Parse(Host, pidsLimit: "5")));
        Assert.False(mgr.Exists);
        Assert.DoesNotContain("/cg2/gocker", fs.Dirs);
    }

    [Fact]
    public void Stats()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m", pidsLimit: "20"));
        fs.Files[D + "cpu.stat"] = "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 0\n";
        fs.Files[D + "memory.current"] = "10485760\n";
        fs.Files[D + "memory.stat"] = "anon 1\nfile 4096\nactive_file 0\ninactive_file 4096\n";
        fs.Files[D + "pids.current"] = "2\n";
        Assert.Equal(new CgroupStats(2_500_000, 10485760, 64L << 20, 4096, 2, 20), mgr.Stats());
    }

    [Fact]
    public void StatsUnlimited()
    {
        var (_, mgr, _) = Make();
        mgr.Create(ResourceLimits.None);
        Assert.Equal(new CgroupStats(0, 0, null, 0, 0, null), mgr.Stats());
    }

    [Fact]
    public void OomKilledFromMemoryEvents()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));
        fs.Files[D + "memory.events"] = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\n";
        Assert.False(mgr.OomKilled());
        fs.Files[D + "memory.events"] = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n";
        Assert.True(mgr.OomKilled());
    }

    [Fact]
    public void FreezeWaitsForTheFrozenEvent()
    {
        var (fs, mgr, sleeps) = Make();
        mgr.Create(ResourceLimits.None);
        var flipping = new List<TimeSpan>();
        var m = new V2CgroupManager("/cg2", "gocker/c1", fs)
        {
            Sleep = t =>
            {
                flipping.Add(t);
                if (flipping.Count == 2) fs.Files[D + "cgroup.events"] = $"populated 1\nfrozen {fs.Files[D + "cgroup.freeze"]}\n";
            },
        };
        m.Freeze();
        Assert.Equal("1", fs.Files[D + "cgroup.freeze"]);
        Assert.Equal(2, flipping.Count);
        flipping.Clear();
        m.Thaw();
        Assert.Equal("0", fs.Files[D + "cgroup.freeze"]);
        Assert.Equal(2, flipping.Count);
    }

    [Fact]
    public void FreezeTimesOutAndThaws()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.None);
        var e = Assert.Throws<GockerException>(mgr.Freeze);
        Assert.Equal("cgroup /cg2/gocker/c1 did not become frozen within 1s", e.Message);
        Assert.Equal("0", fs.Files[D + "cgroup.freeze"]);
    }

    [Fact]
    public void Remove()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.None);
        fs.Files[D + "cgroup.procs"] = "5\n";
        var e = Assert.Throws<GockerException>(mgr.Remove);
        Assert.Equal("cannot remove cgroup /cg2/gocker/c1: Device or resource busy", e.Message);
        fs.Files[D + "cgroup.procs"] = "";
        mgr.Remove();
        Assert.False(mgr.Exists);
        Assert.Contains("/cg2/gocker", fs.Dirs);
        mgr.Remove();
    }
}
