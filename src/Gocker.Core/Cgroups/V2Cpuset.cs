namespace Gocker.Core.Cgroups;

/// <summary>v2 cpuset controller: cpuset.cpus, cpuset.mems (empty means the parent's: nothing to copy).</summary>
internal static class V2Cpuset
{
    public const string Name = "cpuset";

    public static bool Needed(ResourceLimits l) => l.CpusetCpus is not null || l.CpusetMems is not null;

    public static void Apply(ICgroupFs fs, string dir, ResourceLimits l)
    {
        if (l.CpusetCpus is { } cpus) CgroupFiles.Write(fs, dir, "cpuset.cpus", cpus);
        if (l.CpusetMems is { } mems) CgroupFiles.Write(fs, dir, "cpuset.mems", mems);
    }
}
