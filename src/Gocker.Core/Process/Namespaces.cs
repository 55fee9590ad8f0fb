namespace Gocker.Core.Process;

/// <summary>The namespaces every container gets.</summary>
public static class Namespaces
{
    private const int CLONE_NEWNS = 0x00020000, CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000,
        CLONE_NEWIPC = 0x08000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    /// <summary>PID, mount, UTS, IPC, network (not with --network host), and cgroup where the kernel has it.</summary>
    public static int CloneFlags(bool newNetwork = true) =>
        CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | (newNetwork ? CLONE_NEWNET : 0) |
        (File.Exists("/proc/self/ns/cgroup") ? CLONE_NEWCGROUP : 0);
}
