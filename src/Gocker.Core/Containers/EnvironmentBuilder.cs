namespace Gocker.Core.Containers;

/// <summary>The container's environment: gocker's defaults, then the image's, then --env-file and
/// -e in order (later wins), as Docker builds it. The host's environment is never inherited, except
/// a bare `-e KEY` that asks for the host's value by name.</summary>
public static class EnvironmentBuilder
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Parses one -e value or env-file line. Returns null for a bare KEY the host does not set.</summary>
    public static KeyValuePair<string, string>? ParseAssignment(string item, Func<string, string?> hostLookup)
    {
        int eq = item.IndexOf('=');
        string key = eq < 0 ? item : item[..eq];
        if (key.Length == 0)
            throw new GockerException($"invalid environment variable: {item}");
        if (key.Any(char.IsWhiteSpace))
            throw new GockerException($"variable '{key}' contains whitespaces");
        if (eq >= 0)
            return new(key, item[(eq + 1)..]);
        string? host = hostLookup(key);
        return host is null ? null : new(key, host);
    }

    /// <summary>Docker's env-file format: KEY=VALUE per line, no quoting, # comments, blank lines skipped.</summary>
    public static IEnumerable<string> ReadEnvFile(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GockerException($"open {path}: {e.Message}");
        }
        foreach (var raw in lines)
        {
            var line = raw.TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            yield return line;
        }
    }

    public static List<string> Build(string hostname, bool tty, IEnumerable<string> imageEnv,
        IEnumerable<string> userAssignments, Func<string, string?> hostLookup)
    {
        var env = new List<KeyValuePair<string, string>>
        {
            new("PATH", DefaultPath),
            new("HOSTNAME", hostname),
        };
        if (tty)
            env.Add(new("TERM", "xterm"));
        foreach (var item in imageEnv.Concat(userAssignments))
        {
            if (ParseAssignment(item, hostLookup) is { } kv)
                Set(env, kv);
        }
        return env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    /// <summary>An existing environment (the container's) with assignments applied on top (exec -e).</summary>
    public static List<string> Merge(IEnumerable<string> baseEnv, IEnumerable<string> assignments, Func<string, string?> hostLookup)
    {
        var env = new List<KeyValuePair<string, string>>();
        foreach (var item in baseEnv)
        {
            int eq = item.IndexOf('=');
            if (eq > 0)
                Set(env, new(item[..eq], item[(eq + 1)..]));
        }
        foreach (var item in assignments)
        {
            if (ParseAssignment(item, hostLookup) is { } kv)
                Set(env, kv);
        }
        return env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    private static void Set(List<KeyValuePair<string, string>> env, KeyValuePair<string, string> kv)
    {
        int i = env.FindIndex(e => e.Key == kv.Key);
        if (i >= 0) env[i] = kv; else env.Add(kv);
    }

    public static string? Get(IEnumerable<string> env, string key) =>
        env.Where(e => e.StartsWith(key + "=", StringComparison.Ordinal)).Select(e => e[(key.Length + 1)..]).LastOrDefault();
}
