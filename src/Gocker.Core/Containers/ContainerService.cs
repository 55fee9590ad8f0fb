using Gocker.Core.Interop;
using Gocker.Core.Logs;
using Gocker.Core.Process;
using Gocker.Core.State;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Containers;

/// <summary>The container operations the CLI calls: one call per command.</summary>
public sealed class ContainerService(GockerRoot root, string imagesDir, Func<string, string?> hostEnv)
{
    public ContainerConfig Create(RunOptions o) => new ContainerCreator(root, imagesDir, hostEnv).Create(o);

    /// <summary>`run`: the container's monitor is spawned first, with the id the container will get, so
    /// that its exec overlaps the creation; it ends at once if the creation fails.</summary>
    private (ContainerConfig Config, MonitorSpawn Monitor) SpawnAndCreate(RunOptions o, AttachOptions attach)
    {
        var id = ContainerId.New();
        var monitor = new ContainerStarter(root).SpawnMonitor(id, o.Tty, o.Interactive, o.Network.IsHost, o.Remove, attach);
        try
        {
            return (new ContainerCreator(root, imagesDir, hostEnv).Create(o, id), monitor);
        }
        catch
        {
            monitor.Dispose();
            throw;
        }
    }

    /// <summary>`run -d`: returns the id once the command runs (a command that cannot start is an
    /// error with its code, 126 or 127, as with Docker; the container stays, as exited).</summary>
    public string RunDetached(RunOptions o)
    {
        var (config, monitor) = SpawnAndCreate(o, AttachOptions.Detached);
        try
        {
            using (new ContainerStarter(root).Start(config, AttachOptions.Detached, monitor))
                return config.Id;
        }
        catch (Network.EndpointException)
        {
            RemoveUnstarted(config);
            throw;
        }
    }

    /// <summary>`run` whose container could not join its network (a host port or address taken):
    /// nothing ran, and as for any bad input nothing is left, not even the container.</summary>
    private void RemoveUnstarted(ContainerConfig config) => new ContainerRemover(root).RemoveStopped(config.Id);

    /// <summary>`run` in the foreground: the output shows live; returns the exit code `docker run`
    /// would. The container stays (Exited) unless --rm.</summary>
    public int RunForeground(RunOptions o)
    {
        if (o.Tty && o.Interactive && !Terminal.IsTerminal(0))
            throw new GockerException("the input device is not a TTY");
        ContainerConfig? created = null;
        try
        {
            return Attach(o.Tty, o.Interactive, attach =>
            {
                var (config, monitor) = SpawnAndCreate(o, attach);
                created = config;
                return (config, monitor);
            });
        }
        catch (Network.EndpointException) when (created is not null)
        {
            RemoveUnstarted(created);
            throw;
        }
    }

    /// <summary>`start`: returns the container's exit code when attached, else 0 once it runs.</summary>
    public int Start(string idOrName, bool attach)
    {
        var record = Find(idOrName);
        using (var store = new StateStore(root.StateDb))
            if (StatusRules.IsRunning(record.Status) && store.IsMonitorAlive(record))
                return 0; // Docker: starting a running container is not an error
        var config = ContainerConfig.Load(new ContainerFiles(root.ContainerDir(record.Id)).ConfigFile);
        if (attach)
            return Attach(config.Tty, config.OpenStdin, _ => (config, null));
        using var _ = new ContainerStarter(root).Start(config, AttachOptions.Detached);
        return 0;
    }

    /// <param name="prepare">The container to start, and its monitor if spawned already (`run`).</param>
    private int Attach(bool tty, bool openStdin, Func<AttachOptions, (ContainerConfig Config, MonitorSpawn? Monitor)> prepare)
    {
        using var signals = new SignalForwarder();
        RawMode? raw = null;
        try
        {
            if (tty && openStdin)
                raw = RawMode.Enter(0);
            var attach = new AttachOptions(true, () => Terminal.WindowSize(0), signals.Target);
            int monitorPid;
            var (config, monitor) = prepare(attach);
            try
            {
                using var started = new ContainerStarter(root).Start(config, attach, monitor);
                monitorPid = started.MonitorPid;
                using var winch = config.Tty && Terminal.IsTerminal(0)
                    ? System.Runtime.InteropServices.PosixSignalRegistration.Create(
                        System.Runtime.InteropServices.PosixSignal.SIGWINCH,
                        _ => { if (Terminal.WindowSize(0) is { } ws) started.Resize(ws.Rows, ws.Cols); })
                    : null;
                // The monitor hands the recording of the exit to us (our runtime is up already);
                // if it cannot (we were too slow, it died), it records the exit itself.
                int? reported = started.WaitForExitReport();
                if (reported is { } waitStatus)
                {
                    int code = new ContainerExit(root).Record(config.Id, waitStatus, config, monitorDeletesFiles: true);
                    // After "k" the monitor lets go of our stdio and of its lock, deletes an --rm
                    // container's directory from the trash, and ends: we do not wait for that.
                    signals.Stop();
                    started.AcknowledgeExit();
                    return code;
                }
                int status = Libc.WaitForExit(monitorPid);
                signals.Stop();
                return MonitorExitCode(status);
            }
            catch (ContainerStartException e)
            {
                signals.Stop();
                throw new GockerException(e.Message, e.ExitCode);
            }
        }
        finally
        {
            raw?.Dispose();
        }
    }

    /// <summary>The monitor ends by exec'ing `container-exited`, whose exit code is the container's.</summary>
    private static int MonitorExitCode(int status)
    {
        if ((status & 0x7f) != 0)
            throw new GockerException($"the container monitor was killed by signal {status & 0x7f}");
        return (status >> 8) & 0xff;
    }

