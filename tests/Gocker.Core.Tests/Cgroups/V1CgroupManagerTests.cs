using Gocker.Core.Cgroups;

namespace Gocker.Core.Tests.Cgroups;

public class V1CgroupManagerTests
{
    private static readonly HostFacts Host = new("0-1", "0", CgroupVersion.V1);
    private static readonly string[] ContainerDirs =
        ["/cg/memory/gocker/c1", "/cg/cpu,cpuacct/gocker/c1", "/cg/cpuset/gocker/c1", "/cg/pids/gocker/c1", "/cg/freezer/gocker/c1"];

    private static (FakeCgroupFs Fs, V1CgroupManager Mgr, List<TimeSpan> Sleeps) Make(bool swapAccounting = true, bool pids = true)
    {
        var (fs, mounts) = SampleTrees.V1(swapAccounting, pids);
        var sleeps = new List<TimeSpan>();
        return (fs, new V1CgroupManager(mounts, "gocker/c1", fs) { Sleep = sleeps.Add, FreezeTimeout = TimeSpan.FromSeconds(1) }, sleeps);
    }

    [Fact]
    public void CreateWithoutLimitsMakesTheDirectoriesAndOnlyFillsTheCpuset()
    {
        var (fs, mgr, _) = Make();
        Assert.False(mgr.Exists);
        mgr.Create(ResourceLimits.None);
        Assert.True(mgr.Exists);
        foreach (var d in ContainerDirs) Assert.Contains(d, fs.Dirs);
        Assert.Contains("/cg/memory/gocker", fs.Dirs);
        // Only cpuset.cpus/mems, copied from the parent at each level: no limits unless asked.
        Assert.Equal(
            [("/cg/cpuset/gocker/cpuset.cpus", "0-1"), ("/cg/cpuset/gocker/cpuset.mems", "0"),
             ("/cg/cpuset/gocker/c1/cpuset.cpus", "0-1"), ("/cg/cpuset/gocker/c1/cpuset.mems", "0")],
            fs.Writes);
        Assert.Equal(ContainerDirs.Select(d => d + "/cgroup.procs").OrderBy(x => x), mgr.ProcsFiles.OrderBy(x => x));
        // Joining writes "0" to `tasks`: the single-thread move that skips the RCU grace period.
        Assert.Equal(ContainerDirs.Select(d => d + "/tasks").OrderBy(x => x), mgr.JoinFiles.OrderBy(x => x));
    }

