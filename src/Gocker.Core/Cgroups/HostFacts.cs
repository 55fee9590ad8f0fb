namespace Gocker.Core.Cgroups;

/// <summary>What limits are checked against: the online CPUs and memory nodes (kernel list syntax) and the
/// cgroup version.</summary>
public sealed record HostFacts(string OnlineCpus, string OnlineMems, CgroupVersion Version)
{
    public int CpuCount => CpuList.Parse(OnlineCpus)?.Count ?? Environment.ProcessorCount;

    /// <summary>/sys/devices/system/cpu/online and /sys/devices/system/node/online ("0" on a host without NUMA
    /// nodes in sysfs).</summary>
    public static HostFacts Read(CgroupVersion version,
        string cpuOnline = "/sys/devices/system/cpu/online", string nodeOnline = "/sys/devices/system/node/online")
    {
        var cpus = ReadOr(cpuOnline, Environment.ProcessorCount > 1 ? $"0-{Environment.ProcessorCount - 1}" : "0");
        var mems = ReadOr(nodeOnline, "0");
        return new HostFacts(cpus, mems, version);
    }

    private static string ReadOr(string path, string fallback)
    {
        try { return SmallFile.ReadAllText(path).Trim(); }
        catch (IOException) { return fallback; }
        catch (UnauthorizedAccessException) { return fallback; }
    }
}
