using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests;

public class ConfinementTests
{
    private static readonly RootfsSetup.Layout Layout = new(
        "/r/images/busybox/rootfs", "/r/c/1/upper", "/r/c/1/work", "/r/c/1/rootfs",
        "/r/c/1/hostname", "/r/c/1/hosts", "/r/c/1/resolv.conf");

    private const string Root = "/r/c/1/rootfs";

    private static RecordingMountSyscalls WithKernelPaths()
    {
        var sys = new RecordingMountSyscalls();
        foreach (var dir in new[] { "/proc/acpi", "/proc/scsi", "/sys/firmware", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys" })
            sys.Existing[Root + dir] = PathKind.Directory;
        foreach (var file in new[] { "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sysrq-trigger" })
            sys.Existing[Root + file] = PathKind.File;
        return sys;
    }

    [Fact]
    public void FilesAreMaskedWithDevNullAndDirectoriesWithAnEmptyReadOnlyTmpfs()
    {
        var sys = WithKernelPaths();
        new RootfsSetup(sys).Build(Layout);
        foreach (var file in new[] { "/proc/kcore", "/proc/keys", "/proc/timer_list" })
            Assert.Contains(sys.Mounts, m => m == ("/dev/null", Root + file, null, MountFlags.Bind, null));
        foreach (var dir in new[] { "/proc/acpi", "/proc/scsi", "/sys/firmware" })
            Assert.Contains(sys.Mounts, m => m == ("tmpfs", Root + dir, "tmpfs", MountFlags.ReadOnly, null));
    }

    [Fact]
    public void MissingPathsAreSkipped()
    {
        var sys = WithKernelPaths();
        new RootfsSetup(sys).Build(Layout);
        foreach (var missing in new[] { "/proc/latency_stats", "/proc/timer_stats", "/proc/sched_debug", "/sys/devices/virtual/powercap" })
            Assert.DoesNotContain(sys.Mounts, m => m.Target == Root + missing);
    }

    [Fact]
    public void ReadOnlyPathsAreBoundOntoThemselvesThenRemountedKeepingProcFlags()
    {
        var sys = WithKernelPaths();
        new RootfsSetup(sys).Build(Layout);
        foreach (var path in Confinement.ReadonlyPaths)
        {
            var target = Root + path;
            var mounts = sys.Mounts.Where(m => m.Target == target).ToList();
            Assert.Equal(2, mounts.Count);
            Assert.Equal((target, MountFlags.Bind | MountFlags.Rec), (mounts[0].Source, mounts[0].Flags));
            Assert.Equal(MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec,
                mounts[1].Flags);
        }
    }

    [Fact]
    public void MasksComeAfterProcAndSysAndBeforePivotRoot()
    {
        var sys = WithKernelPaths();
        new RootfsSetup(sys).Build(Layout);
        int proc = sys.Mounts.FindIndex(m => m.FsType == "proc");
        int sysfs = sys.Mounts.FindIndex(m => m.FsType == "sysfs");
        int firstMask = sys.Mounts.FindIndex(m => m.Target == Root + "/proc/kcore");
        int lastReadonly = sys.Mounts.FindLastIndex(m => m.Target == Root + "/proc/sysrq-trigger");
        Assert.True(proc < firstMask && sysfs < firstMask, "masks need proc and sysfs mounted");
        Assert.True(lastReadonly > firstMask);
        Assert.Equal($"pivot_root {Root}", sys.Calls[^1]);
        Assert.True(sys.Mounts[sysfs].Flags.HasFlag(MountFlags.ReadOnly));
    }

    [Fact]
    public void WithoutMasksNothingIsMaskedOrMadeReadOnly()
    {
        var sys = WithKernelPaths();
        new RootfsSetup(sys).Build(Layout with { MaskSystemPaths = false });
        Assert.DoesNotContain(sys.Mounts, m => m.Target.StartsWith(Root + "/proc/", StringComparison.Ordinal) || m.Target.StartsWith(Root + "/sys/", StringComparison.Ordinal));
    }

    [Fact]
    public void PrivilegedHasAWritableSysAndTheHostDevices()
    {
        var sys = WithKernelPaths();
        DeviceNode[] host =
        [
            new("null", false, 1, 3, 0x1b6, 0, 0),          // already there
            new("kmsg", false, 1, 11, 0x1a4, 0, 0),
            new("loop0", true, 7, 0, 0x180, 0, 6),
            new("net/tun", false, 10, 200, 0x1b6, 0, 0),
            new("console", false, 5, 1, 0x180, 0, 0),      // never the host's console
            new("pts/0", false, 136, 0, 0x190, 0, 5),      // the container has its own devpts
        ];
        new RootfsSetup(sys).Build(Layout with { Privileged = true, MaskSystemPaths = false, HostDevices = host });
        Assert.False(sys.Mounts.Single(m => m.FsType == "sysfs").Flags.HasFlag(MountFlags.ReadOnly));
        var mknods = sys.Calls.Where(c => c.StartsWith("mknod", StringComparison.Ordinal) && (c.Contains(" c ") || c.Contains(" b "))).ToList();
        Assert.Equal(
            [$"mknod {Root}/dev/kmsg c 1:11 644 0:0", $"mknod {Root}/dev/loop0 b 7:0 600 0:6", $"mknod {Root}/dev/net/tun c 10:200 666 0:0"],
            mknods);
        Assert.Single(sys.Calls, c => c.StartsWith($"mknod {Root}/dev/null", StringComparison.Ordinal));
    }
}
