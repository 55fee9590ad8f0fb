using Gocker.Core.Interop;
using Gocker.Core.Process;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>How the starting command stays connected to the container.</summary>
public sealed record AttachOptions(bool Attached, Func<(int Rows, int Cols)?> WindowSize, Action<int>? OnSpawned = null)
{
    public static readonly AttachOptions Detached = new(false, () => null);
}

/// <summary>`start` (and the second half of `run`): the monitor is spawned, clones init, and the
/// record becomes Running once the command has exec'd.</summary>
public sealed class ContainerStarter(GockerRoot root)
{
    public StartedContainer Start(ContainerConfig config, AttachOptions attach)
    {
        using var store = new StateStore(root.StateDb);
        var record = StateStore.Resolve(store.ReadAll().Records, config.Id);
        if (!StatusRules.CanStart(record.Status))
            throw new GockerException($"container {config.Name} is already running", ExitCodes.CommandFailed);
        var files = new ContainerFiles(root.ContainerDir(config.Id));
        // Created before the monitor exists: the monitor moves init into it, and init waits for that
        // before the command's execve.
        var cgroup = ContainerCgroups.CreateFresh(config.Id, config.Resources, config.Security.Privileged);
        var spec = new MonitorSpec(config.Id, root.Path, files.LogFile, config.LogMaxSize, config.LogMaxFiles,
            root.StateDb, StateStore.RecordOffset(record.Slot), StateStore.RecordSize,
            config.Tty, config.OpenStdin, attach.Attached, cgroup?.ProcsFiles ?? []);
        long requested = Now();
        StartedContainer started;
        try
        {
            started = MonitorLauncher.Start(spec, InitConfigFor(config, files, root), attach.WindowSize, attach.OnSpawned);
        }
        catch (ContainerStartException e)
        {
            // The monitor records the failed start (an exit with the failure's code) and ends.
            Libc.WaitForExit(e.MonitorPid);
            throw;
        }
        store.Update(tx =>
        {
            var r = tx.Find(config.Id);
            // The container may have run and ended already (its monitor recorded that after our
            // request): never turn that back into Running.
            if (r.FinishedAt > requested)
                return 0;
            tx.Put(r with
            {
                Status = ContainerStatus.Running,
                Pid = started.Init.Pid,
                PidStartTime = started.Init.StartTime,
                MonitorPid = started.MonitorPid,
                StartedAt = requested,
                ExitCode = 0,
                OomKilled = false,
            });
            return 0;
        });
        return started;
    }

    public static InitConfig InitConfigFor(ContainerConfig c, ContainerFiles files, GockerRoot root) => new()
    {
        Id = c.Id,
        Hostname = c.Hostname,
        Args = c.Args,
        Env = c.Env,
        User = c.User,
        WorkingDir = c.WorkingDir,
        Tty = c.Tty,
        Init = c.Init,
        LowerDirs = c.ImageRootfs,
        UpperDir = files.Upper,
        WorkDir = files.Work,
        Rootfs = files.Rootfs,
        HostnameFile = files.HostnameFile,
        HostsFile = files.HostsFile,
        ResolvConfFile = files.ResolvConfFile,
        Security = Security.ContainerSecurity.ForProcess(c.Security, cache: Security.Seccomp.SeccompCache.For(root.CacheDir)),
        Privileged = c.Security.Privileged,
        MaskSystemPaths = c.Security.MaskSystemPaths,
    };

    internal static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
}
