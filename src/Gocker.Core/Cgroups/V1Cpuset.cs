namespace Gocker.Core.Cgroups;

/// <summary>v1 cpuset controller. A task can only join a cpuset whose cpuset.cpus and cpuset.mems are set, and a
/// new directory starts with both empty: each level (the shared "gocker" directory too) gets its parent's values
/// unless the limits give them.</summary>
internal static class V1Cpuset
{
    public const string Name = "cpuset";

    public static bool Needed(ResourceLimits l) => l.CpusetCpus is not null || l.CpusetMems is not null;

    /// <summary>Fills empty cpuset.cpus/cpuset.mems from the parent at every level from the hierarchy root down
    /// to <paramref name="dir"/>.</summary>
    public static void Inherit(ICgroupFs fs, string mount, string dir)
    {
        var rel = Path.GetRelativePath(mount, dir);
        var parent = mount;
        foreach (var part in rel.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var child = Path.Combine(parent, part);
            foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
            {
                if (!string.IsNullOrEmpty(CgroupFiles.Read(fs, child, file))) continue;
                var value = CgroupFiles.Read(fs, parent, file);
                if (!string.IsNullOrEmpty(value)) CgroupFiles.Write(fs, child, file, value);
            }
            parent = child;
        }
    }

    public static void Apply(ICgroupFs fs, string dir, ResourceLimits l)
    {
        if (l.CpusetCpus is { } cpus) CgroupFiles.Write(fs, dir, "cpuset.cpus", cpus);
        if (l.CpusetMems is { } mems) CgroupFiles.Write(fs, dir, "cpuset.mems", mems);
    }
}
