namespace Gocker.Core.Cgroups;

/// <summary>v1 cpuacct controller: cpuacct.usage (nanoseconds) for stats.</summary>
internal static class V1CpuAcct
{
    public const string Name = "cpuacct";

    public static long UsageNs(ICgroupFs fs, string dir) => CgroupFiles.ReadLong(fs, dir, "cpuacct.usage") ?? 0;
}
