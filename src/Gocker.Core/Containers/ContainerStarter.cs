using Gocker.Core.Interop;
using Gocker.Core.Process;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>How the starting command stays connected to the container.</summary>
public sealed record AttachOptions(bool Attached, Func<(int Rows, int Cols)?> WindowSize, Action<int>? OnSpawned = null)
{
    public static readonly AttachOptions Detached = new(false, () => null);
}

/// <summary>`start` (and the second half of `run`): the monitor is spawned and clones init; the record
/// becomes Running (a bridged container's once its network is ready) just before the gate lets the
/// command run.</summary>
public sealed class ContainerStarter(GockerRoot root, Network.NetworkHost? networkHost = null)
{
    /// <summary>The monitor of a container about to be made: spawned first, so that its exec overlaps
    /// the creation of the container (`run`) or the work of <see cref="Start"/> before it needs it.</summary>
    public MonitorSpawn SpawnMonitor(string id, bool tty, bool openStdin, bool hostNetwork, bool autoRemove, AttachOptions attach) =>
        MonitorLauncher.Spawn(new MonitorSpec(id, root.Path, new ContainerFiles(root.ContainerDir(id)).LogFile, root.StateDb,
            tty, openStdin, attach.Attached, hostNetwork, autoRemove), attach.WindowSize, attach.OnSpawned);

    /// <param name="monitor">The monitor spawned for this start by <see cref="SpawnMonitor"/> with the
    /// same options, or null to spawn it here. Either way it is this call's: ended if the start fails.</param>
    public StartedContainer Start(ContainerConfig config, AttachOptions attach, MonitorSpawn? monitor = null)
    {
        monitor ??= SpawnMonitor(config.Id, config.Tty, config.OpenStdin, config.Network.IsHost, config.AutoRemove, attach);
        using (monitor) // a no-op once started: only a start that fails before that ends the monitor here
            return Start(config, monitor);
    }

    private StartedContainer Start(ContainerConfig config, MonitorSpawn monitor)
    {
        using var store = new StateStore(root.StateDb);
        var record = StateStore.Resolve(store.ReadAll().Records, config.Id);
        if (!StatusRules.CanStart(record.Status))
            throw new GockerException($"container {config.Name} is already running", ExitCodes.CommandFailed);
        var files = new ContainerFiles(root.ContainerDir(config.Id));
        var mounts = config.Mounts.Count > 0 ? new Volumes.ContainerVolumes(root).ForStart(config.Mounts) : [];
        // A bridged container gets its address (and published ports) first; its veth is made once
        // init exists, while init sets up, and its command starts only after that.
        using var network = ContainerNetworkStart.Begin(root, networkHost, config, files);
        long requested = Now();
        StartedContainer started;
        Cgroups.ICgroupManager? cgroup = null;
        try
        {
            // Created before the monitor clones init (it reads their names first): init's clone child
            // joins it before init does anything.
            cgroup = ContainerCgroups.CreateFresh(config.Id, config.Resources, config.Security.Privileged);
            var monitorRecord = new MonitorRecord(StateStore.RecordOffset(record.Slot), StateStore.RecordSize,
                config.LogMaxSize, config.LogMaxFiles, cgroup?.JoinFiles ?? []);
            started = MonitorLauncher.Start(monitor, monitorRecord,
                () => InitPlan.Build(InitConfigFor(config, files, root, mounts, network.Endpoint),
                    config.Security.Privileged ? Filesystem.Confinement.ScanHostDevices() : null),
                (init, monitorPid) =>
                {
                    if (network.Endpoint is not null)
                        network.Connect(init.Pid);
                    // Running before the command can run (init waits at its gate until "go"): whoever
                    // sees the container's first output (or a `run -d` return) can kill or stop it, and
                    // a client killed at that instant never leaves a running container recorded as Created.
                    MarkRunning(store, config.Id, init, monitorPid, requested, network.PortsSummary);
                });
        }
        catch (ContainerStartException e)
        {
            // The monitor records the failed start (an exit with the failure's code) and ends; that
            // releases the address too (and, should the monitor have died without, so do we).
            Libc.WaitForExit(e.MonitorPid);
            network.ReleaseOwn();
            throw;
        }
        catch
        {
            network.ReleaseOwn(); // no monitor: nothing else will
            // Nothing joined a cgroup that the monitor never got: it goes with this failed start.
            if (cgroup is not null && !monitor.Started)
            {
                try { ContainerCgroups.RemoveWhenEmpty(cgroup); }
                catch (GockerException) { /* the next start of this container removes it first */ }
            }
            throw;
        }
        return started;
    }

    private static void MarkRunning(StateStore store, string id, ProcessIdentity init, int monitorPid, long requested, string ports) =>
        store.Update(tx =>
        {
            var r = tx.Find(id);
            // The container may have run and ended already (its monitor recorded that after our
            // request): never turn that back into Running, but it did start ("Exited (N)", not "Created").
            if (r.FinishedAt > requested)
            {
                if (r.StartedAt < requested)
                    tx.Put(r with { StartedAt = requested });
                return 0;
            }
            tx.Put(r with
            {
                Status = ContainerStatus.Running,
                Pid = init.Pid,
                PidStartTime = init.StartTime,
                MonitorPid = monitorPid,
                StartedAt = requested,
                ExitCode = 0,
                OomKilled = false,
                Ports = ports,
            });
            return 0;
        });

    public static InitConfig InitConfigFor(ContainerConfig c, ContainerFiles files, GockerRoot root, List<Filesystem.ContainerMount>? mounts = null,
        Network.Endpoint? endpoint = null) => new()
    {
        Id = c.Id,
        Hostname = c.Hostname,
        Args = c.Args,
        Env = c.Env,
        User = c.User,
        WorkingDir = c.WorkingDir,
        Tty = c.Tty,
        Init = c.Init,
        LowerDirs = c.ImageLayers is { } layers ? Images.ImageStore.LowerDirs(layers) : c.ImageRootfs ?? "",
        LowerBase = c.ImageLayers is null ? null : new Images.ImageStore(root).LinksDir,
        UpperDir = files.Upper,
        WorkDir = files.Work,
        Rootfs = files.Rootfs,
        HostnameFile = files.HostnameFile,
        HostsFile = files.HostsFile,
        ResolvConfFile = files.ResolvConfFile,
        Mounts = mounts ?? [],
        ReadOnlyRootfs = c.ReadonlyRootfs,
        HostNetwork = c.Network.IsHost,
        Security = Security.ContainerSecurity.ForProcess(c.Security, cache: Security.Seccomp.SeccompCache.For(root.CacheDir)),
        Privileged = c.Security.Privileged,
        MaskSystemPaths = c.Security.MaskSystemPaths,
        DisposableUpper = c.AutoRemove,
        Network = endpoint is null ? null
            : new Process.InitNetwork(Network.ContainerEndpoints.ContainerDevice, endpoint.Address, endpoint.PrefixLength, endpoint.Gateway),
    };

    internal static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
}
