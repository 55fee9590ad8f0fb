using System.Formats.Tar;
using Gocker.Core.Images;

namespace Gocker.Core.Tests.Images;

/// <summary>Entries carry this process's own uid and gid, so lchown works without root.</summary>
public sealed class LayerUnpackerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-layer-").FullName;
    private static readonly int Uid = int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t')[1]);
    private static readonly int Gid = int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Gid:")).Split('\t')[1]);

    public void Dispose() => Directory.Delete(_dir, true);

    private static MemoryStream Tar(params PaxTarEntry[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var e in entries)
            {
                e.Uid = Uid;
                e.Gid = Gid;
                w.WriteEntry(e);
            }
        ms.Position = 0;
        return ms;
    }

    private static PaxTarEntry File_(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var e = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = mode };
        return e;
    }

    [Fact]
    public void UnpacksFilesDirectoriesLinksModesAndTimes()
    {
        var dir = new PaxTarEntry(TarEntryType.Directory, "./bin/") { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1000) };
        var exe = File_("bin/tool", "#!/bin/sh\n", (UnixFileMode)0b111_101_101);
        var link = new PaxTarEntry(TarEntryType.SymbolicLink, "bin/alias") { LinkName = "/bin/tool" };
        var hard = new PaxTarEntry(TarEntryType.HardLink, "bin/hard") { LinkName = "./bin/tool" };
        LayerUnpacker.Unpack(Tar(dir, exe, link, hard), _dir);

        Assert.Equal("#!/bin/sh\n", File.ReadAllText($"{_dir}/bin/tool"));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode($"{_dir}/bin/tool"));
        Assert.Equal("/bin/tool", new FileInfo($"{_dir}/bin/alias").LinkTarget);
        Assert.Equal("#!/bin/sh\n", File.ReadAllText($"{_dir}/bin/hard"));
        Assert.Equal(1000, new DateTimeOffset(Directory.GetLastWriteTimeUtc($"{_dir}/bin")).ToUnixTimeSeconds());
    }

    [Fact]
    public void RefusesDotDot()
    {
        Assert.Throws<GockerException>(() => LayerUnpacker.Unpack(Tar(File_("../escape", "x")), _dir));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_dir)!, "escape")));
    }

    [Fact]
    public void RefusesToWriteThroughASymlinkFromAnEarlierEntry()
    {
        var outside = Directory.CreateTempSubdirectory("gocker-outside-").FullName;
        try
        {
            var link = new PaxTarEntry(TarEntryType.SymbolicLink, "evil") { LinkName = outside };
            Assert.Throws<GockerException>(() => LayerUnpacker.Unpack(Tar(link, File_("evil/planted", "x")), _dir));
            Assert.False(File.Exists($"{outside}/planted"));
        }
        finally { Directory.Delete(outside, true); }
    }

    [Fact]
    public void AFileReplacesAnEarlierSymlinkInsteadOfWritingThroughIt()
    {
        var outside = Path.Combine(Directory.CreateTempSubdirectory("gocker-outside-").FullName, "target");
        File.WriteAllText(outside, "original");
        try
        {
            var link = new PaxTarEntry(TarEntryType.SymbolicLink, "f") { LinkName = outside };
            LayerUnpacker.Unpack(Tar(link, File_("f", "new")), _dir);
            Assert.Equal("original", File.ReadAllText(outside));
            Assert.Equal("new", File.ReadAllText($"{_dir}/f"));
        }
        finally { Directory.Delete(Path.GetDirectoryName(outside)!, true); }
    }

    [Theory]
    [InlineData("./a/b/", "a/b")]
    [InlineData("/a//b", "a/b")]
    [InlineData("./", null)]
    public void NormalizesNames(string name, string? expected) => Assert.Equal(expected, LayerUnpacker.Normalize(name));
}
