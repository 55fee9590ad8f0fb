using Gocker.Core.Cgroups;

namespace Gocker.Core.Tests.Cgroups;

public class ResourceLimitsTests
{
    private static readonly HostFacts Host = new("0-1", "0", CgroupVersion.V1);
    private static readonly HostFacts HostV2 = new("0-1", "0", CgroupVersion.V2);

    [Fact]
    public void NoFlagsNoLimits()
    {
        var l = ResourceLimits.Parse(Host);
        Assert.True(l.IsEmpty);
        Assert.Empty(l.Warnings);
        Assert.True(ResourceLimits.Parse(Host, memory: "", cpus: " ", pidsLimit: null).IsEmpty);
    }

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("7000k", 7000L << 10)]
    [InlineData("6291456", 6291456)]
    [InlineData("6291456b", 6291456)]
    public void MemorySizes(string flag, long bytes)
    {
        var l = ResourceLimits.Parse(Host, memory: flag);
        Assert.Equal(bytes, l.Memory);
        Assert.Equal(bytes * 2, l.MemorySwap);   // Docker's default swap: as much again
        Assert.False(l.IsEmpty);
    }

    [Fact]
    public void MemoryZeroIsUnlimited() => Assert.True(ResourceLimits.Parse(Host, memory: "0").IsEmpty);

    [Fact]
    public void SwapMinusOneIsUnlimited()
    {
        var l = ResourceLimits.Parse(Host, memory: "64m", memorySwap: "-1");
        Assert.Equal(-1, l.MemorySwap);
    }

    [Fact]
    public void SwapAndReservation()
    {
        var l = ResourceLimits.Parse(Host, memory: "64m", memorySwap: "128m", memoryReservation: "32m");
        Assert.Equal(64L << 20, l.Memory);
        Assert.Equal(128L << 20, l.MemorySwap);
        Assert.Equal(32L << 20, l.MemoryReservation);
    }

    [Fact]
    public void UpdateOfMemoryAloneLeavesSwap()
    {
        var l = ResourceLimits.Parse(Host, memory: "64m", update: true);
        Assert.Null(l.MemorySwap);
        Assert.Equal(256L << 20, ResourceLimits.Parse(Host, memorySwap: "256m", update: true).MemorySwap);
    }

    [Theory]
    [InlineData("0.5", 0.5, 50000)]
    [InlineData("1.5", 1.5, 150000)]
    [InlineData("2", 2.0, 200000)]
    [InlineData("0.01", 0.01, 1000)]
    public void Cpus(string flag, double cpus, long quota)
    {
        var l = ResourceLimits.Parse(Host, cpus: flag);
        Assert.Equal(cpus, l.Cpus);
        Assert.Equal(quota, l.CpuQuotaUs);
    }

    [Fact]
    public void CpusZeroIsUnlimited() => Assert.Null(ResourceLimits.Parse(Host, cpus: "0").Cpus);

    [Fact]
    public void CpuSharesClampedWithDockersWarning()
    {
        Assert.Equal(512, ResourceLimits.Parse(Host, cpuShares: "512").CpuShares);
        var low = ResourceLimits.Parse(Host, cpuShares: "1");
        Assert.Equal(2, low.CpuShares);
        Assert.Contains("Changing requested CPUShares of 1 to minimum allowed of 2", Assert.Single(low.Warnings));
        Assert.Equal(262144, ResourceLimits.Parse(Host, cpuShares: "300000").CpuShares);
        Assert.Null(ResourceLimits.Parse(Host, cpuShares: "0").CpuShares);
    }

    [Fact]
    public void Cpusets()
    {
        var l = ResourceLimits.Parse(Host, cpusetCpus: "0-1", cpusetMems: "0");
        Assert.Equal("0-1", l.CpusetCpus);
        Assert.Equal("0", l.CpusetMems);
        Assert.Equal("1", ResourceLimits.Parse(new HostFacts("0-3,5", "0", CgroupVersion.V1), cpusetCpus: "1").CpusetCpus);
        Assert.Equal("0,5", ResourceLimits.Parse(new HostFacts("0-3,5", "0", CgroupVersion.V1), cpusetCpus: "0,5").CpusetCpus);
    }

    [Theory]
    [InlineData("20", 20)]
    [InlineData("0", -1)]
    [InlineData("-1", -1)]
    public void PidsLimit(string flag, long expected) =>
        Assert.Equal(expected, ResourceLimits.Parse(Host, pidsLimit: flag).PidsLimit);

    [Fact]
    public void OomKillDisable()
    {
        var l = ResourceLimits.Parse(Host, memory: "64m", oomKillDisable: true);
        Assert.True(l.OomKillDisable);
        Assert.Empty(l.Warnings);
        Assert.Contains("may be dangerous", Assert.Single(ResourceLimits.Parse(Host, oomKillDisable: true).Warnings));
        var v2 = ResourceLimits.Parse(HostV2, memory: "64m", oomKillDisable: true);
        Assert.False(v2.OomKillDisable);
        Assert.Equal("Your kernel does not support OomKillDisable. OomKillDisable discarded.", Assert.Single(v2.Warnings));
    }

    public static TheoryData<Func<ResourceLimits>, string> Invalid => new()
    {
        { () => ResourceLimits.Parse(Host, memory: "1x"), "invalid argument \"1x\" for \"-m, --memory\" flag: invalid size: '1x'" },
        { () => ResourceLimits.Parse(Host, memory: "-5m"), "invalid argument \"-5m\" for \"-m, --memory\" flag: invalid size: '-5m'" },
        { () => ResourceLimits.Parse(Host, memory: "abc"), "invalid argument \"abc\" for \"-m, --memory\" flag: invalid size: 'abc'" },
        { () => ResourceLimits.Parse(Host, memory: "64m", memorySwap: "1q"), "invalid argument \"1q\" for \"--memory-swap\" flag: invalid size: '1q'" },
        { () => ResourceLimits.Parse(Host, memoryReservation: "x"), "invalid argument \"x\" for \"--memory-reservation\" flag: invalid size: 'x'" },
        { () => ResourceLimits.Parse(Host, memory: "4m"), "Minimum memory limit allowed is 6MB" },
        { () => ResourceLimits.Parse(Host, memory: "1"), "Minimum memory limit allowed is 6MB" },
        { () => ResourceLimits.Parse(Host, memory: "64m", memorySwap: "32m"), "Minimum memoryswap limit should be larger than memory limit, see usage" },
        { () => ResourceLimits.Parse(Host, memorySwap: "64m"), "You should always set the Memory limit when using Memoryswap limit, see usage" },
        { () => ResourceLimits.Parse(Host, memoryReservation: "1m"), "Minimum memory reservation allowed is 6MB" },
        { () => ResourceLimits.Parse(Host, memory: "64m", memoryReservation: "128m"), "Minimum memory limit can not be less than memory reservation limit, see usage" },
        { () => ResourceLimits.Parse(Host, cpus: "-1"), "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available" },
        { () => ResourceLimits.Parse(Host, cpus: "3"), "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available" },
        { () => ResourceLimits.Parse(Host, cpus: "0.001"), "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available" },
        { () => ResourceLimits.Parse(Host, cpus: "abc"), "invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number" },
        { () => ResourceLimits.Parse(Host, cpuShares: "x"), "invalid argument \"x\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"x\": invalid syntax" },
        { () => ResourceLimits.Parse(Host, cpuShares: "-5"), "invalid --cpu-shares value -5: must be between 2 and 262144" },
        { () => ResourceLimits.Parse(Host, cpusetCpus: "0-5"), "Requested CPUs are not available - requested 0-5, available: 0-1" },
        { () => ResourceLimits.Parse(Host, cpusetCpus: "2"), "Requested CPUs are not available - requested 2, available: 0-1" },
        { () => ResourceLimits.Parse(Host, cpusetCpus: "1-0"), "Invalid value 1-0 for cpuset cpus" },
        { () => ResourceLimits.Parse(Host, cpusetCpus: "a"), "Invalid value a for cpuset cpus" },
        { () => ResourceLimits.Parse(Host, cpusetCpus: "0,,1"), "Invalid value 0,,1 for cpuset cpus" },
        { () => ResourceLimits.Parse(Host, cpusetMems: "1"), "Requested memory nodes are not available - requested 1, available: 0" },
        { () => ResourceLimits.Parse(Host, cpusetMems: "x"), "Invalid value x for cpuset mems" },
        { () => ResourceLimits.Parse(Host, pidsLimit: "lots"), "invalid argument \"lots\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"lots\": invalid syntax" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidValuesAreOneLineErrorsWithExit125(Func<ResourceLimits> parse, string message)
    {
        var e = Assert.Throws<GockerException>(parse);
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData("0-1,3,5-6", new[] { 0, 1, 3, 5, 6 })]
    [InlineData("", new int[0])]
    [InlineData("2\n", new[] { 2 })]
    public void CpuListSyntax(string list, int[] cpus) => Assert.Equal(cpus, CpuList.Parse(list)!);

    [Theory]
    [InlineData("-1")]
    [InlineData("1-")]
    [InlineData("3-1")]
    [InlineData("x")]
    [InlineData("1,")]
    public void CpuListErrors(string list) => Assert.Null(CpuList.Parse(list));

    [Fact]
    public void HostFactsFromSysfs()
    {
        var dir = Directory.CreateTempSubdirectory("gocker-hostfacts").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "cpu"), "0-3\n");
            var h = HostFacts.Read(CgroupVersion.V1, Path.Combine(dir, "cpu"), Path.Combine(dir, "missing"));
            Assert.Equal("0-3", h.OnlineCpus);
            Assert.Equal("0", h.OnlineMems);
            Assert.Equal(4, h.CpuCount);
        }
        finally { Directory.Delete(dir, true); }
    }
}
