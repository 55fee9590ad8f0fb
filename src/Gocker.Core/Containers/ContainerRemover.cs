using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>Removal: the record is marked Removing under the lock (so no one starts it meanwhile),
/// the directory goes (upper, work, logs, config), then the record.</summary>
public sealed class ContainerRemover(GockerRoot root)
{
    /// <param name="anonymousVolumes">rm -v, run --rm: the container's anonymous volumes, removed with it.</param>
    public void RemoveStopped(string id, IReadOnlyList<string>? anonymousVolumes = null)
    {
        using var store = new StateStore(root.StateDb);
        var record = store.Update(tx =>
        {
            var r = tx.Records.FirstOrDefault(x => x.Id == id);
            if (r is null)
                return null;
            if (StatusRules.IsRunning(r.Status) && store.IsMonitorAlive(r))
                throw new GockerException(
                    $"You cannot remove a running container {r.Id}. Stop the container before attempting removal or force remove",
                    ExitCodes.CommandFailed);
            var removing = r with { Status = ContainerStatus.Removing };
            tx.Put(removing);
            return removing;
        });
        if (record is null)
            return;
        if (ContainerCgroups.For(id) is { Exists: true } cgroup)
            ContainerCgroups.RemoveWhenEmpty(cgroup);
        new ContainerFiles(root.ContainerDir(id)).Remove();
        store.Update(tx =>
        {
            if (tx.Records.FirstOrDefault(x => x.Id == id) is { } r)
                tx.Remove(r);
            return 0;
        });
        if (anonymousVolumes is { Count: > 0 })
            new Volumes.ContainerVolumes(root).RemoveAnonymous(anonymousVolumes);
    }
}
