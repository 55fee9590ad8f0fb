using Gocker.Core.Cgroups;

namespace Gocker.Core.Tests.Cgroups;

/// <summary>An in-memory cgroup tree that behaves like the kernel where it matters: mkdir makes the control
/// files (<see cref="OnMkdir"/>), writes go to existing files only, rmdir fails on a directory with processes or
/// children. Every write is recorded in order.</summary>
internal sealed class FakeCgroupFs : ICgroupFs
{
    public readonly HashSet<string> Dirs = new(StringComparer.Ordinal);
    public readonly Dictionary<string, string> Files = new(StringComparer.Ordinal);
    public readonly List<(string Path, string Value)> Writes = [];
    public readonly List<string> Created = [];
    public readonly List<string> Removed = [];

    /// <summary>Fills a new directory with control files.</summary>
    public Action<FakeCgroupFs, string>? OnMkdir;
    /// <summary>Kernel checks and side effects of a write; returns true when it stored the value itself.</summary>
    public Func<FakeCgroupFs, string, string, bool>? OnWrite;

    public void AddDir(string path) { Dirs.Add(path); }
    public void AddFile(string path, string value) { Files[path] = value; }

    public bool Exists(string path) => Dirs.Contains(path) || Files.ContainsKey(path);

    public string Read(string path) =>
        Files.TryGetValue(path, out var v) ? v : throw new FileNotFoundException($"Could not find file '{path}'", path);

    public void Write(string path, string value)
    {
        if (!Files.ContainsKey(path)) throw new FileNotFoundException($"Could not find file '{path}'", path);
        if (OnWrite?.Invoke(this, path, value) != true) Files[path] = value;
        Writes.Add((path, value));
    }

    public void CreateDirectory(string path)
    {
        if (Dirs.Contains(path)) return;
        var parent = Path.GetDirectoryName(path)!;
        if (!Dirs.Contains(parent)) throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'");
        Dirs.Add(path);
        Created.Add(path);
        OnMkdir?.Invoke(this, path);
    }

    public void RemoveDirectory(string path)
    {
        if (!Dirs.Contains(path)) throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'");
        if (Dirs.Any(d => d.StartsWith(path + "/", StringComparison.Ordinal)) ||
            (Files.TryGetValue(path + "/cgroup.procs", out var procs) && procs.Trim().Length > 0))
            throw new IOException($"Device or resource busy : '{path}'", 16);
        Dirs.Remove(path);
        foreach (var f in Files.Keys.Where(f => Path.GetDirectoryName(f) == path).ToList())
            Files.Remove(f);
        Removed.Add(path);
    }

    public string WrittenTo(string path) => Writes.Last(w => w.Path == path).Value;
    public bool WasWritten(string path) => Writes.Any(w => w.Path == path);
    public int IndexOfWrite(string path) => Writes.FindIndex(w => w.Path == path);
}

/// <summary>Sample trees.</summary>
internal static class SampleTrees
{
    public const string Unlimited = "9223372036854771712";

