namespace Gocker.Core.Cgroups;

/// <summary>v2 pids controller: pids.max ("max" when unlimited), pids.current.</summary>
internal static class V2Pids
{
    public const string Name = "pids";

    public static bool Needed(ResourceLimits l) => l.PidsLimit is not null;

    public static void Apply(ICgroupFs fs, string dir, ResourceLimits l)
    {
        if (l.PidsLimit is { } p)
            CgroupFiles.Write(fs, dir, "pids.max", p < 0 ? "max" : p.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static (long Current, long? Limit) Stats(ICgroupFs fs, string dir) =>
        (CgroupFiles.ReadLong(fs, dir, "pids.current") ?? 0, CgroupFiles.ReadLong(fs, dir, "pids.max"));
}
