namespace Gocker.Core.Volumes;

/// <summary>Every mount flag of run/create, parsed and checked together before anything is created.</summary>
public static class MountRequests
{
    /// <param name="cwd">For -v and --mount sources that start with ".".</param>
    /// <param name="pathExists">Whether a host path exists (--mount type=bind requires it).</param>
    public static List<MountSpec> Parse(IReadOnlyList<string> volumes, IReadOnlyList<string> mounts,
        IReadOnlyList<string> tmpfs, string cwd, Func<string, bool> pathExists)
    {
        // Loops, not LINQ and a HashSet: this runs on every `run`, mostly with nothing to parse, and
        // first-run generic code costs more there than the few comparisons below.
        var list = new List<MountSpec>(volumes.Count + mounts.Count + tmpfs.Count);
        foreach (var v in volumes)
            list.Add(VolumeFlagParser.Parse(v, cwd));
        foreach (var m in mounts)
            list.Add(MountFlagParser.Parse(m, cwd, pathExists));
        foreach (var t in tmpfs)
            list.Add(ParseTmpfs(t));
        for (int i = 1; i < list.Count; i++)
            for (int j = 0; j < i; j++)
                if (string.Equals(list[i].Destination, list[j].Destination, StringComparison.Ordinal))
                    throw new GockerException($"Duplicate mount point: {list[i].Destination}");
        return list;
    }

    /// <summary>`--tmpfs /path[:options]`.</summary>
    public static MountSpec ParseTmpfs(string raw)
    {
        int colon = raw.IndexOf(':');
        var (dest, options) = colon < 0 ? (raw, "") : (raw[..colon], raw[(colon + 1)..]);
        if (MountPaths.CheckDestination(dest) is { } problem)
            throw new GockerException($"--tmpfs {raw}: {problem}");
        var (flags, data) = TmpfsOptions.Parse(options);
        return new MountSpec
        {
            Type = MountType.Tmpfs,
            Destination = MountPaths.Clean(dest),
            ReadOnly = flags.HasFlag(Filesystem.MountFlags.ReadOnly),
            Origin = MountOrigin.Tmpfs,
            Spec = options,
            TmpfsFlags = flags,
            TmpfsData = data,
        };
    }
}
