namespace Gocker.Core.Cgroups;

/// <summary>cgroup v2: one directory <c>&lt;root&gt;/gocker/ID</c>, with the controllers gocker uses enabled in the
/// cgroup.subtree_control of each level above it.</summary>
public sealed class V2CgroupManager : ICgroupManager
{
    /// <summary>The controllers enabled for container cgroups (when the host has them).</summary>
    public static readonly string[] Controllers = [V2Cpu.Name, V2Cpuset.Name, V2Memory.Name, V2Pids.Name];

    private readonly ICgroupFs _fs;
    private readonly string _root;
    private readonly string _relative;

    public TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <param name="root">the cgroup2 mount, e.g. /sys/fs/cgroup.</param>
    /// <param name="relative">the cgroup's path under it, e.g. "gocker/ID".</param>
    public V2CgroupManager(string root, string relative, ICgroupFs? fs = null)
    {
        _root = root;
        _relative = relative.Trim('/');
        _fs = fs ?? CgroupFs.Instance;
    }

    public string Dir => Path.Combine(_root, _relative);

    public string Describe => $"cgroup v2 {Dir}";

    public IReadOnlyList<string> ProcsFiles => [Path.Combine(Dir, "cgroup.procs")];

    public IReadOnlyList<string> JoinFiles => ProcsFiles;

    public bool Exists => _fs.Exists(Dir);

    public void Create(ResourceLimits limits)
    {
        var needed = Needed(limits);
        var available = Available(_root);
        foreach (var c in needed)
            if (!available.Contains(c))
                throw new GockerException($"cgroup controller {c} is not available");

        var created = new List<string>();
        try
        {
            // Every level above the container's directory delegates the controllers to its children.
            var parent = _root;
            var parts = _relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < parts.Length; i++)
            {
                Enable(parent, needed);
                var dir = Path.Combine(parent, parts[i]);
                created.AddRange(CgroupFiles.MakeDirs(_fs, parent, parts[i]));
                parent = dir;
            }
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
        var available = Available(Dir);
        foreach (var c in Needed(limits))
            if (!available.Contains(c))
                throw new GockerException($"cgroup controller {c} is not available");
        Write(limits);
    }

    private static List<string> Needed(ResourceLimits l)
    {
        var needed = new List<string>();
        if (V2Cpu.Needed(l)) needed.Add(V2Cpu.Name);
        if (V2Cpuset.Needed(l)) needed.Add(V2Cpuset.Name);
        if (V2Memory.Needed(l)) needed.Add(V2Memory.Name);
        if (V2Pids.Needed(l)) needed.Add(V2Pids.Name);
        return needed;
    }

    private HashSet<string> Available(string dir) =>
        [.. (CgroupFiles.Read(_fs, dir, "cgroup.controllers") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>"+ctrl" into dir/cgroup.subtree_control for each of <see cref="Controllers"/> the directory has
    /// and has not enabled yet, one at a time: a failure of a controller no limit needs is not an error (stats
    /// then lack it).</summary>
    private void Enable(string dir, List<string> needed)
    {
        var available = Available(dir);
        var enabled = (CgroupFiles.Read(_fs, dir, "cgroup.subtree_control") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var c in Controllers)
        {
            if (!available.Contains(c) || enabled.Contains(c)) continue;
            try { CgroupFiles.Write(_fs, dir, "cgroup.subtree_control", "+" + c); }
            catch (GockerException) when (!needed.Contains(c)) { }
        }
    }

    private void Write(ResourceLimits l)
    {
        var dir = Dir;
        if (V2Memory.Needed(l)) V2Memory.Apply(_fs, dir, l);
        if (V2Cpu.Needed(l)) V2Cpu.Apply(_fs, dir, l);
        if (V2Cpuset.Needed(l)) V2Cpuset.Apply(_fs, dir, l);
        if (V2Pids.Needed(l)) V2Pids.Apply(_fs, dir, l);
    }

    public void AddProcess(int pid) => CgroupFiles.Write(_fs, Dir, "cgroup.procs", pid);

    public CgroupStats Stats()
    {
        var dir = Dir;
        var (usage, limit, inactive) = V2Memory.Stats(_fs, dir);
        var (pids, pidsMax) = V2Pids.Stats(_fs, dir);
        return new CgroupStats(V2Cpu.UsageNs(_fs, dir), usage, limit, inactive, pids, pidsMax);
    }

    public bool OomKilled() => V2Memory.OomKilled(_fs, Dir);

    public void Freeze() => V2Freezer.Set(_fs, Dir, true, FreezeTimeout, Sleep);

    public void Thaw() => V2Freezer.Set(_fs, Dir, false, FreezeTimeout, Sleep);

    public void Remove() => CgroupFiles.Remove(_fs, [Dir]);
}
