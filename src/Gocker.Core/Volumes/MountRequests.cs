namespace Gocker.Core.Volumes;

/// <summary>Every mount flag of run/create, parsed and checked together before anything is created.</summary>
public static class MountRequests
{
    /// <param name="cwd">For -v and --mount sources that start with ".".</param>
    /// <param name="pathExists">Whether a host path exists (--mount type=bind requires it).</param>
    public static List<MountSpec> Parse(IReadOnlyList<string> volumes, IReadOnlyList<string> mounts,
        IReadOnlyList<string> tmpfs, string cwd, Func<string, bool> pathExists)
    {
        var list = new List<MountSpec>();
        list.AddRange(volumes.Select(v => VolumeFlagParser.Parse(v, cwd)));
        list.AddRange(mounts.Select(m => MountFlagParser.Parse(m, cwd, pathExists)));
        list.AddRange(tmpfs.Select(ParseTmpfs));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in list)
        {
            if (!seen.Add(m.Destination))
                throw new GockerException($"Duplicate mount point: {m.Destination}");
        }
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
