namespace Gocker.Core.Volumes;

/// <summary>`-v/--volume` as Docker parses it (docker/cli, then moby's linuxParser.ParseMountRaw):
/// `/host:/ctr[:MODE]` a bind, `NAME:/ctr[:MODE]` a named volume, `/ctr` an anonymous volume. Errors
/// carry moby's text.</summary>
public static class VolumeFlagParser
{
    private static readonly HashSet<string> RwModes = ["rw", "ro", "ro-non-recursive"];
    private static readonly HashSet<string> LabelModes = ["z", "Z"];
    private static readonly HashSet<string> PropagationModes = ["private", "rprivate", "slave", "rslave", "shared", "rshared"];
    private static readonly HashSet<string> ConsistencyModes = ["consistent", "cached", "delegated"];

    /// <param name="cwd">docker/cli makes a source that starts with "." absolute against it.</param>
    public static MountSpec Parse(string raw, string cwd)
    {
        var spec = raw;
        int colon = raw.IndexOf(':');
        if (colon > 0 && raw[0] == '.')
            spec = MountPaths.Clean(Path.Combine(cwd, raw[..colon])) + raw[colon..];

        var arr = spec.Split(':', 4);
        if (arr[0].Length == 0)
            throw InvalidSpec(spec);
        string source = "", target, mode = "";
        switch (arr.Length)
        {
            case 1:
                target = arr[0];
                break;
            case 2:
                if (ValidMode(arr[1]))
                    throw InvalidSpec(spec); // /foo:rw: a destination with a mode, no source
                (source, target) = (arr[0], arr[1]);
                break;
            case 3:
                (source, target, mode) = (arr[0], arr[1], arr[2]);
                break;
            default:
                throw InvalidSpec(spec);
        }
        if (!ValidMode(mode))
            throw new GockerException($"invalid mode: {mode}");
        var options = mode.Length == 0 ? [] : mode.Split(',');
        if (options.Any(o => o is "rro" or "ro-force-recursive"))
            throw new GockerException($"{InvalidSpecText(spec)}: recursive read-only mounts (rro) are not supported by gocker; ro makes the mount itself read-only");
        var type = source.StartsWith('/') ? MountType.Bind : MountType.Volume;
        bool noCopy = options.Contains("nocopy");
        var propagation = options.FirstOrDefault(PropagationModes.Contains);

        string? problem = MountPaths.CheckDestination(target);
        if (problem is null && type == MountType.Bind && noCopy)
            problem = "field VolumeOptions must not be specified";
        if (problem is null && type == MountType.Volume && propagation is not null)
            problem = "field BindOptions must not be specified";
        if (problem is not null)
            throw new GockerException($"{InvalidSpecText(spec)}: invalid mount config for type \"{type}\": {problem}");
        if (propagation is not null and not ("private" or "rprivate"))
            throw new GockerException($"{InvalidSpecText(spec)}: propagation mode {propagation} is not supported by gocker: every mount is rprivate");
        if (type == MountType.Volume && source.Length > 0)
            VolumeNames.Validate(source);

        bool anonymous = source.Length == 0;
        return new MountSpec
        {
            Type = type,
            Source = type == MountType.Bind ? MountPaths.Clean(source) : anonymous ? null : source,
            Destination = MountPaths.Clean(target),
            ReadOnly = options.Any(o => o is "ro" or "ro-non-recursive"),
            Origin = MountOrigin.Volume,
            Mode = mode,
            Spec = anonymous ? null : spec,
            Anonymous = anonymous,
            NoCopy = noCopy,
            CreateSource = true,
        };
    }

    /// <summary>moby's linuxValidMountMode: known words only, at most one of each kind.</summary>
    private static bool ValidMode(string mode)
    {
        if (mode.Length == 0)
            return true;
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        foreach (var o in mode.Split(','))
        {
            if (RwModes.Contains(o) || o is "rro" or "ro-force-recursive") rw++;
            else if (LabelModes.Contains(o)) label++;
            else if (PropagationModes.Contains(o)) propagation++;
            else if (o == "nocopy") copy++;
            else if (ConsistencyModes.Contains(o)) consistency++;
            else return false;
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    private static string InvalidSpecText(string spec) => $"invalid volume specification: '{spec}'";

    private static GockerException InvalidSpec(string spec) => new(InvalidSpecText(spec));
}

/// <summary>Path rules shared by -v, --mount and --tmpfs.</summary>
public static class MountPaths
{
    /// <summary>Go's path.Clean for absolute paths: no ".", "..", doubled or trailing slashes.</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var c in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (c == ".")
                continue;
            if (c == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(c);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>moby's checks of a mount target, in its order; null when it is fine.</summary>
    public static string? CheckDestination(string target)
    {
        if (target.Length == 0)
            return "field Target must not be empty";
        if (target.StartsWith('/') && Clean(target) == "/")
            return "invalid specification: destination can't be '/'";
        if (!target.StartsWith('/'))
            return $"invalid mount path: '{target}' mount path must be absolute";
        return null;
    }
}
