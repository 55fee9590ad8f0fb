using Gocker.Core.Cgroups;

namespace Gocker.Core.Containers;

/// <summary>Every container gets its own cgroup (gocker/&lt;id&gt;), with or without limits: init joins it
/// before init does anything (native/clone.c), exec'd processes join it, pause/stats/update work on it,
/// the OOM killer's verdict is read from it, and it goes with the container. Joining costs ~0.05 ms per
/// v1 hierarchy because the joining process moves itself as a single thread; a move by pid would wait
/// for an RCU grace period (cgroup_threadgroup_rwsem), about 10 ms on the development VM.</summary>
internal static class ContainerCgroups
{
    // statfs and a read of /proc/self/mountinfo: once per process, however many calls need it.
    private static readonly Lazy<CgroupLayout> Layout = new(() => CgroupDetector.Detect());

    public static bool Requested(ResourceFlags f) =>
        f.Memory is not null || f.MemorySwap is not null || f.MemoryReservation is not null || f.Cpus is not null ||
        f.CpuShares is not null || f.CpusetCpus is not null || f.CpusetMems is not null || f.PidsLimit is not null ||
        f.OomKillDisable;

    /// <summary>Validates the flags against this host (before anything is created: bad values are 125).</summary>
    public static ResourceLimits Parse(ResourceFlags f, bool update = false)
    {
        if (!Requested(f))
            return ResourceLimits.None;
        var layout = Layout.Value;
        if (layout.Version == CgroupVersion.None)
            throw new GockerException("resource limits need cgroups, and this host has none mounted at /sys/fs/cgroup");
        return ResourceLimits.Parse(HostFacts.Read(layout.Version), f.Memory, f.MemorySwap, f.MemoryReservation,
            f.Cpus, f.CpuShares, f.CpusetCpus, f.CpusetMems, f.PidsLimit, f.OomKillDisable, update);
    }

    /// <summary>The container's cgroup manager, or null on a host without cgroups.</summary>
    public static ICgroupManager? For(string id)
    {
        try { return CgroupDetector.ForContainer(id, Layout.Value); }
        catch (GockerException) { return null; }
    }

    /// <summary>A fresh cgroup for a start: one left by an earlier run of the same container is removed
    /// first, so that its OOM counter does not speak for this run.</summary>
    /// <param name="privileged">--privileged: the devices controller allows every device.</param>
    public static ICgroupManager? CreateFresh(string id, ResourceFlags flags, bool privileged = false)
    {
        var limits = Parse(flags) with { AllDevices = privileged };
        var cg = For(id);
        if (cg is null)
        {
            if (!limits.IsEmpty)
                throw new GockerException("resource limits need cgroups, and this host has none mounted at /sys/fs/cgroup");
            return null;
        }
        if (cg.Exists)
            RemoveWhenEmpty(cg);
        cg.Create(limits);
        return cg;
    }

    /// <summary>rmdir of a cgroup whose processes have just died can meet EBUSY until the kernel has
    /// finished tearing them down: retried briefly, then the error stands.</summary>
    public static void RemoveWhenEmpty(ICgroupManager cg)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                cg.Remove();
                return;
            }
            catch (GockerException) when (attempt < 300)
            {
                Thread.Sleep(10);
            }
            catch (GockerException e)
            {
                throw new GockerException($"{e.Message} (processes still in it: {Occupants(cg)})", e.ExitCode);
            }
        }
    }

    /// <summary>"pid comm, ..." of what keeps a cgroup busy: the error says who to look at.</summary>
    private static string Occupants(ICgroupManager cg)
    {
        var pids = new SortedSet<int>();
        foreach (var file in cg.ProcsFiles)
        {
            try
            {
                foreach (var line in File.ReadAllLines(file))
                    if (int.TryParse(line, out var pid))
                        pids.Add(pid);
            }
            catch (IOException) { }
        }
        return pids.Count == 0 ? "none listed" : string.Join(", ", pids.Select(pid =>
        {
            try { return $"{pid} {File.ReadAllText($"/proc/{pid}/comm").Trim()}"; }
            catch (IOException) { return pid.ToString(); }
        }));
    }
}
