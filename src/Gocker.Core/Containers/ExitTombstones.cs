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

    private static string Bucket(DateTime utc) => utc.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static void Write(GockerRoot root, string id, int code)
    {
        var now = DateTime.UtcNow;
        var bucket = $"{Dir(root)}/{Bucket(now)}";
        Directory.CreateDirectory(bucket);
        var tmp = $"{bucket}/.{id}.tmp";
        SmallFile.WriteAllText(tmp, code.ToString(CultureInfo.InvariantCulture));
        File.Move(tmp, $"{bucket}/{id}", overwrite: true);
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
                if (int.TryParse(File.ReadAllText($"{dir}/{id}"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var c))
                    return c;
            }
            catch (IOException) { }
        }
        return null;
    }
}
