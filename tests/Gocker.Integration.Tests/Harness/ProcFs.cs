namespace Gocker.Integration.Tests.Harness;

/// <summary>What the host's /proc says about a process: argv, state, parent, children.</summary>
public static class ProcFs
{
    /// <summary>argv, or null if the process is gone (a zombie's is empty).</summary>
    public static string[]? Argv(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/cmdline");
            return text.Length == 0 ? [] : text.TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>/proc/PID/stat fields from field 3 (state) on; the command name may hold spaces and ')'.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public static bool IsZombie(int pid) => StatFields(pid) is { } f && f[0] is "Z" or "X";

    /// <summary>Exists and is not a zombie: it can still run code.</summary>
    public static bool IsLive(int pid) => StatFields(pid) is { } f && f[0] is not ("Z" or "X");

    /// <summary>Field 4 of /proc/PID/stat; 0 if the process is gone.</summary>
    public static int ParentPid(int pid) => StatFields(pid) is { } f ? int.Parse(f[1]) : 0;

    /// <summary>The direct children of a process (those of all its threads).</summary>
    public static List<int> Children(int pid)
    {
        var pids = new List<int>();
        try
        {
            foreach (var task in System.IO.Directory.GetDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    pids.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                        .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                }
                catch (IOException) { }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return pids.Distinct().ToList();
    }

    /// <summary>Live (not zombie) processes that have <paramref name="arg"/> as one of their arguments.</summary>
    public static List<int> LiveProcessesWithArg(string arg)
    {
        var pids = new List<int>();
        foreach (var dir in System.IO.Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Argv(pid) is { } argv && argv.Contains(arg) && IsLive(pid))
                pids.Add(pid);
        }
        return pids;
    }
}
