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
        string[] files = ["cpuset.cpus", "cpuset.mems"];
        // A level's value, once filled, is the next level's parent value: read once, not twice.
        var parentValues = files.Select(f => CgroupFiles.Read(fs, mount, f)).ToArray();
        var parent = mount;
        foreach (var part in Path.GetRelativePath(mount, dir).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var child = Path.Combine(parent, part);
            for (int i = 0; i < files.Length; i++)
            {
                var value = CgroupFiles.Read(fs, child, files[i]);
                if (string.IsNullOrEmpty(value) && !string.IsNullOrEmpty(parentValues[i]))
                {
                    CgroupFiles.Write(fs, child, files[i], parentValues[i]!);
                    value = parentValues[i];
                }
                parentValues[i] = value;
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
