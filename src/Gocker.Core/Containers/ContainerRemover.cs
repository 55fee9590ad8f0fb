using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>Removal: the record is marked Removing under the lock (so no one starts it meanwhile),
/// the directory goes (upper, work, logs, config), then the record.</summary>
public sealed class ContainerRemover(GockerRoot root)
{
    /// <param name="anonymousVolumes">rm -v, run --rm: the container's anonymous volumes, removed with it.</param>
    /// <param name="mayHaveEndpoint">False when the caller released the container's address already.</param>
    /// <param name="toTrash">The directory is moved into the root's trash, not deleted: its monitor
    /// deletes it once the attached `run --rm` has returned (<see cref="ContainerFiles.MoveToTrash"/>).</param>
    public void RemoveStopped(string id, IReadOnlyList<string>? anonymousVolumes = null, bool mayHaveEndpoint = true, bool toTrash = false)
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
        var files = new ContainerFiles(root.ContainerDir(id));
        if (mayHaveEndpoint && File.Exists(files.ConfigFile))
        {
            // A crash may have left the address (and ports) of a container that is not running.
            try { new ContainerNetworking(root).Release(ContainerConfig.Load(files.ConfigFile)); }
            catch (GockerException) { /* unreadable config: the next network command reconciles */ }
        }
        if (!(toTrash && TryMoveToTrash(files)))
            files.Remove();
        store.Update(tx =>
        {
            if (tx.Records.FirstOrDefault(x => x.Id == id) is { } r)
                tx.Remove(r);
            return 0;
        });
        if (anonymousVolumes is { Count: > 0 })
            new Volumes.ContainerVolumes(root).RemoveAnonymous(anonymousVolumes);
    }

    private bool TryMoveToTrash(ContainerFiles files)
    {
        try { files.MoveToTrash(root.TrashDir); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; } // e.g. another filesystem
    }
}
