namespace Gocker.Core.Cgroups;

/// <summary>v1 cpu controller: cpu.cfs_period_us and cpu.cfs_quota_us (--cpus), cpu.shares (-c).</summary>
internal static class V1Cpu
{
    public const string Name = "cpu";

    public static bool Needed(ResourceLimits l) => l.Cpus is not null || l.CpuShares is not null;

    public static void Apply(ICgroupFs fs, string dir, ResourceLimits l)
    {
        if (l.CpuQuotaUs is { } quota)
        {
            CgroupFiles.Write(fs, dir, "cpu.cfs_period_us", ResourceLimits.CfsPeriodUs);
            CgroupFiles.Write(fs, dir, "cpu.cfs_quota_us", quota);
        }
        if (l.CpuShares is { } shares)
            CgroupFiles.Write(fs, dir, "cpu.shares", shares);
    }
}
