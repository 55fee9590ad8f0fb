namespace Gocker.Core.Cgroups;

/// <summary>A container's cgroup (v1: one directory per hierarchy used; v2: one directory).</summary>
public interface ICgroupManager
{
    /// <summary>"cgroup v2 /sys/fs/cgroup/gocker/ID" or "cgroup v1 memory:/sys/fs/cgroup/memory/gocker/ID ...".</summary>
    string Describe { get; }

    /// <summary>The cgroup.procs files a pid must be written to (v1: one per hierarchy used; v2: one).</summary>
    IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>The files a single-threaded process writes "0" to in order to join the cgroup itself: v1 `tasks`
    /// (one thread moved: the kernel skips the threadgroup rwsem, whose write side waits an RCU grace period);
    /// v2 `cgroup.procs` (v2 has no such fast path outside threaded cgroups).</summary>
    IReadOnlyList<string> JoinFiles { get; }

    /// <summary>Any of the container's cgroup directories exists.</summary>
    bool Exists { get; }

    /// <summary>Creates the directories (and the shared "gocker" parent) and applies the limits. On an error
    /// nothing that this call created is left behind.</summary>
    void Create(ResourceLimits limits);

    /// <summary>Applies the limits that are set (docker update); others are left as they are.</summary>
    void Apply(ResourceLimits limits);

    /// <summary>Writes the pid to every <see cref="ProcsFiles"/> entry.</summary>
    void AddProcess(int pid);

    CgroupStats Stats();

    /// <summary>The OOM killer killed a process of the cgroup (v1: oom_kill in memory.oom_control, kernel 4.13+;
    /// v2: oom_kill in memory.events).</summary>
    bool OomKilled();

    /// <summary>Freezes every process and waits until the kernel reports the cgroup frozen.</summary>
    void Freeze();

    /// <summary>Thaws and waits until the kernel reports the cgroup thawed.</summary>
    void Thaw();

    /// <summary>rmdir of every directory of the container (not the shared parent). Missing directories are
    /// fine; a busy one (processes left) is a <see cref="GockerException"/>.</summary>
    void Remove();
}

/// <summary>What docker stats shows. MemoryLimit and PidsLimit are null when unlimited; MemoryInactiveFile is the
/// page cache Docker subtracts from the usage (v1 total_inactive_file, v2 inactive_file).</summary>
public sealed record CgroupStats(
    long CpuUsageNs,
    long MemoryUsage,
    long? MemoryLimit,
    long MemoryInactiveFile,
    long PidsCurrent,
    long? PidsLimit);
