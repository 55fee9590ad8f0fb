using System.Formats.Tar;
using System.Text;
using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests.Filesystem;

public class OverlayViewTests
{
    private static FakeLayers TwoLayers() => new FakeLayers().Layer("up").Layer("low");

    private static List<string> Paths(OverlayView view) => view.Walk(view.Root).Select(n => n.Rel).ToList();

    [Fact]
    public void TheTopLayerWinsAndDirectoriesMerge()
    {
        var fs = TwoLayers()
            .File("low", "etc/passwd", "old").File("low", "etc/group", "g")
            .File("up", "etc/passwd", "new").File("up", "added");
        var view = new OverlayView(["up", "low"], fs);
        Assert.Equal(["added", "etc", "etc/group", "etc/passwd"], Paths(view));
        var passwd = view.Lookup("etc/passwd")!;
        Assert.Equal("up", passwd.Layer);
        Assert.Equal("new", new StreamReader(view.OpenRead(passwd)).ReadToEnd());
        Assert.Equal(["up", "low"], view.Lookup("etc")!.DirLayers);
    }

    [Fact]
    public void AWhiteoutHidesTheLowerEntry()
    {
        var fs = TwoLayers().File("low", "etc/group").Dir("low", "home/user").Whiteout("up", "etc/group").Whiteout("up", "home");
        var view = new OverlayView(["up", "low"], fs);
        Assert.Equal(["etc"], Paths(view));
        Assert.Null(view.Lookup("home/user"));
    }

    [Fact]
    public void ACharacterDeviceThatIsNotZeroZeroIsAFile()
    {
        var fs = TwoLayers().Device("up", "dev/null", 1, 3);
        var node = new OverlayView(["up", "low"], fs).Lookup("dev/null")!;
        Assert.Equal((EntryType.CharDevice, 1u, 3u), (node.Entry.Type, node.Entry.DevMajor, node.Entry.DevMinor));
    }

    [Fact]
    public void AnOpaqueDirectoryHidesTheLowerContents()
    {
        var fs = TwoLayers().File("low", "data/old").Dir("up", "data", opaque: true).File("up", "data/new");
        Assert.Equal(["data", "data/new"], Paths(new OverlayView(["up", "low"], fs)));
    }

    [Fact]
    public void AFileReplacingADirectoryHidesItsContents()
    {
        var fs = TwoLayers().File("low", "x/inner").File("up", "x");
        var view = new OverlayView(["up", "low"], fs);
        Assert.Equal(["x"], Paths(view));
        Assert.Equal(EntryType.Regular, view.Lookup("x")!.Entry.Type);
    }

    [Fact]
    public void ADirectoryReplacingAFileStartsEmpty()
    {
        var fs = TwoLayers().File("low", "x").File("up", "x/inner");
        Assert.Equal(["x", "x/inner"], Paths(new OverlayView(["up", "low"], fs)));
    }

    [Fact]
    public void AWhiteoutInAMiddleLayerHidesOnlyWhatIsBelowIt()
    {
        var fs = new FakeLayers().Layer("top").Layer("mid").Layer("base")
            .File("base", "a/f1").Whiteout("mid", "a").File("top", "a/f2");
        var view = new OverlayView(["top", "mid", "base"], fs);
        Assert.Equal(["a", "a/f2"], Paths(view));
        Assert.Equal(["top"], view.Lookup("a")!.DirLayers);
    }

    [Fact]
    public void AnOpaqueMiddleLayerStopsTheMerge()
    {
        var fs = new FakeLayers().Layer("top").Layer("mid").Layer("base")
            .File("base", "d/old").Dir("mid", "d", opaque: true).File("mid", "d/mid").File("top", "d/top");
        Assert.Equal(["d", "d/mid", "d/top"], Paths(new OverlayView(["top", "mid", "base"], fs)));
    }

    [Fact]
    public void HiddenTopPathsShowTheLowerLayer()
    {
        var fs = TwoLayers().File("up", "etc/hostname").File("up", "etc/hosts").File("low", "etc/hosts", "image");
        var view = new OverlayView(["up", "low"], fs, new HashSet<string> { "etc/hostname", "etc/hosts" });
        Assert.Equal(["etc", "etc/hosts"], Paths(view));
        Assert.Equal("low", view.Lookup("etc/hosts")!.Layer);
    }

    [Fact]
    public void TarHasExactlyTheMergedEntries()
    {
        var fs = TwoLayers()
            .File("low", "etc/passwd", "old").File("low", "etc/group", "g").File("low", "bin/sh", "elf")
            .File("up", "etc/passwd", "old+mod").Whiteout("up", "etc/group").File("up", "added", "new", uid: 1000)
            .Link("up", "bin/link", "/bin/sh").Device("low", "dev/null", 1, 3)
            .File("up", "h1", "same", inode: 7, links: 2).File("up", "h2", "same", inode: 7, links: 2);
        var tar = new MemoryStream();
        OverlayTar.Write(new OverlayView(["up", "low"], fs), tar);
        tar.Position = 0;
        var entries = new Dictionary<string, TarEntry>();
        using (var reader = new TarReader(tar))
            while (reader.GetNextEntry(copyData: true) is { } e)
                entries[e.Name] = e;
        Assert.Equal(["added", "bin/", "bin/link", "bin/sh", "dev/", "dev/null", "etc/", "etc/passwd", "h1", "h2"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("old+mod", Read(entries["etc/passwd"]));
        Assert.Equal(1000, entries["added"].Uid);
        Assert.Equal((TarEntryType.SymbolicLink, "/bin/sh"), (entries["bin/link"].EntryType, entries["bin/link"].LinkName));
        Assert.Equal(TarEntryType.CharacterDevice, entries["dev/null"].EntryType);
        Assert.Equal((1, 3), (((PosixTarEntry)entries["dev/null"]).DeviceMajor, ((PosixTarEntry)entries["dev/null"]).DeviceMinor));
        Assert.Equal((TarEntryType.HardLink, "h1"), (entries["h2"].EntryType, entries["h2"].LinkName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, entries["added"].Mode);
    }

    private static string Read(TarEntry e) => new StreamReader(e.DataStream!, Encoding.UTF8).ReadToEnd();
}