    public ContainerRecord Find(string idOrName)
    {
        using var store = new StateStore(root.StateDb);
        return StateStore.Resolve(store.ReadAll().Records, idOrName);
    }

    public void Kill(string idOrName, int signal)
    {
        var r = Find(idOrName);
        if (!new ContainerSignaller(root).Kill(r, signal))
            throw new GockerException($"cannot kill container: {idOrName}: container {r.Id} is not running", ExitCodes.CommandFailed);
    }

    public void Stop(string idOrName, int? signal, TimeSpan timeout)
    {
        var r = Find(idOrName);
        new ContainerSignaller(root).Stop(r, signal ?? StopSignalOf(r.Id), timeout);
    }

    /// <summary>The container's stop signal (--stop-signal, else the image's StopSignal), else SIGTERM.</summary>
    private int StopSignalOf(string id)
    {
        var path = new ContainerFiles(root.ContainerDir(id)).ConfigFile;
        if (!File.Exists(path))
            return Signals.SIGTERM;
        var name = ContainerConfig.Load(path).StopSignal;
        try { return string.IsNullOrEmpty(name) ? Signals.SIGTERM : Signals.Parse(name); }
        catch (GockerException) { return Signals.SIGTERM; }
    }

    /// <summary>`wait`: the exit code once the container has ended.</summary>
    public int Wait(string idOrName)
    {
        var r = Find(idOrName);
        var after = new ContainerSignaller(root).WaitForMonitor(r);
        if (after is not null)
            return after.ExitCode;
        return ExitTombstones.Read(root, r.Id)
            ?? throw new GockerException($"No such container: {idOrName}", ExitCodes.CommandFailed);
    }

    /// <param name="volumes">rm -v: the container's anonymous volumes go with it.</param>
    public void Remove(string idOrName, bool force, bool volumes = false)
    {
        var r = Find(idOrName);
        if (force && StatusRules.IsRunning(r.Status))
            new ContainerSignaller(root).Stop(r, Signals.SIGKILL, TimeSpan.Zero);
        List<string>? anonymous = null;
        if (volumes)
        {
            try { anonymous = Volumes.ContainerVolumes.AnonymousOf(ContainerConfig.Load(new ContainerFiles(root.ContainerDir(r.Id)).ConfigFile)); }
            catch (GockerException) { /* no configuration left: nothing to find volumes in */ }
        }
        new ContainerRemover(root).RemoveStopped(r.Id, anonymousVolumes: anonymous);
    }

    public int ContainerExited(string id, int rawStatus) => new ContainerExit(root).Record(id, rawStatus);

    /// <summary>`logs`: the container's output on the streams it was written to.</summary>
    public void Logs(string idOrName, LogsOptions options, Stream stdout, Stream stderr, CancellationToken cancel = default)
    {
        var r = Find(idOrName);
        var files = new ContainerFiles(root.ContainerDir(r.Id));
        var config = ContainerConfig.Load(files.ConfigFile);
        using var store = new StateStore(root.StateDb);
        bool Running()
        {
            var now = store.ReadAll().Records.FirstOrDefault(x => x.Id == r.Id);
            return now is not null && StatusRules.IsRunning(now.Status) && store.IsMonitorAlive(now);
        }
        new LogWriter(files.LogFile, config.LogMaxFiles, stdout, stderr).Write(options, Running, cancel);
    }

    /// <summary>`restart`: stop (as `stop` does), then start detached.</summary>
    public void Restart(string idOrName, TimeSpan timeout)
    {
        var r = Find(idOrName);
        if (StatusRules.IsRunning(r.Status))
            new ContainerSignaller(root).Stop(r, StopSignalOf(r.Id), timeout);
        var config = ContainerConfig.Load(new ContainerFiles(root.ContainerDir(r.Id)).ConfigFile);
        using var _ = new ContainerStarter(root).Start(config, AttachOptions.Detached);
    }

    /// <summary>`rename`: the new name is checked and taken under the store lock.</summary>
    public void Rename(string idOrName, string newName)
    {
        ContainerId.ValidateName(newName);
        using var store = new StateStore(root.StateDb);
        store.Update(tx =>
        {
            var r = tx.Find(idOrName);
            if (r.Name == newName)
                throw new GockerException($"Renaming a container with the same name as its current name", ExitCodes.CommandFailed);
            if (tx.Records.FirstOrDefault(x => x.Name == newName) is { } other)
                throw new GockerException($"Conflict. The container name \"/{newName}\" is already in use by container \"{other.Id}\". " +
                    "You have to remove (or rename) that container to be able to reuse that name.", ExitCodes.CommandFailed);
            // config.json first: if we die between the two writes, the record (what every lookup
            // uses) still has the old name, and the next rename or inspect is consistent with it.
            var files = new ContainerFiles(root.ContainerDir(r.Id));
            ContainerConfig.Load(files.ConfigFile).WithName(newName).Save(files.ConfigFile);
            tx.Put(r with { Name = newName });
        });
    }

    /// <summary>`container prune`: removes every container that is not running; returns their ids and
    /// the bytes their directories held.</summary>
    public (List<string> Ids, long Bytes) Prune()
    {
        List<ContainerRecord> stopped;
        using (var store = new StateStore(root.StateDb))
            stopped = store.ReadAll().Records.Select(r => ContainerQueries.Observed(store, r))
                .Where(r => !StatusRules.IsRunning(r.Status)).ToList();
        var removed = new List<string>();
        long bytes = 0;
        foreach (var r in stopped)
        {
            try
            {
                long size = new ContainerFiles(root.ContainerDir(r.Id)).DiskUsage();
                new ContainerRemover(root).RemoveStopped(r.Id);
                removed.Add(r.Id);
                bytes += size;
            }
            catch (GockerException) { /* started again meanwhile */ }
        }
        return (removed, bytes);
    }
}
