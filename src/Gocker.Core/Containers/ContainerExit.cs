using Gocker.Core.Process;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>`gocker container-exited ID STATUS` (hidden): what the monitor execs once the container's
/// init has ended. Records the exit, removes an --rm container, and returns the exit code that the
/// foreground `run` (the monitor's parent) reports.</summary>
public sealed class ContainerExit(GockerRoot root)
{
    /// <param name="config">The container's configuration when the caller has it (the attached client);
    /// otherwise it is read from config.json.</param>
    /// <param name="monitorDeletesFiles">The attached client: an --rm container's directory goes to the
    /// trash, which its monitor deletes after "k" (the client returns meanwhile).</param>
    public int Record(string id, int rawStatus, ContainerConfig? config = null, bool monitorDeletesFiles = false)
    {
        int code = WaitStatus.ToExitCode(rawStatus);
        var files = new ContainerFiles(root.ContainerDir(id));
        config ??= TryLoad(files);
        bool oom = ContainerCgroups.For(id) is { Exists: true } cg && cg.OomKilled();
        // Before the record says Exited: until then no new start of this container can begin, so the
        // address released here is this run's, never a newer run's.
        if (config is not null)
            new ContainerNetworking(root).Release(config);
        bool found = false;
        using (var store = new StateStore(root.StateDb))
        {
            store.Update(tx =>
            {
                var r = tx.Records.FirstOrDefault(x => x.Id == id);
                if (r is null)
                    return 0; // removed meanwhile (rm -f)
                found = true;
                tx.Put(r with
                {
                    Status = ContainerStatus.Exited,
                    ExitCode = code,
                    OomKilled = oom,
                    Pid = 0,
                    PidStartTime = 0,
                    MonitorPid = 0,
                    FinishedAt = ContainerStarter.Now(),
                    Ports = "",
                });
                return 0;
            });
        }
        if (found && config?.AutoRemove == true)
        {
            // `wait` learns the exit code of a container that is gone by the time it wakes up.
            ExitTombstones.Write(root, id, code);
            new ContainerRemover(root).RemoveStopped(id, Volumes.ContainerVolumes.AnonymousOf(config), mayHaveEndpoint: config is null,
                toTrash: monitorDeletesFiles);
        }
        return code;
    }

    private static ContainerConfig? TryLoad(ContainerFiles files)
    {
        try { return ContainerConfig.Load(files.ConfigFile); }
        catch (GockerException) { return null; }
    }
}
