namespace Gocker.Core.Cgroups;

/// <summary>v2 cpu controller: cpu.max "QUOTA PERIOD" (--cpus), cpu.weight from -c shares as runc converts
/// them, cpu.stat usage_usec.</summary>
internal static class V2Cpu
{
    public const string Name = "cpu";

    public static bool Needed(ResourceLimits l) => l.Cpus is not null || l.CpuShares is not null;

    /// <summary>runc's conversion: [2, 262144] → [1, 10000].</summary>
    public static long SharesToWeight(long shares) => shares == 0 ? 0 : 1 + (shares - 2) * 9999 / 262142;

    public static void Apply(ICgroupFs fs, string dir, ResourceLimits l)
    {
        if (l.CpuQuotaUs is { } quota)
            CgroupFiles.Write(fs, dir, "cpu.max", $"{quota} {ResourceLimits.CfsPeriodUs}");
        if (l.CpuShares is { } shares)
            CgroupFiles.Write(fs, dir, "cpu.weight", SharesToWeight(shares));
    }

    public static long UsageNs(ICgroupFs fs, string dir) =>
        (CgroupFiles.ReadKey(fs, dir, "cpu.stat", "usage_usec") ?? 0) * 1000;
}
