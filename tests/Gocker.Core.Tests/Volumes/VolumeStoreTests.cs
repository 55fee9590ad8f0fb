using Gocker.Core.Volumes;

namespace Gocker.Core.Tests.Volumes;

public sealed class VolumeStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-volumes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private VolumeStore Store => new($"{_dir}/volumes");

    [Fact]
    public void CreatesListsAndDeletes()
    {
        var store = Store;
        using (store.Lock())
        {
            store.Create("beta", null);
            store.Create("alpha", new() { ["k"] = "v" }, options: new());
        }
        Assert.Equal(["alpha", "beta"], store.List().Select(v => v.Name));
        var alpha = store.Get("alpha");
        Assert.Equal("v", alpha.Labels!["k"]);
        Assert.NotNull(alpha.Options);
        Assert.Null(store.Get("beta").Labels);
        Assert.True(Directory.Exists(store.DataDir("alpha")));
        Assert.True(store.IsEmpty("alpha"));
        using (store.Lock())
            store.Delete("alpha");
        Assert.Null(store.TryGet("alpha"));
        Assert.Equal(["beta"], store.List().Select(v => v.Name));
    }

    [Fact]
    public void AFailedPopulateLeavesNoVolume()
    {
        var store = Store;
        using var _ = store.Lock();
        Assert.Throws<IOException>(() => store.Create("vol", null, data =>
        {
            File.WriteAllText($"{data}/half", "x");
            throw new IOException("copy failed");
        }));
        Assert.Null(store.TryGet("vol"));
        Assert.Equal([".lock"], Directory.EnumerateFileSystemEntries(store.Dir).Select(Path.GetFileName));
    }

    [Fact]
    public void PopulateReplacesAnEmptyDataDirectoryWhole()
    {
        var store = Store;
        using var _ = store.Lock();
        store.Create("vol", null);
        Assert.Throws<IOException>(() => store.Populate("vol", d => { File.WriteAllText($"{d}/half", ""); throw new IOException("no"); }));
        Assert.True(store.IsEmpty("vol"));
        store.Populate("vol", d => File.WriteAllText($"{d}/f", "content"));
        Assert.Equal("content", File.ReadAllText($"{store.DataDir("vol")}/f"));
    }

    [Fact]
    public void LeftoversOfAnInterruptedCreateAreRemovedUnderTheLock()
    {
        var store = Store;
        Directory.CreateDirectory($"{store.Dir}/.staging-0123456789abcdef/_data");
        Directory.CreateDirectory($"{store.Dir}/.removing-0123456789abcdef");
        Assert.Empty(store.List());
        using (store.Lock())
            Assert.Equal([".lock"], Directory.EnumerateFileSystemEntries(store.Dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AnonymousVolumesCarryDockersLabel()
    {
        var store = Store;
        using (store.Lock())
            store.Create("0123456789abcdef", new() { [VolumeInfo.AnonymousLabel] = "" });
        Assert.True(store.Get("0123456789abcdef").Anonymous);
    }

    [Fact]
    public void AMissingVolumeIsDockersError()
    {
        var e = Assert.Throws<GockerException>(() => Store.Get("nope"));
        Assert.Equal(("get nope: no such volume", 1), (e.Message, e.ExitCode));
        Assert.Null(Store.TryGet("../etc"));
    }
}
