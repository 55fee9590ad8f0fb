using System.Formats.Tar;
using System.Text;
using Gocker.Core.Containers;
using Gocker.Core.Images;

namespace Gocker.Core.Tests.Images;

/// <summary>The store, the archive readers and writers, on a temporary root (no root needed: layers
/// here hold files owned by this process and no whiteouts).</summary>
public sealed class ImageStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-store-").FullName;
    private readonly GockerRoot _root;
    private readonly ImageStore _store;

    public ImageStoreTests()
    {
        _root = new GockerRoot($"{_dir}/root");
        _store = new ImageStore(_root);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static byte[] LayerTar(string name, string content)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Uid = SelfIds.Uid, Gid = SelfIds.Gid,
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            });
        return ms.ToArray();
    }

    /// <summary>An image of the given layers, stored and tagged; returns its id.</summary>
    private string Store(string? tag, params byte[][] layers)
    {
        using var staging = StagingArea.Create(_store);
        var staged = layers.Select(l => LayerStager.Stage(new MemoryStream(l), staging.NewPath("layer"))).ToList();
        var config = ImageService.NewConfig("test", "2024-01-01T00:00:00Z", staged.Select(s => s.DiffId).ToList(),
            new ImageRunConfig { Cmd = ["sh"] });
        using var writer = new ImageStoreWriter(_store);
        staged.ForEach(writer.AddLayer);
        var id = writer.AddConfig(config.ToBytes());
        if (tag is not null)
            writer.Tag(tag, id);
        writer.Commit();
        return id;
    }

    [Fact]
    public void Layers_are_content_addressed_kept_once_and_linked_by_short_names()
    {
        var layer = LayerTar("f", "hello");
        var a = Store("a:1", layer);
        var b = Store("b:1", layer, LayerTar("g", "more"));
        var diffId = Sha256.Digest(layer);
        Assert.Equal(2, Directory.GetDirectories(_store.LayersDir).Length);
        Assert.Equal("hello", File.ReadAllText($"{_store.LayerDiff(diffId)}/f"));
        Assert.Equal($"../layers/{diffId[7..]}/diff", new FileInfo($"{_store.LinksDir}/{diffId[7..23]}").LinkTarget);
        Assert.Equal(Sha256.Digest(File.ReadAllBytes(_store.ConfigPath(a))), a);
        Assert.NotEqual(a, b);
        Assert.Equal($"{Sha256.Digest(LayerTar("g", "more"))[7..23]}:{diffId[7..23]}", ImageStore.LowerDirs(_store.Load(b).DiffIds));
        Assert.Empty(Directory.GetDirectories(_store.Dir, ".staging-*"));
    }

    [Fact]
    public void References_resolve_by_name_id_and_prefix()
    {
        var id = Store("app:1", LayerTar("f", "x"));
        Assert.Equal(id, _store.Resolve("app:1").Id);
        Assert.Equal("app:1", _store.Resolve("app:1").FoundAs);
        Assert.Equal(id, _store.Resolve(id).Id);
        Assert.Equal(id, _store.Resolve(id[7..]).Id);
        Assert.Equal(id, _store.Resolve(id[..15]).Id);
        Assert.Null(_store.TryResolve("app"));
        Assert.Null(_store.TryResolve("sha256:ffff"));
    }

    [Fact]
    public void An_ambiguous_prefix_is_an_error()
    {
        var ids = Enumerable.Range(0, 40).Select(i => Store(null, LayerTar($"f{i}", "x"))).ToList();
        var shared = ids.GroupBy(i => i[7]).First(g => g.Count() > 1).Key;
        Assert.Contains("ambiguous", Assert.Throws<GockerException>(() => _store.Resolve(shared.ToString())).Message);
    }

    [Fact]
    public void A_staging_directory_whose_writer_died_is_swept_and_a_live_one_kept()
    {
        var dead = $"{_store.Dir}/.staging-dead";
        _root.EnsureCreated();
        Directory.CreateDirectory(dead);
        File.WriteAllText($"{dead}/half-written", "x");
        using var live = StagingArea.Create(_store);
        using (new ImageStoreWriter(_store)) { }
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live.Dir));
    }

    [Fact]
    public void Docker_archive_round_trip_reproduces_ids_and_layer_digests()
    {
        var layers = new[] { LayerTar("a", "1"), LayerTar("b", "2") };
        var id = Store("rt:1", layers);
        var path = $"{_dir}/out.tar";
        new ImageSaver(_store).SaveToFile(["rt:1"], ImageSaver.DockerFormat, path);
        using var archive = new ArchiveIndex(path);
        var image = Assert.Single(ArchivePlan.Read(archive));
        Assert.Equal(["rt:1"], image.Names);
        Assert.Equal(id, Sha256.Digest(image.Config));
        for (int i = 0; i < layers.Length; i++)
        {
            Assert.Equal(Sha256.Digest(layers[i]), image.Layers[i].DiffId);
            using var s = archive.Open(image.Layers[i].ArchivePath);
            var ms = new MemoryStream();
            s.CopyTo(ms);
            Assert.Equal(layers[i], ms.ToArray());
        }
        Assert.True(archive.Contains("repositories"));
    }

    [Fact]
    public void Oci_round_trip_names_and_blobs()
    {
        var layer = LayerTar("a", "1");
        var id = Store("oci/rt:2", layer);
        var path = $"{_dir}/oci.tar";
        new ImageSaver(_store).SaveToFile(["oci/rt:2"], ImageSaver.OciFormat, path);
        using var archive = new ArchiveIndex(path);
        Assert.True(archive.Contains("oci-layout"));
        var image = Assert.Single(ArchivePlan.Read(archive));
        Assert.Equal(["oci/rt:2"], image.Names);
        Assert.Equal(id, Sha256.Digest(image.Config));
        var blob = image.Layers[0];
        Assert.Equal(_store.ReadLayerInfo(blob.DiffId).BlobDigest, blob.BlobDigest);
        Assert.Equal(blob.BlobDigest, Sha256.Digest(archive.ReadAll(blob.ArchivePath)));
    }

    [Fact]
    public void Archive_plan_reads_docker_25_blob_paths_and_refuses_a_lying_config_name()
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var hex = Sha256.Digest(config)[7..];
        var good = $"{_dir}/good.tar";
        WriteTar(good, ("manifest.json", $$"""[{"Config":"blobs/sha256/{{hex}}","RepoTags":["docker.io/library/x:1"],"Layers":[]}]"""), ($"blobs/sha256/{hex}", Encoding.UTF8.GetString(config)));
        using (var a = new ArchiveIndex(good))
            Assert.Equal(["x:1"], Assert.Single(ArchivePlan.Read(a)).Names);
        var bad = $"{_dir}/bad.tar";
        WriteTar(bad, ("manifest.json", $$"""[{"Config":"blobs/sha256/{{new string('a', 64)}}","Layers":[]}]"""), ($"blobs/sha256/{new string('a', 64)}", Encoding.UTF8.GetString(config)));
        using var b = new ArchiveIndex(bad);
        Assert.Contains("digest mismatch", Assert.Throws<GockerException>(() => ArchivePlan.Read(b)).Message);
    }

    [Fact]
    public void Tar_builder_writes_long_names_and_exact_sizes()
    {
        var ms = new MemoryStream();
        var tar = new TarBuilder(ms, 1_700_000_000);
        var longName = string.Join('/', Enumerable.Repeat("directory", 14)) + "/file";
        tar.Directory("d");
        tar.File(longName, "content"u8);
        tar.File("sized", 3, new MemoryStream("abc"u8.ToArray()));
        Assert.Throws<GockerException>(() => tar.File("short", 5, new MemoryStream("abc"u8.ToArray())));
        ms.SetLength(0);
        tar = new TarBuilder(ms, 1_700_000_000);
        tar.File(longName, "content"u8);
        tar.Finish();
        ms.Position = 0;
        using var r = new TarReader(ms);
        var e = r.GetNextEntry()!;
        Assert.Equal(longName, e.Name);
        Assert.Equal(7, e.Length);
        Assert.Null(r.GetNextEntry());
    }

    private static void WriteTar(string path, params (string Name, string Content)[] files)
    {
        using var f = File.Create(path);
        using var w = new TarWriter(f, TarEntryFormat.Ustar);
        foreach (var (name, content) in files)
            w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
    }
}

