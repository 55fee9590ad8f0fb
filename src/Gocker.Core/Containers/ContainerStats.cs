using System.Globalization;
using Gocker.Core.Cgroups;
using Gocker.Core.Formatting;
using Gocker.Core.State;

namespace Gocker.Core.Containers;

/// <summary>`stats`: Docker's columns from two readings of each container's cgroup.</summary>
public sealed class ContainerStats(GockerRoot root)
{
    public const string DefaultFormat =
        "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.PIDs}}";

    private static readonly Dictionary<string, string> Headers = new()
    {
        ["ID"] = "CONTAINER ID", ["Container"] = "CONTAINER", ["Name"] = "NAME", ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT", ["MemPerc"] = "MEM %", ["PIDs"] = "PIDS",
    };

    private sealed record Target(ContainerRecord Record, ICgroupManager? Cgroup);

    /// <summary>The running containers named (all running ones when none is), checked first: an unknown
    /// name is an error before anything is measured.</summary>
    public IReadOnlyList<string> Resolve(IReadOnlyList<string> names)
    {
        using var store = new StateStore(root.StateDb);
        var records = store.ReadAll().Records.Select(r => ContainerQueries.Observed(store, r)).ToList();
        if (names.Count == 0)
            return records.Where(r => StatusRules.IsRunning(r.Status)).OrderByDescending(r => r.CreatedAt).Select(r => r.Id).ToList();
        return names.Select(n => StateStore.Resolve(records, n).Id).ToList();
    }

    /// <summary>One table: CPU % over <paramref name="interval"/> (100 % = one CPU, as Docker's),
    /// memory without the page cache's inactive files, pids.</summary>
    public string Sample(IReadOnlyList<string> ids, string? format, TimeSpan interval)
    {
        GoTemplate.Parse(TemplateFormat.Prepare(format ?? DefaultFormat).Text);
        List<Target> targets;
        using (var store = new StateStore(root.StateDb))
        {
            var records = store.ReadAll().Records;
            targets = ids.Select(id => records.FirstOrDefault(r => r.Id == id)).OfType<ContainerRecord>()
                .Select(r => new Target(r, ContainerCgroups.For(r.Id) is { Exists: true } cg ? cg : null)).ToList();
        }
        var first = targets.Select(t => Read(t.Cgroup)).ToList();
        long start = Environment.TickCount64;
        if (targets.Any(t => t.Cgroup is not null))
            Thread.Sleep(interval); // CPU % is a rate: two readings, an interval apart
        double elapsedNs = Math.Max(1, Environment.TickCount64 - start) * 1e6;
        var rows = new List<ITemplateData>();
        for (int i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            var now = Read(t.Cgroup);
            rows.Add(Row(t.Record, first[i], now, elapsedNs));
        }
        return TemplateTable.Render(format ?? DefaultFormat, Headers, rows);
    }

    private static CgroupStats? Read(ICgroupManager? cg)
    {
        try { return cg?.Stats(); }
        catch (GockerException) { return null; } // gone meanwhile
    }

    private static TemplateFields Row(ContainerRecord r, CgroupStats? a, CgroupStats? b, double elapsedNs)
    {
        var row = new TemplateFields().Set("ID", r.Id[..12]).Set("Container", r.Name).Set("Name", r.Name);
        if (a is null || b is null)
            return row.Set("CPUPerc", "--").Set("MemUsage", "-- / --").Set("MemPerc", "--").Set("PIDs", "--");
        double cpu = Math.Max(0, b.CpuUsageNs - a.CpuUsageNs) / elapsedNs * 100;
        long used = Math.Max(0, b.MemoryUsage - b.MemoryInactiveFile);
        long limit = b.MemoryLimit is { } l && l > 0 && l < HostMemory() ? l : HostMemory();
        double memPerc = limit > 0 ? used * 100.0 / limit : 0;
        return row
            .Set("CPUPerc", cpu.ToString("0.00", CultureInfo.InvariantCulture) + "%")
            .Set("MemUsage", $"{BinarySize(used)} / {BinarySize(limit)}")
            .Set("MemPerc", memPerc.ToString("0.00", CultureInfo.InvariantCulture) + "%")
            .Set("PIDs", b.PidsCurrent.ToString(CultureInfo.InvariantCulture));
    }

    private static long HostMemory()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    /// <summary>go-units BytesSize: 1024-based, "KiB", "MiB", "GiB", 4 significant digits at most.</summary>
    internal static string BinarySize(double size)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        int i = 0;
        while (size >= 1024 && i < units.Length - 1)
        {
            size /= 1024;
            i++;
        }
        return size.ToString("0.###", CultureInfo.InvariantCulture) + units[i];
    }
}