    /// <summary>A v1 host: /cg/memory, /cg/cpu,cpuacct (co-mounted), /cg/cpuset, /cg/pids, /cg/freezer; 2 CPUs, 1 node.
    /// With <paramref name="swapAccounting"/> false there is no memory.memsw.*.</summary>
    public static (FakeCgroupFs Fs, Dictionary<string, string> Mounts) V1(bool swapAccounting = true, bool pids = true)
    {
        var fs = new FakeCgroupFs();
        var mounts = new Dictionary<string, string>
        {
            ["memory"] = "/cg/memory", ["cpu"] = "/cg/cpu,cpuacct", ["cpuacct"] = "/cg/cpu,cpuacct",
            ["cpuset"] = "/cg/cpuset", ["freezer"] = "/cg/freezer",
        };
        if (pids) mounts["pids"] = "/cg/pids";
        fs.AddDir("/cg");
        fs.OnMkdir = (f, dir) =>
        {
            f.AddFile(dir + "/cgroup.procs", "");
            f.AddFile(dir + "/tasks", "");
            if (dir.StartsWith("/cg/memory", StringComparison.Ordinal))
            {
                f.AddFile(dir + "/memory.limit_in_bytes", Unlimited);
                if (swapAccounting) f.AddFile(dir + "/memory.memsw.limit_in_bytes", Unlimited);
                f.AddFile(dir + "/memory.soft_limit_in_bytes", Unlimited);
                f.AddFile(dir + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
                f.AddFile(dir + "/memory.usage_in_bytes", "0");
                f.AddFile(dir + "/memory.failcnt", "0");
                f.AddFile(dir + "/memory.stat", "cache 0\nrss 0\ntotal_inactive_file 0\n");
            }
            else if (dir.StartsWith("/cg/cpu,cpuacct", StringComparison.Ordinal))
            {
                f.AddFile(dir + "/cpu.cfs_period_us", "100000");
                f.AddFile(dir + "/cpu.cfs_quota_us", "-1");
                f.AddFile(dir + "/cpu.shares", "1024");
                f.AddFile(dir + "/cpuacct.usage", "0");
            }
            else if (dir.StartsWith("/cg/cpuset", StringComparison.Ordinal))
            {
                f.AddFile(dir + "/cpuset.cpus", "");
                f.AddFile(dir + "/cpuset.mems", "");
            }
            else if (dir.StartsWith("/cg/pids", StringComparison.Ordinal))
            {
                f.AddFile(dir + "/pids.max", "max");
                f.AddFile(dir + "/pids.current", "0");
            }
            else if (dir.StartsWith("/cg/freezer", StringComparison.Ordinal))
                f.AddFile(dir + "/freezer.state", "THAWED");
        };
        foreach (var m in mounts.Values.Distinct())
            fs.CreateDirectory(m);
        fs.Files["/cg/cpuset/cpuset.cpus"] = "0-1";
        fs.Files["/cg/cpuset/cpuset.mems"] = "0";
        fs.OnWrite = (f, path, value) =>
        {
            var dir = Path.GetDirectoryName(path)!;
            var name = Path.GetFileName(path);
            long L(string file) => long.Parse(f.Files[dir + "/" + file]);
            switch (name)
            {
                case "cgroup.procs" when dir.StartsWith("/cg/cpuset", StringComparison.Ordinal) &&
                                         (f.Files[dir + "/cpuset.cpus"] == "" || f.Files[dir + "/cpuset.mems"] == ""):
                    throw new IOException("No space left on device", 28);
                case "memory.limit_in_bytes" when f.Files.ContainsKey(dir + "/memory.memsw.limit_in_bytes") &&
                                                  long.Parse(value) > L("memory.memsw.limit_in_bytes"):
                case "memory.memsw.limit_in_bytes" when value != "-1" && long.Parse(value) < L("memory.limit_in_bytes"):
                    throw new IOException("Invalid argument", 22);
                case "memory.memsw.limit_in_bytes" or "memory.limit_in_bytes" when value == "-1":
                    f.Files[path] = Unlimited;
                    return true;
                case "memory.oom_control":
                    f.Files[path] = f.Files[path].Replace("oom_kill_disable 0", "oom_kill_disable " + value);
                    return true;
            }
            return false;
        };
        fs.Writes.Clear();
        fs.Created.Clear();
        return (fs, mounts);
    }

    /// <summary>A v2 host: /cg2 with cpuset cpu io memory pids available and nothing delegated yet.</summary>
    public static FakeCgroupFs V2(string rootControllers = "cpuset cpu io memory pids", bool swap = true)
    {
        var fs = new FakeCgroupFs();
        fs.AddDir("/cg2");
        fs.AddFile("/cg2/cgroup.controllers", rootControllers);
        fs.AddFile("/cg2/cgroup.subtree_control", "");
        fs.AddFile("/cg2/cgroup.procs", "1\n");
        fs.OnMkdir = (f, dir) =>
        {
            var controllers = f.Files[Path.GetDirectoryName(dir)! + "/cgroup.subtree_control"];
            var has = controllers.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            f.AddFile(dir + "/cgroup.controllers", controllers);
            f.AddFile(dir + "/cgroup.subtree_control", "");
            f.AddFile(dir + "/cgroup.procs", "");
            f.AddFile(dir + "/cgroup.freeze", "0");
            f.AddFile(dir + "/cgroup.events", "populated 0\nfrozen 0\n");
            f.AddFile(dir + "/cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
            if (has.Contains("memory"))
            {
                f.AddFile(dir + "/memory.max", "max");
                if (swap) f.AddFile(dir + "/memory.swap.max", "max");
                f.AddFile(dir + "/memory.low", "0");
                f.AddFile(dir + "/memory.current", "0");
                f.AddFile(dir + "/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
                f.AddFile(dir + "/memory.stat", "anon 0\nfile 0\ninactive_file 0\n");
            }
            if (has.Contains("cpu")) { f.AddFile(dir + "/cpu.max", "max 100000"); f.AddFile(dir + "/cpu.weight", "100"); }
            if (has.Contains("cpuset")) { f.AddFile(dir + "/cpuset.cpus", ""); f.AddFile(dir + "/cpuset.mems", ""); }
            if (has.Contains("pids")) { f.AddFile(dir + "/pids.max", "max"); f.AddFile(dir + "/pids.current", "0"); }
        };
        fs.OnWrite = (f, path, value) =>
        {
            if (Path.GetFileName(path) != "cgroup.subtree_control") return false;
            var dir = Path.GetDirectoryName(path)!;
            var available = f.Files[dir + "/cgroup.controllers"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var enabled = f.Files[path].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            foreach (var tok in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var c = tok[1..];
                if (!available.Contains(c)) throw new IOException("No such file or directory", 2);
                if (tok[0] == '+' && !enabled.Contains(c)) enabled.Add(c);
                if (tok[0] == '-') enabled.Remove(c);
            }
            f.Files[path] = string.Join(' ', enabled);
            return true;
        };
        return fs;
    }
}