public sealed class FastJsonTests
{
    [Fact]
    public void Reads_what_run_needs_like_the_serializer_does()
    {
        var json = """
            {"architecture":"amd64","config":{"Hostname":"","Env":["A=1","B=2"],"Cmd":null,"Entrypoint":["/ep","x"],
             "WorkingDir":"/w","User":"u","StopSignal":"SIGINT","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Labels":{"k":"v"},
             "Volumes":null,"OnBuild":null},"history":[{"created_by":"x"}],"os":"linux",
             "rootfs":{"type":"layers","diff_ids":["sha256:aa","sha256:bb"]}}
            """u8.ToArray();
        var (run, diffIds) = FastJson.ReadRunConfig(json);
        var full = ImageConfig.Parse(json, "test");
        Assert.Equal(full.Rootfs.DiffIds, diffIds);
        Assert.Equal(full.Config!.Env, run.Env);
        Assert.Null(run.Cmd);
        Assert.Equal(["/ep", "x"], run.Entrypoint);
        Assert.Equal(("/w", "u", "SIGINT"), (run.WorkingDir, run.User, run.StopSignal));
        Assert.Equal(["53/udp", "80/tcp"], run.ExposedPorts!.Keys.Order());
    }

    [Fact]
    public void Tags_round_trip_sorted()
    {
        var bytes = FastJson.WriteTags(new() { ["b:1"] = "sha256:2", ["a:1"] = "sha256:1" });
        Assert.Equal("""{"a:1":"sha256:1","b:1":"sha256:2"}""", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("sha256:2", FastJson.ReadTags(bytes)["b:1"]);
    }
}
