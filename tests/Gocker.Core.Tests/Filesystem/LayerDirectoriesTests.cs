using System.Formats.Tar;
using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests.Filesystem;

/// <summary>The real layer reader, copy and tar on temporary directories (no whiteouts: creating a
/// character device 0/0 takes root; the integration tests cover those).</summary>
public sealed class LayerDirectoriesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-layers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Layer(string name)
    {
        var path = $"{_dir}/{name}";
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void ReadsEntriesWithoutFollowingSymlinks()
    {
        var low = Layer("low");
        Directory.CreateDirectory($"{low}/etc");
        File.WriteAllText($"{low}/etc/passwd", "root");
        File.CreateSymbolicLink($"{low}/escape", "/etc");
        using var fs = new LayerDirectories();
        Assert.Equal(EntryType.Symlink, fs.Lstat(low, "escape")!.Type);
        Assert.Equal("/etc", fs.ReadLink(low, "escape"));
        Assert.Null(fs.Lstat(low, "escape/passwd"));
        Assert.Null(fs.Lstat(low, "nope"));
        Assert.Equal(["passwd"], fs.List(low, "etc"));
        Assert.Equal("root", new StreamReader(fs.OpenRead(low, "etc/passwd")).ReadToEnd());
        Assert.False(fs.IsOpaque(low, "etc"));
    }

    [Fact]
    public void OpeningThroughASymlinkedDirectoryFails()
    {
        var low = Layer("low");
        File.CreateSymbolicLink($"{low}/etc", "/etc");
        using var fs = new LayerDirectories();
        Assert.ThrowsAny<Exception>(() => fs.OpenRead(low, "etc/passwd"));
    }

    [Fact]
    public void CopiesTheMergedTreeWithModesLinksAndHardLinks()
    {
        var up = Layer("up");
        var low = Layer("low");
        Directory.CreateDirectory($"{low}/data/sub");
        File.WriteAllText($"{low}/data/a", "lower a");
        File.WriteAllText($"{low}/data/sub/b", "lower b");
        File.SetUnixFileMode($"{low}/data/sub/b", UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink($"{low}/data/link", "/etc/passwd");
        Directory.CreateDirectory($"{up}/data");
        File.WriteAllText($"{up}/data/a", "upper a");
        Assert.Equal(0, Gocker.Core.Interop.Libc.Link($"{up}/data/a", $"{up}/data/a2"));
        File.SetLastWriteTimeUtc($"{low}/data/sub/b", new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        using var fs = new LayerDirectories();
        var view = new OverlayView([up, low], fs);
        var dest = $"{_dir}/dest";
        Directory.CreateDirectory(dest);
        TreeCopy.CopyInto(view, view.Lookup("data")!, dest);

        Assert.Equal("upper a", File.ReadAllText($"{dest}/a"));
        Assert.Equal("lower b", File.ReadAllText($"{dest}/sub/b"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, File.GetUnixFileMode($"{dest}/sub/b"));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc($"{dest}/sub/b"));
        Assert.Equal("/etc/passwd", new FileInfo($"{dest}/link").LinkTarget);
        Assert.Equal(Inode($"{dest}/a"), Inode($"{dest}/a2"));
    }

    [Fact]
    public void TarsARealTree()
    {
        var up = Layer("up");
        Directory.CreateDirectory($"{up}/d");
        File.WriteAllText($"{up}/d/f", "content");
        using var fs = new LayerDirectories();
        var tar = new MemoryStream();
        OverlayTar.Write(new OverlayView([up], fs), tar);
        tar.Position = 0;
        using var reader = new TarReader(tar);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } e)
            names.Add(e.Name);
        Assert.Equal(["d/", "d/f"], names);
    }

    private static long Inode(string path) => Gocker.Core.Interop.Libc.Inode(path);
}
