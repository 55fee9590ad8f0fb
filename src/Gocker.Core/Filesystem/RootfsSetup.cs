namespace Gocker.Core.Filesystem;

/// <summary>What gocker-init mounts, in order, inside the container's new mount namespace.</summary>
public sealed class RootfsSetup(IMountSyscalls sys)
{
    private const MountFlags NoSuidDevExec = MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec;

    /// <summary>The device nodes every container gets (the OCI runtime spec's default set).</summary>
    public static readonly (string Name, uint Major, uint Minor)[] DefaultDevices =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    public sealed record Layout(
        string LowerDirs, string UpperDir, string WorkDir, string Rootfs,
        string HostnameFile, string HostsFile, string ResolvConfFile)
    {
        /// <summary>Docker's masked and read-only /proc and /sys paths (<see cref="Confinement"/>).</summary>
        public bool MaskSystemPaths { get; init; } = true;
        /// <summary>--privileged: /sys writable and <see cref="HostDevices"/> in /dev.</summary>
        public bool Privileged { get; init; }
        public IReadOnlyList<DeviceNode> HostDevices { get; init; } = [];
    }

    public void Build(Layout l)
    {
        // The new namespace starts with a copy of the host's mounts, propagation included: make every
        // one private first, or the mounts below would propagate back into the host's namespace.
        sys.Mount(null, "/", null, MountFlags.Rec | MountFlags.Private, null);

        sys.Mount("overlay", l.Rootfs, "overlay", MountFlags.None,
            $"lowerdir={l.LowerDirs},upperdir={l.UpperDir},workdir={l.WorkDir}");

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
        BindFile(l.HostnameFile, l.Rootfs, "etc/hostname");
        BindFile(l.HostsFile, l.Rootfs, "etc/hosts");
        BindFile(l.ResolvConfFile, l.Rootfs, "etc/resolv.conf");

        sys.PivotRoot(l.Rootfs);
    }

    private void BindFile(string source, string root, string relative) =>
        sys.Mount(source, sys.PrepareTarget(root, relative, true), null, MountFlags.Bind, null);
}
