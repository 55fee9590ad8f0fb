using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests;

public class RootfsSetupTests
{
    private static readonly RootfsSetup.Layout Layout = new(
        "/r/images/busybox/rootfs", "/r/c/1/upper", "/r/c/1/work", "/r/c/1/rootfs",
        "/r/c/1/hostname", "/r/c/1/hosts", "/r/c/1/resolv.conf");

    private static RecordingMountSyscalls Build()
    {
        var sys = new RecordingMountSyscalls();
        new RootfsSetup(sys).Build(Layout);
        return sys;
    }

    [Fact]
    public void MakesEveryMountPrivateBeforeAnythingElse()
    {
        var first = Build().Mounts[0];
        Assert.Equal("/", first.Target);
        Assert.Equal(MountFlags.Rec | MountFlags.Private, first.Flags);
    }

    [Fact]
    public void MountsTheOverlayWithLowerUpperAndWork()
    {
        var overlay = Build().Mounts.Single(m => m.FsType == "overlay");
        Assert.Equal("/r/c/1/rootfs", overlay.Target);
        Assert.Equal("lowerdir=/r/images/busybox/rootfs,upperdir=/r/c/1/upper,workdir=/r/c/1/work", overlay.Data);
    }

    [Fact]
    public void RelativeLowerDirsAreMountedFromTheStoreLinkDirectory()
    {
        var sys = new RecordingMountSyscalls();
        var layers = Enumerable.Range(0, 200).Select(i => $"{i:x16}").ToList();
        new RootfsSetup(sys).Build(Layout with { LowerDirs = string.Join(':', layers), LowerBase = "/r/images/l" });
        int chdir = sys.Calls.IndexOf("chdir /r/images/l");
        int overlay = sys.Calls.FindIndex(c => c.StartsWith("mount overlay"));
        Assert.True(chdir >= 0 && chdir < overlay, string.Join('\n', sys.Calls));
        // 200 layers still fit the one page of mount options.
        Assert.True(sys.Mounts.Single(m => m.FsType == "overlay").Data!.Length < 4096);
    }

    [Fact]
    public void NoChangeOfDirectoryForAbsoluteLowerDirs() => Assert.DoesNotContain(Build().Calls, c => c.StartsWith("chdir"));

    [Fact]
    public void PivotsLastIntoTheRootfs()
    {
        var sys = Build();
        Assert.Equal("pivot_root /r/c/1/rootfs", sys.Calls[^1]);
    }

    [Fact]
    public void EveryMountTargetIsInsideTheContainerRootfs()
    {
        foreach (var m in Build().Mounts.Skip(1))
            Assert.StartsWith("/r/c/1/rootfs", m.Target);
    }

    [Fact]
    public void DevptsIsANewInstanceAndPtmxPointsIntoIt()
    {
        var sys = Build();
        var devpts = sys.Mounts.Single(m => m.FsType == "devpts");
        Assert.Contains("newinstance", devpts.Data);
        Assert.Contains("ptmxmode=0666", devpts.Data);
        Assert.Contains("symlink /r/c/1/rootfs/dev/ptmx -> pts/ptmx", sys.Calls);
    }

    [Fact]
    public void CreatesTheDefaultDevicesOnTheDevTmpfs()
    {
        var sys = Build();
        int tmpfs = sys.Calls.IndexOf("mount tmpfs /r/c/1/rootfs/dev");
        Assert.True(tmpfs >= 0);
        foreach (var name in new[] { "null", "zero", "full", "random", "urandom", "tty" })
        {
            int mknod = sys.Calls.FindIndex(c => c.StartsWith($"mknod /r/c/1/rootfs/dev/{name} "));
            Assert.True(mknod > tmpfs, $"{name} must be created on the new /dev");
        }
        Assert.Contains("mknod /r/c/1/rootfs/dev/null 1:3", sys.Calls);
    }

    [Fact]
    public void ProcIsFreshAndSysIsReadOnly()
    {
        var sys = Build();
        Assert.Contains(sys.Mounts, m => m.FsType == "proc" && m.Target == "/r/c/1/rootfs/proc");
        var sysfs = sys.Mounts.Single(m => m.FsType == "sysfs");
        Assert.True(sysfs.Flags.HasFlag(MountFlags.ReadOnly));
    }

    [Fact]
    public void BindsHostnameHostsAndResolvConf()
    {
        var binds = Build().Mounts.Where(m => m.Flags.HasFlag(MountFlags.Bind)).ToList();
        Assert.Contains(binds, m => m.Source == "/r/c/1/hostname" && m.Target == "/r/c/1/rootfs/etc/hostname");
        Assert.Contains(binds, m => m.Source == "/r/c/1/hosts" && m.Target == "/r/c/1/rootfs/etc/hosts");
        Assert.Contains(binds, m => m.Source == "/r/c/1/resolv.conf" && m.Target == "/r/c/1/rootfs/etc/resolv.conf");
    }
}
