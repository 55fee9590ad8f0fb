using Gocker.Core.Interop;

namespace Gocker.Core.Cgroups;

public enum CgroupVersion { None, V1, V2 }

/// <summary>Where the cgroups are: v2 (unified) with its root, or v1 (legacy or hybrid) with the mount point of
/// each controller's hierarchy (co-mounted controllers, e.g. "cpu,cpuacct", share a mount point).</summary>
public sealed record CgroupLayout(CgroupVersion Version, string Root, IReadOnlyDictionary<string, string> V1Mounts)
{
    public override string ToString() => Version switch
    {
        CgroupVersion.V2 => $"cgroup v2 at {Root}",
        CgroupVersion.V1 => $"cgroup v1 at {Root} ({string.Join(", ", V1Mounts.Select(kv => kv.Key + "=" + kv.Value))})",
        _ => $"no cgroup filesystem at {Root}",
    };
}

public static class CgroupDetector
{
    public const long Cgroup2Magic = 0x63677270;
    public const long TmpfsMagic = 0x01021994;
    public const long Cgroup1Magic = 0x27e0eb;

    /// <summary>The parent directory of every container's cgroup, relative to the hierarchy root.</summary>
    public const string Parent = "gocker";

    /// <summary>The v1 controllers gocker uses.</summary>
    public static readonly string[] V1Controllers = ["memory", "cpu", "cpuacct", "cpuset", "pids", "freezer", "devices"];

    /// <summary>cgroup2 on the root: v2. tmpfs on the root: v1 hierarchies mounted under it (legacy, or hybrid
    /// with a cgroup2 "unified" beside them: Docker uses v1 then too), found in mountinfo.</summary>
    public static CgroupLayout Detect(string root = "/sys/fs/cgroup", Func<string, long>? statfsType = null,
        string mountinfo = "/proc/self/mountinfo")
    {
        statfsType ??= Libc.FilesystemType;
        long type;
        try { type = statfsType(root); }
        catch (IOException) { return new CgroupLayout(CgroupVersion.None, root, new Dictionary<string, string>()); }
        if (type == Cgroup2Magic)
            return new CgroupLayout(CgroupVersion.V2, root, new Dictionary<string, string>());
        if (type != TmpfsMagic && type != Cgroup1Magic)
            return new CgroupLayout(CgroupVersion.None, root, new Dictionary<string, string>());
        string text;
        try { text = SmallFile.ReadAllText(mountinfo); }
        catch (IOException) { text = ""; }
        var mounts = ParseV1Mounts(text, root);
        return new CgroupLayout(mounts.Count > 0 ? CgroupVersion.V1 : CgroupVersion.None, root, mounts);
    }

    /// <summary>Controller name → mount point of its v1 hierarchy, from /proc/self/mountinfo text. Mounts
    /// under <paramref name="root"/> win over others of the same controller.</summary>
    public static Dictionary<string, string> ParseV1Mounts(string mountinfo, string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefix = root.TrimEnd('/') + "/";
        foreach (var line in mountinfo.Split('\n'))
        {
            // id parent major:minor root mountpoint options [optional fields] - fstype source superoptions
            int sep = line.IndexOf(" - ", StringComparison.Ordinal);
            if (sep < 0) continue;
            var left = line[..sep].Split(' ');
            var right = line[(sep + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3 || right[0] != "cgroup") continue;
            var mountPoint = Unescape(left[4]);
            bool preferred = mountPoint.StartsWith(prefix, StringComparison.Ordinal);
            foreach (var opt in right[2].Split(','))
            {
                if (Array.IndexOf(V1Controllers, opt) < 0) continue;
                if (!result.TryGetValue(opt, out var existing) || (preferred && !existing.StartsWith(prefix, StringComparison.Ordinal)))
                    result[opt] = mountPoint;
            }
        }
        return result;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length &&
                s[i + 1] is >= '0' and <= '7' && s[i + 2] is >= '0' and <= '7' && s[i + 3] is >= '0' and <= '7')
            {
                sb.Append((char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    /// <summary>The manager of container <paramref name="id"/>'s cgroup, "gocker/ID" under each hierarchy root.</summary>
    public static ICgroupManager ForContainer(string id, CgroupLayout? layout = null, ICgroupFs? fs = null)
    {
        if (string.IsNullOrEmpty(id) || id.Contains('/') || id is "." or "..")
            throw new ArgumentException($"invalid container id for a cgroup: '{id}'", nameof(id));
        layout ??= Detect();
        var relative = Parent + "/" + id;
        return layout.Version switch
        {
            CgroupVersion.V2 => new V2CgroupManager(layout.Root, relative, fs),
            CgroupVersion.V1 => new V1CgroupManager(layout.V1Mounts, relative, fs),
            _ => throw new GockerException($"cgroups are not available: {layout}"),
        };
    }
}
