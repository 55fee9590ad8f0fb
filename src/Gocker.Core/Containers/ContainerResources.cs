using Gocker.Core.Cgroups;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>pause, unpause and update: what the container's cgroup makes possible. Only on a host
/// without cgroups (or for a container started before gocker gave every container one) is there none,
/// which these refuse with a message that says so.</summary>
public sealed class ContainerResources(GockerRoot root)
{
    public void Pause(string idOrName)
    {
        var (record, cgroup) = RunningWithCgroup(idOrName, "pause");
        if (record.Status == ContainerStatus.Paused)
            throw new GockerException($"container {record.Id} is already paused", ExitCodes.CommandFailed);
        cgroup.Freeze();
        SetStatus(record.Id, ContainerStatus.Running, ContainerStatus.Paused);
    }

    public void Unpause(string idOrName)
    {
        var (record, cgroup) = RunningWithCgroup(idOrName, "unpause");
        if (record.Status != ContainerStatus.Paused)
            throw new GockerException($"container {record.Id} is not paused", ExitCodes.CommandFailed);
        cgroup.Thaw();
        SetStatus(record.Id, ContainerStatus.Paused, ContainerStatus.Running);
    }

    /// <summary>A frozen process cannot act on a signal: stop, kill and rm -f thaw first (Docker's order).</summary>
    internal static void ThawIfPaused(ContainerRecord r)
    {
        if (r.Status == ContainerStatus.Paused && ContainerCgroups.For(r.Id) is { Exists: true } cgroup)
            cgroup.Thaw();
    }

    /// <summary>`update`: the new limits go to the running container's cgroup and into its
    /// configuration (the next start applies them too).</summary>
    public void Update(string idOrName, ResourceFlags flags)
    {
        if (!ContainerCgroups.Requested(flags))
            throw new GockerException("you must provide one or more flags when using this command", ExitCodes.CommandFailed);
        var limits = ContainerCgroups.Parse(flags, update: true);
        var record = Find(idOrName);
        var files = new ContainerFiles(root.ContainerDir(record.Id));
        var config = ContainerConfig.Load(files.ConfigFile);
        if (StatusRules.IsRunning(record.Status))
        {
            var cgroup = ContainerCgroups.For(record.Id) is { Exists: true } cg ? cg
                : throw NoCgroup(record, "update");
            cgroup.Apply(limits);
        }
        config.WithResources(Merge(config.Resources, flags)).Save(files.ConfigFile);
    }

    private static ResourceFlags Merge(ResourceFlags old, ResourceFlags change) => new()
    {
        Memory = change.Memory ?? old.Memory,
        MemorySwap = change.MemorySwap ?? old.MemorySwap,
        MemoryReservation = change.MemoryReservation ?? old.MemoryReservation,
        Cpus = change.Cpus ?? old.Cpus,
        CpuShares = change.CpuShares ?? old.CpuShares,
        CpusetCpus = change.CpusetCpus ?? old.CpusetCpus,
        CpusetMems = change.CpusetMems ?? old.CpusetMems,
        PidsLimit = change.PidsLimit ?? old.PidsLimit,
        OomKillDisable = change.OomKillDisable || old.OomKillDisable,
    };

    private ContainerRecord Find(string idOrName)
    {
        using var store = new StateStore(root.StateDb);
        return ContainerQueries.Observed(store, StateStore.Resolve(store.ReadAll().Records, idOrName));
    }

    private (ContainerRecord, ICgroupManager) RunningWithCgroup(string idOrName, string verb)
    {
        var record = Find(idOrName);
        if (!StatusRules.IsRunning(record.Status))
            throw new GockerException($"container {record.Id} is not running", ExitCodes.CommandFailed);
        var cgroup = ContainerCgroups.For(record.Id) is { Exists: true } cg ? cg : throw NoCgroup(record, verb);
        return (record, cgroup);
    }

    private static GockerException NoCgroup(ContainerRecord r, string verb) => new(
        $"cannot {verb} container {r.Id}: it has no cgroup (it was started where cgroups were not available)",
        ExitCodes.CommandFailed);

    private void SetStatus(string id, ContainerStatus from, ContainerStatus to)
    {
        using var store = new StateStore(root.StateDb);
        store.Update(tx =>
        {
            if (tx.Records.FirstOrDefault(x => x.Id == id) is { } r && r.Status == from)
                tx.Put(r with { Status = to });
        });
    }
}
