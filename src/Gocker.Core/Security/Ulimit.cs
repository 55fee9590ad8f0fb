using System.Globalization;

namespace Gocker.Core.Security;

/// <summary>One --ulimit NAME=SOFT[:HARD] (Docker's names; -1 is unlimited). Applied with setrlimit right
/// before the command's execve (native/exec.c), so the limit binds the command and what it starts.</summary>
public sealed record Ulimit(string Name, long Soft, long Hard)
{
    /// <summary>Docker's names → RLIMIT_* numbers (asm-generic/resource.h).</summary>
    private static readonly Dictionary<string, int> Resources = new(StringComparer.Ordinal)
    {
        ["cpu"] = 0, ["fsize"] = 1, ["data"] = 2, ["stack"] = 3, ["core"] = 4, ["rss"] = 5, ["nproc"] = 6,
        ["nofile"] = 7, ["memlock"] = 8, ["locks"] = 10, ["sigpending"] = 11, ["msgqueue"] = 12, ["nice"] = 13,
        ["rtprio"] = 14, ["rttime"] = 15,
    };

    /// <summary>RLIM_INFINITY.</summary>
    public const ulong Infinity = ulong.MaxValue;

    public int Resource => Resources[Name];

    public static Ulimit Parse(string value)
    {
        string Bad(string why) => $"invalid argument \"{value}\" for \"--ulimit\" flag: {why}";
        int eq = value.IndexOf('=');
        if (eq <= 0)
            throw new GockerException(Bad($"invalid ulimit argument: {value}"));
        var name = value[..eq];
        if (!Resources.ContainsKey(name))
            throw new GockerException(Bad($"invalid ulimit type: {name} (known: {string.Join(", ", Resources.Keys.Order())})"));
        var limits = value[(eq + 1)..].Split(':');
        if (limits.Length > 2)
            throw new GockerException(Bad($"too many limit value arguments - {value[(eq + 1)..]}, can only have up to two, `soft[:hard]`"));
        long soft = Number(limits[0], "soft");
        long hard = limits.Length == 2 ? Number(limits[1], "hard") : soft;
        // -1 (unlimited) is above every number.
        if (hard != -1 && (soft == -1 || soft > hard))
            throw new GockerException(Bad($"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}"));
        return new Ulimit(name, soft, hard);

        long Number(string s, string which)
        {
            if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < -1)
                throw new GockerException(Bad($"invalid ulimit {which} value: \"{s}\""));
            return n;
        }
    }

    /// <summary>Every --ulimit; a name given twice keeps the last value, as in Docker.</summary>
    public static List<Ulimit> ParseAll(IEnumerable<string> values)
    {
        // A loop, not GroupBy/Select: see UserMounts.Ordered (generic virtual calls at start).
        var all = new List<Ulimit>();
        foreach (var value in values)
        {
            var u = Parse(value);
            int at = all.FindIndex(x => x.Name == u.Name);
            if (at >= 0)
                all[at] = u;
            else
                all.Add(u);
        }
        return all;
    }

    public static ulong Raw(long v) => v < 0 ? Infinity : (ulong)v;

    public override string ToString() =>
        $"{Name}={(Soft < 0 ? "-1" : Soft.ToString(CultureInfo.InvariantCulture))}:{(Hard < 0 ? "-1" : Hard.ToString(CultureInfo.InvariantCulture))}";
}
