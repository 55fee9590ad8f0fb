namespace Gocker.Core.Filesystem;

/// <summary>What the container's init mounts, in order, inside the container's new mount namespace
/// (written into its plan: <see cref="Process.InitPlan"/>).</summary>
public sealed class RootfsSetup(IMountSyscalls sys)
{
    private const MountFlags NoSuidDevExec = MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec;

    /// <summary>The device nodes every container gets (the OCI runtime spec's default set).</summary>
    public static readonly (string Name, uint Major, uint Minor)[] DefaultDevices =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    /// <param name="Mounts">The user's mounts (-v, --mount, --tmpfs).</param>
    /// <param name="ReadOnlyRootfs">--read-only.</param>
    /// <param name="WorkingDir">-w: with --read-only it is created (root's, as Docker does) before the
    /// root turns read-only; otherwise init creates it later, owned by the user.</param>
    public sealed record Layout(
        string LowerDirs, string UpperDir, string WorkDir, string Rootfs,
        string HostnameFile, string HostsFile, string ResolvConfFile,
        IReadOnlyList<ContainerMount>? Mounts = null, bool ReadOnlyRootfs = false, string? WorkingDir = null)
    {
        /// <summary>The directory relative LowerDirs are in (the image store's short layer links), or null.</summary>
        public string? LowerBase { get; init; }
        /// <summary>Docker's masked and read-only /proc and /sys paths (<see cref="Confinement"/>).</summary>
        public bool MaskSystemPaths { get; init; } = true;
        /// <summary>--privileged: /sys writable and <see cref="HostDevices"/> in /dev.</summary>
        public bool Privileged { get; init; }
        public IReadOnlyList<DeviceNode> HostDevices { get; init; } = [];
        /// <summary>The overlay is mounted "volatile" (Linux 5.10): for a writable layer that is
        /// removed when the container exits (--rm). Without it, the overlay's teardown at exit syncs
        /// the upper filesystem and flushes the disk's cache (1.3 ms of every `run --rm` on the
        /// development VM), for data that is deleted right after. Such a mount leaves a mark in the work
        /// directory (work/incompat/volatile) and the kernel refuses a second one over it; an --rm work
        /// directory is never mounted twice: the container is removed at its first exit (a failed start
        /// included), and one whose monitor died is Dead, which cannot start again (a spare of its
        /// directory, native/recycle.c, gets a new work directory).</summary>
        public bool VolatileUpper { get; init; }
    }

    public void Build(Layout l)
    {
        // The new namespace starts with a copy of the host's mounts, propagation included: make every
        // one private first, or the mounts below would propagate back into the host's namespace.
        sys.Mount(null, "/", null, MountFlags.Rec | MountFlags.Private, null);

        // The overlay options are one page (4 KiB): with many layers, absolute lowerdir paths would not
        // fit. The kernel resolves relative ones against the cwd of the mounting process, so: short
        // names relative to the store's link directory (a 30-layer image needs 30 * 17 bytes).
        if (l.LowerBase is not null)
            sys.ChangeDirectory(l.LowerBase);
        sys.Mount("overlay", l.Rootfs, "overlay", MountFlags.None,
            $"lowerdir={l.LowerDirs},upperdir={l.UpperDir},workdir={l.WorkDir}{(l.VolatileUpper ? ",volatile" : "")}");

        sys.Mount("proc", sys.PrepareTarget(l.Rootfs, "proc", false), "proc", NoSuidDevExec, null);

        var dev = sys.PrepareTarget(l.Rootfs, "dev", false);
        sys.Mount("tmpfs", dev, "tmpfs", MountFlags.NoSuid | MountFlags.StrictAtime, "mode=755,size=65536k");
        foreach (var (name, major, minor) in DefaultDevices)
            sys.MakeCharDevice($"{dev}/{name}", major, minor);
        if (l.Privileged)
            new Confinement(sys).CopyHostDevices(dev, l.HostDevices);
        // A private devpts instance: the container sees only its own ptys, and /dev/ptmx allocates
        // from it (gid 5 = tty, as Docker mounts it).
        sys.Mount("devpts", sys.PrepareTarget(dev, "pts", false), "devpts", MountFlags.NoSuid | MountFlags.NoExec,
            "newinstance,ptmxmode=0666,mode=0620,gid=5");
        sys.Symlink("pts/ptmx", $"{dev}/ptmx");
        sys.Mount("shm", sys.PrepareTarget(dev, "shm", false), "tmpfs", NoSuidDevExec, "mode=1777,size=65536k");
        sys.Mount("mqueue", sys.PrepareTarget(dev, "mqueue", false), "mqueue", NoSuidDevExec, null);
        sys.Symlink("/proc/self/fd", $"{dev}/fd");
        sys.Symlink("/proc/self/fd/0", $"{dev}/stdin");
        sys.Symlink("/proc/self/fd/1", $"{dev}/stdout");
        sys.Symlink("/proc/self/fd/2", $"{dev}/stderr");

        sys.Mount("sysfs", sys.PrepareTarget(l.Rootfs, "sys", false), "sysfs",
            NoSuidDevExec | (l.Privileged ? MountFlags.None : MountFlags.ReadOnly), null);
        if (l.MaskSystemPaths)
            new Confinement(sys).ProtectSystemPaths(l.Rootfs);

        // Bind mounts, as Docker does, so that the files stay gocker's (a commit never takes them).
        // A user mount on one of them replaces gocker's, as in Docker; one on /etc itself goes first
        // (Docker orders all mounts by depth), so that the files are bound into it, not hidden by it.
        var mounts = l.Mounts ?? [];
        var (first, rest) = (mounts.Where(m => m.Destination == "/etc").ToList(), mounts.Where(m => m.Destination != "/etc").ToList());
        UserMounts.Mount(sys, l.Rootfs, first);
        var etcBinds = new List<string>();
        foreach (var (source, relative) in new[] { (l.HostnameFile, "etc/hostname"), (l.HostsFile, "etc/hosts"), (l.ResolvConfFile, "etc/resolv.conf") })
        {
            if (!mounts.Any(m => m.Destination == "/" + relative))
                etcBinds.Add(BindFile(source, l.Rootfs, relative));
        }

        UserMounts.Mount(sys, l.Rootfs, rest);
        if (l.ReadOnlyRootfs)
        {
            if (l.WorkingDir is { Length: > 1 } workdir && workdir.StartsWith('/'))
                sys.OpenInRoot(l.Rootfs, workdir, file: false).Dispose();
            UserMounts.ReadOnlyRoot(sys, l.Rootfs, etcBinds);
        }

        sys.PivotRoot(l.Rootfs);
    }

    private string BindFile(string source, string root, string relative)
    {
        var target = sys.PrepareTarget(root, relative, true);
        sys.Mount(source, target, null, MountFlags.Bind, null);
        return target;
    }
}
