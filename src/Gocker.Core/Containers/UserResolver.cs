namespace Gocker.Core.Containers;

public sealed record ExecUser(uint Uid, uint Gid, uint[] Groups, string Home);

/// <summary>Resolves `-u uid[:gid]|name[:group]` against the container's own /etc/passwd and
/// /etc/group (after pivot_root: never the host's), the way runc's user.GetExecUser does.</summary>
public static class UserResolver
{
    private sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home);
    private sealed record GroupEntry(string Name, uint Gid, string[] Members);

    public static ExecUser Resolve(string? spec, string passwdPath, string groupPath)
    {
        var passwd = ReadPasswd(passwdPath);
        var groups = ReadGroups(groupPath);
        spec = string.IsNullOrEmpty(spec) ? "0" : spec;
        string userPart = spec, groupPart = "";
        int colon = spec.IndexOf(':');
        if (colon >= 0) { userPart = spec[..colon]; groupPart = spec[(colon + 1)..]; }
        if (userPart.Length == 0)
            throw new GockerException($"invalid user: {spec}");

        PasswdEntry? entry;
        uint uid;
        if (uint.TryParse(userPart, out uid))
            entry = passwd.FirstOrDefault(p => p.Uid == uid);
        else
        {
            entry = passwd.FirstOrDefault(p => p.Name == userPart)
                ?? throw new GockerException($"unable to find user {userPart}: no matching entries in passwd file");
            uid = entry.Uid;
        }

        uint gid = entry?.Gid ?? 0;
        if (groupPart.Length > 0)
        {
            if (!uint.TryParse(groupPart, out gid))
                gid = groups.FirstOrDefault(g => g.Name == groupPart)?.Gid
                    ?? throw new GockerException($"unable to find group {groupPart}: no matching entries in group file");
        }

        var supplementary = entry is null
            ? Array.Empty<uint>()
            : groups.Where(g => g.Members.Contains(entry.Name)).Select(g => g.Gid).Where(g => g != gid).Distinct().ToArray();
        uint[] all = [gid, .. supplementary];
        return new ExecUser(uid, gid, all, entry?.Home is { Length: > 0 } h ? h : "/");
    }

    private static IEnumerable<string[]> Fields(string path, int min)
    {
        if (!File.Exists(path))
            yield break;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var f = line.Split(':');
            if (f.Length >= min)
                yield return f;
        }
    }

    private static List<PasswdEntry> ReadPasswd(string path) =>
        Fields(path, 7).Where(f => uint.TryParse(f[2], out _) && uint.TryParse(f[3], out _))
            .Select(f => new PasswdEntry(f[0], uint.Parse(f[2]), uint.Parse(f[3]), f[5])).ToList();

    private static List<GroupEntry> ReadGroups(string path) =>
        Fields(path, 4).Where(f => uint.TryParse(f[2], out _))
            .Select(f => new GroupEntry(f[0], uint.Parse(f[2]), f[3].Split(',', StringSplitOptions.RemoveEmptyEntries))).ToList();
}
