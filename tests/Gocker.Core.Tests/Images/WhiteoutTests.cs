using System.Formats.Tar;
using Gocker.Core.Images;

namespace Gocker.Core.Tests.Images;

/// <summary>Whiteouts both ways: layer tar → overlay (recorded, as mknod and trusted.* need root)
/// and upper dir → layer tar (the parts that need no device node).</summary>
public sealed class WhiteoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-wh-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private sealed class RecordingWhiteouts : IWhiteoutWriter
    {
        public List<string> Calls { get; } = [];
        public void Whiteout(string path) => Calls.Add($"whiteout {path}");
        public void MarkOpaque(string directory) => Calls.Add($"opaque {directory}");
    }

    private static MemoryStream Tar(params (TarEntryType Type, string Name)[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (type, name) in entries)
            {
                var e = new PaxTarEntry(type, name) { Mode = (UnixFileMode)0b111_101_101 };
                e.Uid = SelfIds.Uid;
                e.Gid = SelfIds.Gid;
                w.WriteEntry(e);
            }
        }
        ms.Position = 0;
        return ms;
    }

    [Fact]
    public void Whiteout_entries_become_overlay_whiteouts_and_opaque_directories()
    {
        var rec = new RecordingWhiteouts();
        LayerUnpacker.Unpack(Tar(
            (TarEntryType.Directory, "etc/"),
            (TarEntryType.RegularFile, "etc/.wh.passwd"),
            (TarEntryType.Directory, "var/cache/"),
            (TarEntryType.RegularFile, "var/cache/.wh..wh..opq"),
            (TarEntryType.RegularFile, "var/cache/kept"),
            (TarEntryType.RegularFile, ".wh.top"),
            (TarEntryType.RegularFile, ".wh..wh.plnk"),
            (TarEntryType.RegularFile, "here"),
            (TarEntryType.RegularFile, ".wh.here")), _dir, rec);
        Assert.Equal([$"whiteout {_dir}/etc/passwd", $"opaque {_dir}/var/cache", $"whiteout {_dir}/top"], rec.Calls);
        Assert.True(File.Exists($"{_dir}/var/cache/kept"));
        Assert.False(File.Exists($"{_dir}/etc/.wh.passwd"));
        Assert.False(File.Exists($"{_dir}/.wh..wh.plnk"));
    }

    [Fact]
    public void Upper_dir_becomes_a_sorted_layer_tar_with_hard_links_once()
    {
        var upper = Directory.CreateDirectory($"{_dir}/upper").FullName;
        Directory.CreateDirectory($"{upper}/b/c");
        File.WriteAllText($"{upper}/b/c/f", "data");
        File.WriteAllText($"{upper}/a", "a");
        File.CreateSymbolicLink($"{upper}/link", "/b/c/f");
        Gocker.Core.Interop.Libc.Check(LinkInterop($"{upper}/a", $"{upper}/z-hard"), "link");
        File.WriteAllText($"{upper}/skip", "");
        var ms = new MemoryStream();
        UpperDirTar.Write(upper, ms, new HashSet<string> { "skip" });
        ms.Position = 0;
        var entries = new List<string>();
        using var r = new TarReader(ms);
        TarEntry? e;
        while ((e = r.GetNextEntry()) is not null)
            entries.Add($"{e.EntryType} {e.Name}{(e.LinkName.Length > 0 ? " " + e.LinkName : "")}");
        Assert.Equal(["RegularFile a", "Directory b/", "Directory b/c/", "RegularFile b/c/f", "SymbolicLink link /b/c/f", "HardLink z-hard a"], entries);
    }

    private static int LinkInterop(string target, string path) => Gocker.Core.Interop.Libc.Link(target, path);
}

internal static class SelfIds
{
    public static readonly int Uid = int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t')[1]);
    public static readonly int Gid = int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Gid:")).Split('\t')[1]);
}
