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
    public void ADisposableUpperIsMountedVolatile()
    {
        var sys = new RecordingMountSyscalls();
        new RootfsSetup(sys).Build(Layout with { VolatileUpper = true });
        Assert.Equal("lowerdir=/r/images/busybox/rootfs,upperdir=/r/c/1/upper,workdir=/r/c/1/work,volatile",
            sys.Mounts.Single(m => m.FsType == "overlay").Data);
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

public class UserMountsTests
{
    private static readonly RootfsSetup.Layout Base = new(
        "/r/images/busybox/rootfs", "/r/c/1/upper", "/r/c/1/work", "/r/c/1/rootfs",
        "/r/c/1/hostname", "/r/c/1/hosts", "/r/c/1/resolv.conf");

    private static RecordingMountSyscalls Build(IReadOnlyList<ContainerMount> mounts, bool readOnly = false, RecordingMountSyscalls? sys = null)
    {
        sys ??= new RecordingMountSyscalls();
        new RootfsSetup(sys).Build(Base with { Mounts = mounts, ReadOnlyRootfs = readOnly });
        return sys;
    }

    private static ContainerMount Bind(string source, string dest, bool ro = false, bool file = false) =>
        new() { Type = ContainerMount.BindType, Source = source, Destination = dest, ReadOnly = ro, File = file };

    private static ContainerMount Tmpfs(string dest, string data = "size=64m") =>
        new() { Type = ContainerMount.TmpfsType, Destination = dest, Flags = MountFlags.NoExec | MountFlags.NoSuid | MountFlags.NoDev, Data = data };

    [Fact]
    public void WithoutMountsNothingChanges()
    {
        var sys = Build([]);
        Assert.DoesNotContain(sys.Calls, c => c.StartsWith("open "));
        Assert.DoesNotContain(sys.Mounts, m => m.Flags.HasFlag(MountFlags.Remount));
    }

    [Fact]
    public void UserMountsComeAfterTheSystemMountsAndBeforePivotRoot()
    {
        var sys = Build([Bind("/h", "/data")]);
        int bind = sys.Calls.IndexOf("mount /h /r/c/1/rootfs/data");
        Assert.True(bind > sys.Calls.IndexOf("mount /r/c/1/resolv.conf /r/c/1/rootfs/etc/resolv.conf"));
        Assert.True(bind > sys.Calls.IndexOf("mount sysfs /r/c/1/rootfs/sys"));
        Assert.True(bind < sys.Calls.IndexOf("pivot_root /r/c/1/rootfs"));
    }

    [Fact]
    public void ABindIsRecursiveThenMadeRprivateOnTheReopenedTarget()
    {
        var sys = Build([Bind("/h", "/data")]);
        var i = sys.Calls.IndexOf("open /r/c/1/rootfs/data");
        Assert.Equal(["open /r/c/1/rootfs/data", "mount /h /r/c/1/rootfs/data", "open /r/c/1/rootfs/data", "mount  /r/c/1/rootfs/data"], sys.Calls.Skip(i).Take(4).ToList());
        var mounts = sys.Mounts.Where(m => m.Target == "/r/c/1/rootfs/data").ToList();
        Assert.Equal(MountFlags.Bind | MountFlags.Rec, mounts[0].Flags);
        Assert.Equal(MountFlags.Rec | MountFlags.Private, mounts[1].Flags);
        Assert.Equal(2, mounts.Count);
    }

    [Fact]
    public void ReadOnlyBindsAreRemountedKeepingTheSourcesLockedFlags()
    {
        var sys = new RecordingMountSyscalls();
        sys.SourceFlags["/h"] = MountFlags.NoSuid | MountFlags.NoDev | MountFlags.RelAtime;
        Build([Bind("/h", "/data", ro: true)], sys: sys);
        var remount = sys.Mounts.Last(m => m.Target == "/r/c/1/rootfs/data");
        Assert.Null(remount.Source);
        Assert.Equal(MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.RelAtime, remount.Flags);
    }

    [Fact]
    public void FileBindsOpenTheTargetAsAFile()
    {
        var sys = Build([Bind("/h/conf", "/etc/app.conf", file: true)]);
        Assert.Contains("open /r/c/1/rootfs/etc/app.conf (file)", sys.Calls);
    }

    [Fact]
    public void TmpfsGetsItsFlagsAndData()
    {
        var sys = Build([Tmpfs("/run")]);
        var m = sys.Mounts.Single(x => x.Target == "/r/c/1/rootfs/run");
        Assert.Equal(("tmpfs", "tmpfs", "size=64m"), (m.Source, m.FsType, m.Data));
        Assert.Equal(MountFlags.NoExec | MountFlags.NoSuid | MountFlags.NoDev, m.Flags);
    }

    [Fact]
    public void ParentsAreMountedBeforeChildrenWhateverTheOrderGiven()
    {
        var sys = Build([Bind("/b", "/data/link/x"), Tmpfs("/data/cache"), Bind("/a", "/data")]);
        var order = sys.Mounts.Where(m => m.Source is "/a" or "/b" or "tmpfs" && m.Target.Contains("/data")).Select(m => m.Target).ToList();
        Assert.Equal(["/r/c/1/rootfs/data", "/r/c/1/rootfs/data/cache", "/r/c/1/rootfs/data/link/x"], order);
    }

    [Fact]
    public void AVolumeOnEtcGoesBeforeTheEtcFilesSoTheyAreBoundIntoIt()
    {
        var sys = Build([Bind("/vol", "/etc")]);
        Assert.True(sys.Calls.IndexOf("mount /vol /r/c/1/rootfs/etc") < sys.Calls.IndexOf("mount /r/c/1/hosts /r/c/1/rootfs/etc/hosts"));
    }

    [Fact]
    public void AUserMountOnAnEtcFileReplacesGockers()
    {
        var sys = Build([Bind("/mine", "/etc/hosts", file: true)]);
        Assert.DoesNotContain(sys.Mounts, m => m.Source == "/r/c/1/hosts");
        Assert.Contains(sys.Mounts, m => m.Source == "/mine");
    }

    [Fact]
    public void ReadOnlyRootIsTheLastMountAndKeepsTheEtcFilesReadOnly()
    {
        var sys = Build([Tmpfs("/tmp")], readOnly: true);
        var last = sys.Mounts[^1];
        Assert.Equal(("/r/c/1/rootfs", MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly), (last.Target, last.Flags));
        Assert.Equal("pivot_root /r/c/1/rootfs", sys.Calls[^1]);
        foreach (var f in new[] { "hostname", "hosts", "resolv.conf" })
            Assert.Contains(sys.Mounts, m => m.Target == $"/r/c/1/rootfs/etc/{f}" && m.Flags == (MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly));
        Assert.True(sys.Calls.IndexOf("mount tmpfs /r/c/1/rootfs/tmp") < sys.Calls.Count - 2);
    }

    [Fact]
    public void ReadOnlyRootCreatesTheWorkingDirectoryFirst()
    {
        var sys = new RecordingMountSyscalls();
        new RootfsSetup(sys).Build(Base with { ReadOnlyRootfs = true, WorkingDir = "/app/work" });
        Assert.True(sys.Calls.IndexOf("open /r/c/1/rootfs/app/work") < sys.Calls.IndexOf("mount  /r/c/1/rootfs"));
        new RootfsSetup(sys = new RecordingMountSyscalls()).Build(Base with { WorkingDir = "/app/work" });
        Assert.DoesNotContain("open /r/c/1/rootfs/app/work", sys.Calls);
    }

    [Fact]
    public void WithoutReadOnlyTheRootStaysWritable() =>
        Assert.DoesNotContain(Build([]).Mounts, m => m.Target == "/r/c/1/rootfs" && m.Flags.HasFlag(MountFlags.ReadOnly));
}