    [Fact]
    public void ProcessCanJoinEveryHierarchy()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.None);
        mgr.AddProcess(4242);
        foreach (var d in ContainerDirs) Assert.Equal("4242", fs.WrittenTo(d + "/cgroup.procs"));
    }

    [Fact]
    public void SecondContainerReusesTheParent()
    {
        var (fs, mounts) = SampleTrees.V1();
        new V1CgroupManager(mounts, "gocker/c1", fs).Create(ResourceLimits.None);
        fs.Writes.Clear();
        new V1CgroupManager(mounts, "gocker/c2", fs).Create(ResourceLimits.None);
        Assert.Equal(
            [("/cg/cpuset/gocker/c2/cpuset.cpus", "0-1"), ("/cg/cpuset/gocker/c2/cpuset.mems", "0")], fs.Writes);
    }

    [Fact]
    public void MemoryFlags()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m", memoryReservation: "32m", oomKillDisable: true));
        const string d = "/cg/memory/gocker/c1/";
        Assert.Equal("67108864", fs.WrittenTo(d + "memory.limit_in_bytes"));
        Assert.Equal("134217728", fs.WrittenTo(d + "memory.memsw.limit_in_bytes"));
        Assert.True(fs.IndexOfWrite(d + "memory.limit_in_bytes") < fs.IndexOfWrite(d + "memory.memsw.limit_in_bytes"));
        Assert.Equal("33554432", fs.WrittenTo(d + "memory.soft_limit_in_bytes"));
        Assert.Equal("1", fs.WrittenTo(d + "memory.oom_control"));
    }

    [Fact]
    public void UnlimitedSwap()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m", memorySwap: "-1"));
        Assert.Equal("-1", fs.WrittenTo("/cg/memory/gocker/c1/memory.memsw.limit_in_bytes"));
        Assert.Equal("67108864", fs.WrittenTo("/cg/memory/gocker/c1/memory.limit_in_bytes"));
    }

    [Fact]
    public void UpdateRaisingMemoryWritesSwapFirstAndLoweringWritesItLast()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));
        const string d = "/cg/memory/gocker/c1/";
        fs.Writes.Clear();
        mgr.Apply(ResourceLimits.Parse(Host, memory: "256m", memorySwap: "512m", update: true));   // the fake kernel enforces memsw >= limit
        Assert.Equal([(d + "memory.memsw.limit_in_bytes", "536870912"), (d + "memory.limit_in_bytes", "268435456")], fs.Writes);
        fs.Writes.Clear();
        mgr.Apply(ResourceLimits.Parse(Host, memory: "16m", memorySwap: "32m", update: true));
        Assert.Equal([(d + "memory.limit_in_bytes", "16777216"), (d + "memory.memsw.limit_in_bytes", "33554432")], fs.Writes);
    }

    [Fact]
    public void WithoutSwapAccountingMemswIsNotWritten()
    {
        var (fs, mgr, _) = Make(swapAccounting: false);
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m", memorySwap: "128m"));
        Assert.Equal("67108864", fs.WrittenTo("/cg/memory/gocker/c1/memory.limit_in_bytes"));
        Assert.DoesNotContain(fs.Writes, w => w.Path.Contains("memsw"));
    }

    [Fact]
    public void CpuFlags()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, cpus: "1.5", cpuShares: "512"));
        const string d = "/cg/cpu,cpuacct/gocker/c1/";
        Assert.Equal("100000", fs.WrittenTo(d + "cpu.cfs_period_us"));
        Assert.Equal("150000", fs.WrittenTo(d + "cpu.cfs_quota_us"));
        Assert.True(fs.IndexOfWrite(d + "cpu.cfs_period_us") < fs.IndexOfWrite(d + "cpu.cfs_quota_us"));
        Assert.Equal("512", fs.WrittenTo(d + "cpu.shares"));
    }

    [Fact]
    public void CpusetGivenAndInherited()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, cpusetCpus: "1"));
        Assert.Equal("1", fs.Files["/cg/cpuset/gocker/c1/cpuset.cpus"]);
        Assert.Equal("0", fs.Files["/cg/cpuset/gocker/c1/cpuset.mems"]);
        Assert.Equal("0-1", fs.Files["/cg/cpuset/gocker/cpuset.cpus"]);
        mgr.AddProcess(7);
    }

    [Theory]
    [InlineData("20", "20")]
    [InlineData("-1", "max")]
    [InlineData("0", "max")]
    public void PidsLimit(string flag, string written)
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, pidsLimit: flag));
        Assert.Equal(written, fs.WrittenTo("/cg/pids/gocker/c1/pids.max"));
    }

    [Fact]
    public void MissingControllerNeededByALimitIsAnErrorAndNothingIsCreated()
    {
        var (fs, mgr, _) = Make(pids: false);
        var e = Assert.Throws<GockerException>(() => mgr.Create(ResourceLimits.Parse(Host, pidsLimit: "20")));
        Assert.Equal("cgroup controller pids is not available", e.Message);
        Assert.Empty(fs.Created);
        Assert.False(mgr.Exists);
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));   // not needed: skipped
        Assert.Equal(4, mgr.ProcsFiles.Count);
    }

    [Fact]
    public void AFailedWriteRemovesWhatCreateMade()
    {
        var (fs, mgr, _) = Make();
        var kernel = fs.OnWrite!;
        fs.OnWrite = (f, p, v) => p.EndsWith("cpu.shares") ? throw new IOException("Invalid argument", 22) : kernel(f, p, v);
        var e = Assert.Throws<GockerException>(() => mgr.Create(ResourceLimits.Parse(Host, memory: "64m", cpuShares: "512")));
        Assert.Equal("cannot write 512 to /cg/cpu,cpuacct/gocker/c1/cpu.shares: Invalid argument", e.Message);
        Assert.Equal(125, e.ExitCode);
        Assert.False(mgr.Exists);
        Assert.DoesNotContain(fs.Dirs, d => d.Contains("gocker"));   // the parent too: this call made it
    }

    [Fact]
    public void Stats()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m", pidsLimit: "20"));
        fs.Files["/cg/cpu,cpuacct/gocker/c1/cpuacct.usage"] = "123456789\n";
        fs.Files["/cg/memory/gocker/c1/memory.usage_in_bytes"] = "10485760\n";
        fs.Files["/cg/memory/gocker/c1/memory.stat"] = "cache 4096\nrss 1\ntotal_cache 4096\ntotal_inactive_file 8192\n";
        fs.Files["/cg/pids/gocker/c1/pids.current"] = "3\n";
        Assert.Equal(new CgroupStats(123456789, 10485760, 64L << 20, 8192, 3, 20), mgr.Stats());
    }

    [Fact]
    public void StatsUnlimited()
    {
        var (_, mgr, _) = Make();
        mgr.Create(ResourceLimits.None);
        Assert.Equal(new CgroupStats(0, 0, null, 0, 0, null), mgr.Stats());
    }

    [Fact]
    public void OomKilledReadsTheOomKillCounterNotFailcnt()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));
        const string d = "/cg/memory/gocker/c1/";
        fs.Files[d + "memory.failcnt"] = "57";   // hit the limit, reclaimed, nobody killed
        Assert.False(mgr.OomKilled());
        fs.Files[d + "memory.oom_control"] = "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n";
        Assert.True(mgr.OomKilled());
        fs.Files[d + "memory.oom_control"] = "oom_kill_disable 0\nunder_oom 0\n";   // kernel < 4.13
        Assert.False(mgr.OomKilled());
    }

    [Fact]
    public void FreezeWaitsForFrozen()
    {
        var (fs, mgr, sleeps) = Make();
        mgr.Create(ResourceLimits.None);
        const string state = "/cg/freezer/gocker/c1/freezer.state";
        var kernel = fs.OnWrite!;
        fs.OnWrite = (f, p, v) =>
        {
            if (p != state) return kernel(f, p, v);
            f.Files[p] = v == "FROZEN" ? (sleeps.Count >= 3 ? "FROZEN" : "FREEZING") : "THAWED";
            return true;
        };
        mgr.Freeze();
        Assert.Equal("FROZEN", fs.Files[state]);
        Assert.Equal(3, sleeps.Count);
        Assert.All(fs.Writes.Where(w => w.Path == state), w => Assert.Equal("FROZEN", w.Value));   // re-written while FREEZING
        mgr.Thaw();
        Assert.Equal("THAWED", fs.Files[state]);
    }

    [Fact]
    public void FreezeTimesOutAndThaws()
    {
        var (fs, mgr, sleeps) = Make();
        mgr.Create(ResourceLimits.None);
        const string state = "/cg/freezer/gocker/c1/freezer.state";
        var kernel = fs.OnWrite!;
        fs.OnWrite = (f, p, v) =>
        {
            if (p != state) return kernel(f, p, v);
            f.Files[p] = v == "FROZEN" ? "FREEZING" : "THAWED";
            return true;
        };
        var e = Assert.Throws<GockerException>(mgr.Freeze);
        Assert.Equal("cgroup /cg/freezer/gocker/c1 did not become FROZEN within 1s", e.Message);
        Assert.Equal("THAWED", fs.Files[state]);
        Assert.True(sleeps.Aggregate(TimeSpan.Zero, (a, b) => a + b) >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void RemoveDeletesOnlyTheContainersDirectories()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.Parse(Host, memory: "64m"));
        mgr.Remove();
        Assert.False(mgr.Exists);
        foreach (var d in ContainerDirs) Assert.DoesNotContain(d, fs.Dirs);
        Assert.Contains("/cg/memory/gocker", fs.Dirs);
        mgr.Remove();   // gone already: fine
    }

    [Fact]
    public void RemoveOfABusyCgroupSaysSo()
    {
        var (fs, mgr, _) = Make();
        mgr.Create(ResourceLimits.None);
        fs.Files["/cg/pids/gocker/c1/cgroup.procs"] = "99\n";
        var e = Assert.Throws<GockerException>(mgr.Remove);
        Assert.Equal("cannot remove cgroup /cg/pids/gocker/c1: Device or resource busy", e.Message);
        Assert.DoesNotContain("/cg/memory/gocker/c1", fs.Dirs);   // the others went
        Assert.True(mgr.Exists);
    }
}
