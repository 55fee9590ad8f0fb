namespace Gocker.Core.Filesystem;

/// <summary>A device node to create in a container's /dev (--privileged copies the host's).</summary>
/// <param name="Name">Path under /dev ("net/tun").</param>
/// <param name="Block">Block device (else character).</param>
/// <param name="Mode">Permission bits.</param>
public sealed record DeviceNode(string Name, bool Block, uint Major, uint Minor, uint Mode, uint Uid, uint Gid);

public enum PathKind { Missing, File, Directory }

/// <summary>A set of <see cref="PathKind"/>s, as <see cref="IMountSyscalls.When"/> tests them (lstat: a
/// symlink is a file). The values are native/initplan.h's INIT_KIND_*.</summary>
[Flags]
public enum PathKinds : ulong
{
    Missing = 1, File = 2, Directory = 4,
    Exists = File | Directory,
}

/// <summary>Docker's confinement of the kernel's views: the masked and read-only paths of /proc and /sys,
/// and, for --privileged, the host's devices in /dev. A step of <see cref="RootfsSetup"/>, on host paths
/// under the new root before pivot_root (proc and sysfs are fresh kernel mounts there, nothing of the
/// image's: no symlink of the image's can redirect these mounts).</summary>
public sealed class Confinement(IMountSyscalls sys)
{
    /// <summary>Files get /dev/null bound on them, directories an empty read-only tmpfs.</summary>
    public static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    /// <summary>Bound onto themselves, then made read-only.</summary>
    public static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>Host /dev entries --privileged does not copy: pseudo filesystems gocker mounts itself, the
    /// host's console, and what the default set already has.</summary>
    private static readonly HashSet<string> NotCopied =
        ["pts", "shm", "mqueue", "fd", ".lxc", ".lxd-mounts", ".udev", "console", "ptmx", "stdin", "stdout", "stderr"];

    /// <summary>Masks and read-only paths that do not exist on this kernel are skipped.</summary>
    public void ProtectSystemPaths(string rootfs)
    {
        foreach (var path in MaskedPaths)
        {
            var target = rootfs + path;
            sys.When(target, PathKinds.Directory, () => sys.Mount("tmpfs", target, "tmpfs", MountFlags.ReadOnly, null));
            sys.When(target, PathKinds.File, () => sys.Mount("/dev/null", target, null, MountFlags.Bind, null));
        }
        foreach (var path in ReadonlyPaths)
        {
            var target = rootfs + path;
            sys.When(target, PathKinds.Exists, () =>
            {
                sys.Mount(target, target, null, MountFlags.Bind | MountFlags.Rec, null);
                // A bind remount sets every per-mount flag at once: proc's nosuid, nodev, noexec are
                // given again, or this mount would lose them.
                sys.Mount(target, target, null,
                    MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, null);
            });
        }
    }

    /// <summary>--privileged: the host's device nodes (as they are at the start) in the container's /dev,
    /// except the ones it has already.</summary>
    public void CopyHostDevices(string dev, IEnumerable<DeviceNode> hostDevices)
    {
        var defaults = RootfsSetup.DefaultDevices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in hostDevices)
        {
            if (defaults.Contains(node.Name) || NotCopied.Contains(node.Name.Split('/')[0]))
                continue;
            int slash = node.Name.LastIndexOf('/');
            var parent = slash < 0 ? dev : sys.PrepareTarget(dev, node.Name[..slash], false);
            sys.MakeDevice($"{parent}/{node.Name[(slash + 1)..]}", node);
        }
    }

    /// <summary>Every device node under <paramref name="dev"/> (the host's /dev, read before pivot_root),
    /// not following symlinks, without the pseudo filesystems.</summary>
    public static List<DeviceNode> ScanHostDevices(string dev = "/dev")
    {
        var nodes = new List<DeviceNode>();
        Scan(dev, "");
        return nodes;

        void Scan(string dir, string prefix)
        {
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(dir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
            foreach (var path in entries)
            {
                var name = prefix + Path.GetFileName(path);
                if (prefix.Length == 0 && NotCopied.Contains(name))
                    continue;
                if (Interop.Libc.Lstat(path, out var st) != 0)
                    continue;
                uint type = st.Mode & Interop.Libc.S_IFMT;
                if (type == Interop.Libc.S_IFDIR)
                    Scan(path, name + "/");
                else if (type is Interop.Libc.S_IFCHR or Interop.Libc.S_IFBLK)
                    nodes.Add(new DeviceNode(name, type == Interop.Libc.S_IFBLK, Interop.Libc.Major(st.Rdev),
                        Interop.Libc.Minor(st.Rdev), st.Mode & 0xFFF, st.Uid, st.Gid));
            }
        }
    }
}
