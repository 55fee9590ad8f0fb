using System.Globalization;

namespace Gocker.Core.Cgroups;

/// <summary>Reading and writing control files, with errors that say which file and value.</summary>
internal static class CgroupFiles
{
    public static void Write(ICgroupFs fs, string dir, string file, string value)
    {
        var path = Path.Combine(dir, file);
        try { fs.Write(path, value); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GockerException($"cannot write {value} to {path}: {Reason(e)}", ExitCodes.GockerError, e);
        }
    }

    /// <summary>Each value with its own write(2) (one rule per write), the file opened once.</summary>
    public static void WriteEach(ICgroupFs fs, string dir, string file, IReadOnlyList<string> values)
    {
        var path = Path.Combine(dir, file);
        try { fs.WriteEach(path, values); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GockerException($"cannot write {string.Join(", ", values)} to {path}: {Reason(e)}", ExitCodes.GockerError, e);
        }
    }

    public static void Write(ICgroupFs fs, string dir, string file, long value) =>
        Write(fs, dir, file, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The file's trimmed text, or null when it does not exist or cannot be read.</summary>
    public static string? Read(ICgroupFs fs, string dir, string file)
    {
        var path = Path.Combine(dir, file);
        try { return fs.Exists(path) ? fs.Read(path).Trim() : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>A file holding one number ("max" → null), or null.</summary>
    public static long? ReadLong(ICgroupFs fs, string dir, string file) =>
        Read(fs, dir, file) is { } s && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A value of a "key value" per line file (memory.stat, memory.events, cpu.stat, memory.oom_control).</summary>
    public static long? ReadKey(ICgroupFs fs, string dir, string file, string key)
    {
        if (Read(fs, dir, file) is not { } text) return null;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key &&
                long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                return n;
        }
        return null;
    }

    public static string Reason(Exception e) => e switch
    {
        Interop.SyscallException s => s.Message,
        _ when e.HResult is Interop.Errno.EBUSY => "Device or resource busy",
        _ => Short(e.Message),
    };

    /// <summary>.NET appends " : 'path'" to errno messages; the caller already names the path.</summary>
    private static string Short(string message)
    {
        int i = message.IndexOf(" : '", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }

    /// <summary>Polls <paramref name="done"/> until it holds or the timeout passes (freeze waits).</summary>
    public static bool WaitFor(Func<bool> done, Action retry, TimeSpan timeout, Action<TimeSpan> sleep)
    {
        var step = TimeSpan.FromMilliseconds(1);
        var waited = TimeSpan.Zero;
        while (true)
        {
            if (done()) return true;
            if (waited >= timeout) return false;
            sleep(step);
            waited += step;
            if (step < TimeSpan.FromMilliseconds(50)) step *= 2;
            retry();
        }
    }

    /// <summary>Creates "parent/relative" one level at a time; returns the directories this call created.</summary>
    public static List<string> MakeDirs(ICgroupFs fs, string root, string relative)
    {
        var created = new List<string>();
        var dir = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            dir = Path.Combine(dir, part);
            if (fs.Exists(dir)) continue;
            try { fs.CreateDirectory(dir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GockerException($"cannot create cgroup {dir}: {Reason(e)}", ExitCodes.GockerError, e);
            }
            created.Add(dir);
        }
        return created;
    }

    /// <summary>rmdir of directories, deepest first, ignoring ones already gone; best effort (rollback).</summary>
    public static void RemoveQuietly(ICgroupFs fs, IEnumerable<string> dirs)
    {
        foreach (var d in dirs.OrderByDescending(d => d.Length))
        {
            try { if (fs.Exists(d)) fs.RemoveDirectory(d); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>rmdir of the container's directories; errors name the busy ones.</summary>
    public static void Remove(ICgroupFs fs, IEnumerable<string> dirs)
    {
        var errors = new List<string>();
        foreach (var d in dirs)
        {
            try { if (fs.Exists(d)) fs.RemoveDirectory(d); }
            catch (DirectoryNotFoundException) { }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{d}: {Reason(e)}");
            }
        }
        if (errors.Count > 0)
            throw new GockerException($"cannot remove cgroup {string.Join("; ", errors)}");
    }
}
