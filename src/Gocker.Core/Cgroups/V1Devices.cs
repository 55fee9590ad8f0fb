namespace Gocker.Core.Cgroups;

/// <summary>v1 devices controller: a new cgroup inherits its parent's list (on most hosts "a *:* rwm", every
/// device), so a container's is reset to deny everything, then Docker's defaults are allowed: mknod of any
/// node (CAP_MKNOD is in the default set; opening what was made is what the list guards), the nodes of the
/// container's /dev, and its own ptys. --privileged allows every device. On cgroup v2 this list is a BPF
/// program attached to the cgroup, which gocker does not build (yet): there only the nodes present in
/// /dev limit a container.</summary>
internal static class V1Devices
{
    public const string Name = "devices";

    /// <summary>"type major:minor access" (devices.allow syntax): mknod of any char or block node; null,
    /// zero, full, random, urandom, tty, ptmx; every pty of the container's devpts.</summary>
    public static readonly string[] DefaultAllowed =
    [
        "c *:* m", "b *:* m",
        "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm",
    ];

    /// <summary>One rule per write: the kernel parses one per write(2).</summary>
    public static void Apply(ICgroupFs fs, string dir, bool allowAll)
    {
        if (allowAll)
        {
            CgroupFiles.Write(fs, dir, "devices.allow", "a");
            return;
        }
        CgroupFiles.Write(fs, dir, "devices.deny", "a");
        CgroupFiles.WriteEach(fs, dir, "devices.allow", DefaultAllowed);
    }
}
