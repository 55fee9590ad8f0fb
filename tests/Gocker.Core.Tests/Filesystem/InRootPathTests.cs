using Gocker.Core.Filesystem;

namespace Gocker.Core.Tests.Filesystem;

public class InRootPathTests
{
    private static OverlayView Image(Action<FakeLayers> build)
    {
        var fs = new FakeLayers().Layer("img");
        build(fs);
        return new OverlayView(["img"], fs);
    }

    [Theory]
    [InlineData("/data", "data")]
    [InlineData("/data/", "data")]
    [InlineData("//data/./x", "data/x")]
    [InlineData("/../../data", "data")]
    [InlineData("/a/../../../b", "b")]
    [InlineData("/", "")]
    public void CleansLikeTheKernelInsideTheRoot(string path, string resolved) =>
        Assert.Equal(resolved, InRootPath.Resolve(Image(_ => { }), path));

    [Fact]
    public void AnAbsoluteSymlinkToEtcIsTheContainersEtc() =>
        Assert.Equal("etc/x", InRootPath.Resolve(Image(fs => fs.Dir("img", "etc").Link("img", "evil", "/etc")), "/evil/x"));

    [Fact]
    public void DotDotInASymlinkStopsAtTheRoot() =>
        Assert.Equal("etc", InRootPath.Resolve(Image(fs => fs.Dir("img", "a/b").Link("img", "a/b/up", "../../../../../etc")), "/a/b/up"));

    [Fact]
    public void RelativeSymlinksResolveFromTheirDirectory() =>
        Assert.Equal("a/target/x", InRootPath.Resolve(Image(fs => fs.Dir("img", "a/target").Link("img", "a/l", "target")), "/a/l/x"));

    [Fact]
    public void ChainsOfSymlinksAreFollowed() =>
        Assert.Equal("real/x", InRootPath.Resolve(Image(fs => fs.Dir("img", "real").Link("img", "l1", "l2").Link("img", "l2", "/l3/").Link("img", "l3", "real")), "/l1/x"));

    [Fact]
    public void ADanglingSymlinkNamesWhatWouldBeCreated() =>
        Assert.Equal("tmp/host/x", InRootPath.Resolve(Image(fs => fs.Dir("img", "data").Link("img", "data/link", "/tmp/host")), "/data/link/x"));

    [Fact]
    public void AFinalSymlinkIsFollowedToo() =>
        Assert.Equal("etc", InRootPath.Resolve(Image(fs => fs.Dir("img", "etc").Link("img", "mnt", "/etc")), "/mnt"));

    [Fact]
    public void ComponentsAfterAMissingOneAreKept() =>
        Assert.Equal("new/a/b", InRootPath.Resolve(Image(_ => { }), "/new/a/./b"));

    [Fact]
    public void ALoopIsAnError()
    {
        var view = Image(fs => fs.Link("img", "a", "b").Link("img", "b", "/a"));
        var e = Assert.Throws<GockerException>(() => InRootPath.Resolve(view, "/a/x"));
        Assert.Equal("cannot resolve /a/x in the container: too many levels of symbolic links", e.Message);
    }

    [Fact]
    public void ASelfLoopIsAnError() =>
        Assert.Throws<GockerException>(() => InRootPath.Resolve(Image(fs => fs.Link("img", "a", "a")), "/a"));

    [Fact]
    public void FortySymlinksAreAllowed()
    {
        var view = Image(fs =>
        {
            for (int i = 0; i < InRootPath.MaxSymlinks; i++)
                fs.Link("img", $"l{i}", $"l{i + 1}");
            fs.Dir("img", $"l{InRootPath.MaxSymlinks}");
        });
        Assert.Equal($"l{InRootPath.MaxSymlinks}", InRootPath.Resolve(view, "/l0"));
    }

    [Fact]
    public void AFileInTheMiddleIsAnError()
    {
        var e = Assert.Throws<GockerException>(() => InRootPath.Resolve(Image(fs => fs.File("img", "etc/passwd")), "/etc/passwd/x"));
        Assert.Equal("cannot resolve /etc/passwd/x in the container: /etc/passwd is not a directory", e.Message);
    }

    [Fact]
    public void ResolvesThroughTheMergedLayers()
    {
        // The upper layer deletes /link and the lower's symlink must not be followed.
        var fs = new FakeLayers().Layer("up").Layer("low")
            .Link("low", "link", "/etc").Whiteout("up", "link").Dir("low", "etc");
        Assert.Equal("link/x", InRootPath.Resolve(new OverlayView(["up", "low"], fs), "/link/x"));
    }

    [Fact]
    public void RealDirectoriesResolveTheSameWay()
    {
        var root = Directory.CreateTempSubdirectory("gocker-inroot-").FullName;
        try
        {
            Directory.CreateDirectory($"{root}/etc");
            File.CreateSymbolicLink($"{root}/evil", "/etc");
            File.CreateSymbolicLink($"{root}/up", "../../../..");
            var view = new DirectoryRootView(root);
            Assert.Equal("etc/shadow", InRootPath.Resolve(view, "/evil/shadow"));
            Assert.Equal("etc", InRootPath.Resolve(view, "/up/etc"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
