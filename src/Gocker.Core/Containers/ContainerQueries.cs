using Gocker.Core.Formatting;
using Gocker.Core.Process;
using Gocker.Core.State;
using RecordStatus = Gocker.Core.State.ContainerStatus;

namespace Gocker.Core.Containers;

/// <summary>ps and inspect: read-only views of the store (and, for inspect, config.json).</summary>
public sealed class ContainerQueries(GockerRoot root)
{
    /// <param name="WithMounts">Read each listed container's config.json for {{.Mounts}} (only when the
    /// format shows them: the listing itself needs the state file alone).</param>
    public sealed record ListOptions(bool All, int? Last, PsFilter Filter, bool WithMounts = false);

    /// <summary>One pass over the state file. Only records that claim to be running cost anything
    /// more: one lock test each (the monitor's liveness lock), and a /proc read if the monitor is dead.</summary>
    public List<ContainerView> List(ListOptions o)
    {
        using var store = new StateStore(root.StateDb);
        var records = store.ReadAll().Records;
        IEnumerable<ContainerView> views = records
            .Select(r => ToView(Observed(store, r)))
            .OrderByDescending(v => v.Created);
        bool all = o.All || o.Last is not null || o.Filter.ImpliesAll;
        if (!all)
            views = views.Where(v => v.State is ContainerState.Running or ContainerState.Paused or ContainerState.Restarting);
        views = o.Filter.Apply(views);
        if (o.Last is { } n)
            views = views.Take(n);
        if (o.WithMounts)
            views = views.Select(v => v with { Mounts = MountNames(v.Id) });
        return views.ToList();
    }

    /// <summary>
    /// `ps` straight from the store to <paramref name="output"/> for the outputs <see cref="PsTableWriter"/>
    /// renders (the default table, -q; no --filter): the same rows, order and bytes as <see cref="List"/>
    /// and <see cref="PsTable.Write"/>, without decoding records into strings. One chunked pass over the
    /// file (<see cref="StateStore.ScanRecords"/>) copies what the table shows into a
    /// <see cref="PsRowBuffer"/>; only records that claim to be running are decoded and checked
    /// (<see cref="Observed"/>). False, with nothing written, when these options need the general path.
    /// </summary>
    public bool TryWriteTable(ListOptions o, PsOptions format, Stream output, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(format);
        if (!o.Filter.IsEmpty || !PsTableWriter.Supports(format))
            return false;
        using var store = new StateStore(root.StateDb);
        var collect = new PsCollector(store, o.All || o.Last is not null, PsTableWriter.IdBytesFor(format));
        store.ScanRecords(ref collect);
        var rows = collect.Rows!;
        rows.SortNewestFirst();
        if (o.Last is { } last)
            rows.Limit(last);
        return PsTableWriter.TryWrite(output, rows, now, format);
    }

    /// <summary>The rows of <see cref="List"/> (before --filter), copied into a <see cref="PsRowBuffer"/>.</summary>
    private struct PsCollector(StateStore store, bool all, int idBytes) : IRecordVisitor
    {
        public PsRowBuffer? Rows;

        public void Begin(int slots) => Rows = new PsRowBuffer(all ? slots : 16, idBytes);

        public void Visit(RecordView r)
        {
            ContainerState state;
            if (StatusRules.IsRunning(r.Status))
            {
                state = ToState(Observed(store, r.ToRecord()).Status);
                if (!all && state is not (ContainerState.Running or ContainerState.Paused or ContainerState.Restarting))
                    return;
            }
            else if (!all)
            {
                return;
            }
            else
            {
                state = ToState(r.Status);
            }
            Rows!.Add(r.Id, r.Name, r.Image, r.Command, r.Ports, state, r.ExitCode,
                UnixTicks(r.CreatedAt) ?? 0, UnixTicks(r.StartedAt), UnixTicks(r.FinishedAt));
        }
    }

    /// <summary><see cref="FromNs"/> as ticks since the Unix epoch.</summary>
    private static long? UnixTicks(long ns) => ns <= 0 ? null : ns / 100;

    private List<string> MountNames(string id)
    {
        try { return Volumes.MountInspect.Names(ContainerConfig.Load(new ContainerFiles(root.ContainerDir(id)).ConfigFile).Mounts); }
        catch (GockerException) { return []; } // removed meanwhile
    }

    /// <summary>A record says Running but its monitor holds no lock: the monitor died (kill -9). The
    /// container's init died with it (parent-death signal) unless the pid and start time say otherwise.</summary>
    internal static ContainerRecord Observed(StateStore store, ContainerRecord r)
    {
        if (!StatusRules.IsRunning(r.Status) || store.IsMonitorAlive(r))
            return r;
        if (r.Pid > 0 && new ProcessIdentity(r.Pid, r.PidStartTime).IsAlive())
            return r;
        return r with { Status = RecordStatus.Dead };
    }

