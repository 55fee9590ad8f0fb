using System.Globalization;

namespace Gocker.Core.Containers;

/// <summary>The exit code of an --rm container, kept briefly after its record is removed, for the
/// `wait` that was blocked on it (Docker's `wait` on an auto-removed container still reports the
/// code). Old ones are swept whenever a new one is written.</summary>
public static class ExitTombstones
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    private static string Dir(GockerRoot root) => $"{root.Path}/exits";

    public static void Write(GockerRoot root, string id, int code)
    {
        var dir = Dir(root);
        Directory.CreateDirectory(dir);
        var tmp = $"{dir}/.{id}.tmp";
        File.WriteAllText(tmp, code.ToString(CultureInfo.InvariantCulture));
        File.Move(tmp, $"{dir}/{id}", overwrite: true);
        var cutoff = DateTime.UtcNow - KeepFor;
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles())
        {
            if (f.LastWriteTimeUtc < cutoff)
            {
                try { f.Delete(); } catch (IOException) { }
            }
        }
    }

    public static int? Read(GockerRoot root, string id)
    {
        try
        {
            return int.TryParse(File.ReadAllText($"{Dir(root)}/{id}"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var c) ? c : null;
        }
        catch (IOException) { return null; }
    }
}
