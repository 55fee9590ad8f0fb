using System.Globalization;

namespace Gocker.Core.Process;

/// <summary>A pid alone is no identity (pids are reused); pid plus the start time from
/// /proc/PID/stat (field 22, clock ticks since boot) is.</summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    public static ProcessIdentity? Of(int pid, string procRoot = "/proc")
    {
        string stat;
        try { stat = File.ReadAllText($"{procRoot}/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return ParseStat(pid, stat);
    }

    /// <summary>Fields after the command name, which may itself hold spaces and ')'. Null for a
    /// process that has ended but is not reaped yet.</summary>
    public static ProcessIdentity? ParseStat(int pid, string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0)
            return null;
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); start time is field 22.
        if (fields.Length < 20 || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return null;
        // A zombie (Z) or dying (X) process has ended: only its parent has not reaped it yet.
        if (fields[0] is "Z" or "X")
            return null;
        return new ProcessIdentity(pid, start);
    }

    public bool IsAlive(string procRoot = "/proc") => Of(Pid, procRoot) is { } now && now.StartTime == StartTime;

    public override string ToString() => $"{Pid} {StartTime}";

    public static ProcessIdentity? Parse(string text)
    {
        var p = text.Trim().Split(' ');
        return p.Length == 2 && int.TryParse(p[0], out var pid) && ulong.TryParse(p[1], out var st)
            ? new ProcessIdentity(pid, st) : null;
    }
}
