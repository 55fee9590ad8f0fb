using System.Globalization;

namespace Gocker.Core.Containers;

/// <summary>The exit code of an --rm container, kept briefly after its record is removed, for the
/// `wait` that was blocked on it (Docker's `wait` on an auto-removed container still reports the
/// code). Kept in one directory per minute, so that sweeping old ones lists a handful of directories,
/// never every tombstone: it runs on the short path of every `run --rm`.</summary>
public static class ExitTombstones
{
    private const int KeepMinutes = 10;

    private static string Dir(GockerRoot root) => $"{root.Path}/exits";

    /// <summary>yyyyMMddHHmm, written by hand: the first custom DateTime format in a process costs
    /// more than the whole tombstone.</summary>
    private static string Bucket(DateTime utc)
    {
        Span<char> s = stackalloc char[12];
        Digits(s[..4], utc.Year);
        Digits(s[4..6], utc.Month);
        Digits(s[6..8], utc.Day);
        Digits(s[8..10], utc.Hour);
        Digits(s[10..12], utc.Minute);
        return new string(s);
    }

    private static void Digits(Span<char> into, int value)
    {
        for (int i = into.Length - 1; i >= 0; i--, value /= 10)
            into[i] = (char)('0' + value % 10);
    }

    /// <summary>On the short path of every attached `run --rm`: a symlink whose target is the code (one
    /// syscall, and whole or absent: a `wait` never reads half of it), and the sweep of old minutes only
    /// when this write opens a new one.</summary>
    public static void Write(GockerRoot root, string id, int code)
    {
        var now = DateTime.UtcNow;
        var bucket = $"{Dir(root)}/{Bucket(now)}";
        bool newBucket = !Directory.Exists(bucket);
        if (newBucket)
            Directory.CreateDirectory(bucket);
        var path = $"{bucket}/{id}";
        var target = code.ToString(CultureInfo.InvariantCulture);
        try
        {
            File.CreateSymbolicLink(path, target);
        }
        catch (IOException) when (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            // Recorded twice (the client and `container-exited` both saw the exit): the later one wins.
            File.Delete(path);
            File.CreateSymbolicLink(path, target);
        }
        if (!newBucket)
            return;
        var oldest = Bucket(now.AddMinutes(-KeepMinutes));
        foreach (var dir in Directory.EnumerateDirectories(Dir(root)))
        {
            if (string.CompareOrdinal(Path.GetFileName(dir), oldest) < 0)
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
        }
    }

    public static int? Read(GockerRoot root, string id)
    {
        if (!Directory.Exists(Dir(root)))
            return null;
        foreach (var dir in Directory.EnumerateDirectories(Dir(root)).OrderDescending())
        {
            try
            {
                // A symlink to the code; a file holding it from before (both last 10 minutes).
                var path = $"{dir}/{id}";
                var text = new FileInfo(path).LinkTarget ?? (File.Exists(path) ? File.ReadAllText(path) : null);
                if (text is not null && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var c))
                    return c;
            }
            catch (IOException) { }
        }
        return null;
    }
}
