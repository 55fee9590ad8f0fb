namespace Gocker.Core.Cgroups;

/// <summary>cgroup v1: a directory <c>&lt;hierarchy mount&gt;/gocker/ID</c> in each hierarchy of the controllers gocker
/// uses that the host has (co-mounted controllers share one directory).</summary>
public sealed class V1CgroupManager : ICgroupManager
{
    private readonly ICgroupFs _fs;
    private readonly IReadOnlyDictionary<string, string> _mounts;
    private readonly string _relative;

    public TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <param name="mounts">controller → mount point of its hierarchy (<see cref="CgroupLayout.V1Mounts"/>).</param>
    /// <param name="relative">the cgroup's path under each hierarchy root, e.g. "gocker/ID".</param>
    public V1CgroupManager(IReadOnlyDictionary<string, string> mounts, string relative, ICgroupFs? fs = null)
    {
        _mounts = mounts;
        _relative = relative.Trim('/');
        _fs = fs ?? CgroupFs.Instance;
    }

    /// <summary>The container's directory in a controller's hierarchy, or null when the host lacks it.</summary>
    public string? Dir(string controller) =>
        _mounts.TryGetValue(controller, out var mount) ? Path.Combine(mount, _relative) : null;

    /// <summary>The distinct directories (one per hierarchy used).</summary>
    public IReadOnlyList<string> Dirs =>
        CgroupDetector.V1Controllers.Select(Dir).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    public string Describe => "cgroup v1 " + string.Join(" ", CgroupDetector.V1Controllers
        .Where(_mounts.ContainsKey).Select(c => $"{c}:{Dir(c)}"));

    public IReadOnlyList<string> ProcsFiles => Dirs.Select(d => Path.Combine(d, "cgroup.procs")).ToList();

    public IReadOnlyList<string> JoinFiles => Dirs.Select(d => Path.Combine(d, "tasks")).ToList();

    public bool Exists => Dirs.Any(_fs.Exists);

    public void Create(ResourceLimits limits)
    {
        Require(limits);
        var created = new List<string>();
        try
        {
            foreach (var mount in _mounts.Values.Distinct(StringComparer.Ordinal))
                created.AddRange(CgroupFiles.MakeDirs(_fs, mount, _relative));
            if (_mounts.TryGetValue(V1Cpuset.Name, out var cpusetMount))
                V1Cpuset.Inherit(_fs, cpusetMount, Dir(V1Cpuset.Name)!);
            if (Dir(V1Devices.Name) is { } devices)
                V1Devices.Apply(_fs, devices, limits.AllDevices);
            Write(limits);
        }
        catch
        {
            CgroupFiles.RemoveQuietly(_fs, created);
            throw;
        }
    }

    public void Apply(ResourceLimits limits)
    {
        Require(limits);
        Write(limits);
    }

    private void Require(ResourceLimits l)
    {
        Check(V1Memory.Name, V1Memory.Needed(l));
        Check(V1Cpu.Name, V1Cpu.Needed(l));
        Check(V1Cpuset.Name, V1Cpuset.Needed(l));
        Check(V1Pids.Name, V1Pids.Needed(l));

        void Check(string controller, bool needed)
        {
            if (needed && !_mounts.ContainsKey(controller))
                throw new GockerException($"cgroup controller {controller} is not available");
        }
    }

    private void Write(ResourceLimits l)
    {
        if (Dir(V1Memory.Name) is { } mem && V1Memory.Needed(l)) V1Memory.Apply(_fs, mem, l);
        if (Dir(V1Cpu.Name) is { } cpu && V1Cpu.Needed(l)) V1Cpu.Apply(_fs, cpu, l);
        if (Dir(V1Cpuset.Name) is { } cpuset && V1Cpuset.Needed(l)) V1Cpuset.Apply(_fs, cpuset, l);
        if (Dir(V1Pids.Name) is { } pids && V1Pids.Needed(l)) V1Pids.Apply(_fs, pids, l);
    }

    public void AddProcess(int pid)
    {
        foreach (var procs in ProcsFiles)
            CgroupFiles.Write(_fs, Path.GetDirectoryName(procs)!, "cgroup.procs", pid);
    }

    public CgroupStats Stats()
    {
        long cpu = Dir(V1CpuAcct.Name) is { } acct ? V1CpuAcct.UsageNs(_fs, acct) : 0;
        var (usage, limit, inactive) = Dir(V1Memory.Name) is { } mem ? V1Memory.Stats(_fs, mem) : (0, null, 0);
        var (pids, pidsMax) = Dir(V1Pids.Name) is { } p ? V1Pids.Stats(_fs, p) : (0, null);
        return new CgroupStats(cpu, usage, limit, inactive, pids, pidsMax);
    }

    public bool OomKilled() => Dir(V1Memory.Name) is { } mem && V1Memory.OomKilled(_fs, mem);

    public void Freeze() => V1Freezer.Set(_fs, FreezerDir(), true, FreezeTimeout, Sleep);

    public void Thaw() => V1Freezer.Set(_fs, FreezerDir(), false, FreezeTimeout, Sleep);

    private string FreezerDir() => Dir(V1Freezer.Name) ?? throw new GockerException("cgroup controller freezer is not available");

    public void Remove() => CgroupFiles.Remove(_fs, Dirs);
}
