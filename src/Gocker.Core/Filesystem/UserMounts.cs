namespace Gocker.Core.Filesystem;

/// <summary>The user's mounts (-v, --mount, --tmpfs) and --read-only, made by the container's init after /proc,
/// /dev, /sys and the /etc files, before pivot_root.</summary>
public static class UserMounts
{
    /// <summary>Docker's order: by depth of the destination, so that /data is mounted before
    /// /data/cache; the given order among equals.</summary>
    /// <remarks>A stable insertion sort, not LINQ: chained LINQ operators are generic virtual calls,
    /// which NativeAOT resolves at run time through its type loader (about 0.1 ms each at start).</remarks>
    public static List<ContainerMount> Ordered(IEnumerable<ContainerMount> mounts)
    {
        var ordered = new List<ContainerMount>(mounts);
        for (int i = 1; i < ordered.Count; i++)
        {
            var m = ordered[i];
            int depth = Depth(m.Destination), j = i;
            for (; j > 0 && Depth(ordered[j - 1].Destination) > depth; j--)
                ordered[j] = ordered[j - 1];
            ordered[j] = m;
        }
        return ordered;
    }

    private static int Depth(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;

    public static void Mount(IMountSyscalls sys, string rootfs, IEnumerable<ContainerMount> mounts)
    {
        foreach (var m in Ordered(mounts))
        {
            if (m.Type == ContainerMount.TmpfsType)
            {
                using var t = sys.OpenInRoot(rootfs, m.Destination, file: false);
                sys.Mount("tmpfs", t.Path, "tmpfs", m.Flags | (m.ReadOnly ? MountFlags.ReadOnly : 0), m.Data);
                continue;
            }
            using (var t = sys.OpenInRoot(rootfs, m.Destination, m.File))
                sys.Mount(m.Source, t.Path, null, MountFlags.Bind | MountFlags.Rec, null);
            // The bind now covers the inode opened above: open the destination again to reach it.
            using var top = sys.OpenInRoot(rootfs, m.Destination, m.File);
            // Docker's default propagation: nothing mounted later on either side shows on the other.
            sys.Mount(null, top.Path, null, MountFlags.Rec | MountFlags.Private, null);
            // A bind takes its source's flags; read-only needs a remount of the new mount alone, which
            // must repeat the flags the source mount has (nosuid, nodev...).
            if (m.ReadOnly)
                sys.Mount(null, top.Path, null, MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly, null, lockedFlagsOf: m.Source!);
        }
    }

    /// <summary>--read-only: the /etc files read-only too (Docker binds them read-only then), and last
    /// the rootfs itself: a per-mount flag (MS_BIND), so the mounts on it (/proc, /dev, volumes, tmpfs)
    /// stay writable.</summary>
    public static void ReadOnlyRoot(IMountSyscalls sys, string rootfs, IEnumerable<string> etcBinds)
    {
        foreach (var target in etcBinds)
            sys.Mount(null, target, null, MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly, null, lockedFlagsOf: target);
        sys.Mount(null, rootfs, null, MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly, null, lockedFlagsOf: rootfs);
    }
}
