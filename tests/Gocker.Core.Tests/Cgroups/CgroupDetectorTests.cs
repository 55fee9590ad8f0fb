using Gocker.Core.Cgroups;

namespace Gocker.Core.Tests.Cgroups;

public class CgroupDetectorTests
{
    // This host (hybrid: v1 hierarchies plus a cgroup2 "unified").
    private const string HybridMountinfo = """
        22 1 8:1 / / rw,relatime - ext4 /dev/vda rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    // systemd's legacy layout: cpu and cpuacct co-mounted, optional fields before the separator.
    private const string ComountedMountinfo = """
        25 24 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755
        30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
        31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
        32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid shared:13 - cgroup cgroup rw,net_cls,net_prio
        33 25 0:30 / /other/place/pids rw - cgroup cgroup rw,pids
        34 25 0:31 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
        35 25 0:32 / /sys/fs/cgroup/my\040freezer rw - cgroup cgroup rw,freezer
        """;

    private static CgroupLayout DetectWith(long magic, string mountinfo)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, mountinfo);
            return CgroupDetector.Detect("/sys/fs/cgroup", _ => magic, file);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Cgroup2RootIsV2()
    {
        var l = DetectWith(CgroupDetector.Cgroup2Magic, "");
        Assert.Equal(CgroupVersion.V2, l.Version);
        Assert.Equal("/sys/fs/cgroup", l.Root);
    }

    [Fact]
    public void TmpfsRootIsV1EvenWithUnified()
    {
        var l = DetectWith(CgroupDetector.TmpfsMagic, HybridMountinfo);
        Assert.Equal(CgroupVersion.V1, l.Version);
        Assert.Equal("/sys/fs/cgroup/memory", l.V1Mounts["memory"]);
        Assert.Equal("/sys/fs/cgroup/cpu", l.V1Mounts["cpu"]);
        Assert.Equal("/sys/fs/cgroup/cpuacct", l.V1Mounts["cpuacct"]);
        Assert.Equal("/sys/fs/cgroup/cpuset", l.V1Mounts["cpuset"]);
        Assert.Equal("/sys/fs/cgroup/pids", l.V1Mounts["pids"]);
        Assert.Equal("/sys/fs/cgroup/freezer", l.V1Mounts["freezer"]);
        Assert.Equal("/sys/fs/cgroup/devices", l.V1Mounts["devices"]);
        Assert.Equal(7, l.V1Mounts.Count);   // systemd, unified are not used
    }

    [Fact]
    public void CoMountedControllersShareAMount()
    {
        var m = CgroupDetector.ParseV1Mounts(ComountedMountinfo, "/sys/fs/cgroup");
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", m["cpu"]);
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", m["cpuacct"]);
        Assert.Equal("/sys/fs/cgroup/pids", m["pids"]);            // the one under the root wins
        Assert.Equal("/sys/fs/cgroup/my freezer", m["freezer"]);   // \040 unescaped
        Assert.False(m.ContainsKey("cpuset"));
        var mgr = new V1CgroupManager(m, "gocker/abc");
        Assert.Equal(4, mgr.ProcsFiles.Count);   // cpu,cpuacct once
    }

    [Fact]
    public void OtherFilesystemsOrErrorsAreNone()
    {
        Assert.Equal(CgroupVersion.None, DetectWith(0xEF53, HybridMountinfo).Version);   // ext4
        Assert.Equal(CgroupVersion.None, DetectWith(CgroupDetector.TmpfsMagic, "").Version);   // tmpfs without hierarchies
        Assert.Equal(CgroupVersion.None,
            CgroupDetector.Detect("/nope", _ => throw new IOException("statfs /nope: No such file or directory")).Version);
        var e = Assert.Throws<GockerException>(() => CgroupDetector.ForContainer("abc", DetectWith(0xEF53, "")));
        Assert.StartsWith("cgroups are not available", e.Message);
    }

    [Fact]
    public void RealStatfsOfThisHost()
    {
        if (!Directory.Exists("/sys/fs/cgroup")) return;
        var l = CgroupDetector.Detect();
        Assert.NotEqual(CgroupVersion.None, l.Version);
    }

    [Fact]
    public void ForContainerPicksTheImplementation()
    {
        var v2 = CgroupDetector.ForContainer("abc", new CgroupLayout(CgroupVersion.V2, "/cg2", new Dictionary<string, string>()));
        Assert.Equal("cgroup v2 /cg2/gocker/abc", v2.Describe);
        Assert.Equal(["/cg2/gocker/abc/cgroup.procs"], v2.ProcsFiles);
        var (_, mounts) = SampleTrees.V1();
        var v1 = CgroupDetector.ForContainer("abc", new CgroupLayout(CgroupVersion.V1, "/cg", mounts));
        Assert.IsType<V1CgroupManager>(v1);
        Assert.Contains("memory:/cg/memory/gocker/abc", v1.Describe);
        Assert.Throws<ArgumentException>(() => CgroupDetector.ForContainer("../x", new CgroupLayout(CgroupVersion.V2, "/cg2", mounts)));
    }
}