    public static ContainerView ToView(ContainerRecord r) => new(
        r.Id, r.Name, r.Image, r.Command, ToState(r.Status), r.ExitCode, r.OomKilled,
        FromNs(r.CreatedAt) ?? DateTimeOffset.UnixEpoch, FromNs(r.StartedAt), FromNs(r.FinishedAt), r.Ports);

    private static ContainerState ToState(RecordStatus s) => s switch
    {
        RecordStatus.Created => ContainerState.Created,
        RecordStatus.Running => ContainerState.Running,
        RecordStatus.Paused => ContainerState.Paused,
        RecordStatus.Restarting => ContainerState.Restarting,
        RecordStatus.Removing => ContainerState.Removing,
        RecordStatus.Exited => ContainerState.Exited,
        _ => ContainerState.Dead,
    };

    private static DateTimeOffset? FromNs(long ns) =>
        ns <= 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000).AddTicks(ns % 1_000_000 / 100);

    /// <summary>`inspect`: Docker's shape, from the record (state) and config.json (configuration).</summary>
    public ContainerInspect Inspect(string idOrName)
    {
        using var store = new StateStore(root.StateDb);
        var r = Observed(store, StateStore.Resolve(store.ReadAll().Records, idOrName));
        var files = new ContainerFiles(root.ContainerDir(r.Id));
        var c = ContainerConfig.Load(files.ConfigFile);
        var view = ToView(r);
        return new ContainerInspect
        {
            Id = r.Id,
            Created = GoTime.Rfc3339Nano(view.Created),
            Path = c.Args[0],
            Args = c.Args.Skip(1).ToList(),
            State = InspectState.From(view.State, r.Pid, r.ExitCode, r.OomKilled, view.Started, view.Finished),
            Image = c.ImageId ?? c.Image,
            ResolvConfPath = files.ResolvConfFile,
            HostnamePath = files.HostnameFile,
            HostsPath = files.HostsFile,
            LogPath = files.LogFile,
            Name = "/" + r.Name,
            HostConfig = HostConfigOf(c),
            Mounts = Volumes.MountInspect.Mounts(c.Mounts, new Volumes.VolumeStore($"{root.Path}/volumes")),
            NetworkSettings = ContainerNetworkInspect.Settings(root, c, view.State is ContainerState.Running or ContainerState.Paused),
            Config = new InspectConfig
            {
                Hostname = c.Hostname,
                User = c.User ?? "",
                AttachStdin = c.OpenStdin,
                AttachStdout = true,
                AttachStderr = true,
                Tty = c.Tty,
                OpenStdin = c.OpenStdin,
                Env = c.Env,
                Cmd = c.ImageLayers is null ? c.Args : c.Cmd,
                Entrypoint = c.Entrypoint,
                Image = c.Image,
                Volumes = Volumes.MountInspect.AnonymousVolumes(c.Mounts),
                WorkingDir = c.WorkingDir ?? "",
                StopSignal = c.StopSignal,
                ExposedPorts = c.ExposedPorts is { Count: > 0 } ports ? ports.ToDictionary(p => p, _ => new Dictionary<string, string>()) : null,
            },
        };
    }

    private static InspectHostConfig HostConfigOf(ContainerConfig c)
    {
        var limits = Cgroups.ResourceLimits.None;
        try { limits = ContainerCgroups.Parse(c.Resources); }
        catch (GockerException) { /* the host changed since create: show what can be shown */ }
        var hc = new InspectHostConfig
        {
            AutoRemove = c.AutoRemove,
            Init = c.Init ? true : null,
            Privileged = c.Security.Privileged,
            CapAdd = c.Security.CapAdd is { Count: > 0 } add ? add : null,
            CapDrop = c.Security.CapDrop is { Count: > 0 } drop ? drop : null,
            SecurityOpt = c.Security.SecurityOpt is { Count: > 0 } opt ? opt : null,
            Memory = limits.Memory ?? 0,
            NanoCpus = limits.Cpus is { } cpus ? (long)(cpus * 1e9) : 0,
            CpuShares = limits.CpuShares ?? 0,
            PidsLimit = limits.PidsLimit,
            Binds = Volumes.MountInspect.Binds(c.Mounts),
            ReadonlyRootfs = c.ReadonlyRootfs,
            Tmpfs = Volumes.MountInspect.Tmpfs(c.Mounts),
            Mounts = Volumes.MountInspect.HostMounts(c.Mounts),
        };
        ContainerNetworkInspect.Fill(hc, c.Network);
        return hc;
    }
}
