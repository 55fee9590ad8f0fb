using System.Text;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Bad archives: one line, exit 125, and the store exactly as it was; tar-slip never writes
/// outside the layer. rmi and tag semantics (Docker's untag-or-delete, conflicts).</summary>
public sealed class ImageErrorTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private string Scratch(string name) => Path.Combine(box.Scratch, name);

    /// <summary>Every path under the store with its size: what "nothing stored" is checked against.</summary>
    private List<string> StoreListing()
    {
        var dir = Path.Combine(box.Root, "images");
        if (!Directory.Exists(dir))
            return [];
        return Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(p => Path.GetFileName(p) != ".lock")
            .Select(p => $"{p[dir.Length..]} {(File.Exists(p) ? new FileInfo(p).Length : 0)}").Order().ToList();
    }

    private async Task<string> RefusedAndNothingStored(params string[] args)
    {
        // A first image, so that the store exists and has content to compare.
        (await box.Run("run", "--rm", "busybox", "true")).ShouldSucceed();
        var before = StoreListing();
        var line = (await box.Run(args)).ShouldBeGockerError();
        Assert.Equal(before, StoreListing());
        return line;
    }

    [Fact]
    public async Task Corrupt_gzip_layer_is_refused()
    {
        var path = Scratch("corrupt.tar");
        var plain = TestImage.Layer(("f", new string('x', 5000)));
        TestImage.Busybox().AddLayer(plain).WriteDockerArchive(path, ["bad:gz"], tamper: files =>
        {
            var bad = TestImage.Gzip(plain);
            for (int i = 20; i < bad.Length - 10; i += 7)
                bad[i] ^= 0x5a;
            files[$"{TestImage.Digest(plain)[7..]}/layer.tar"] = bad;
        });
        Assert.Contains("invalid layer", await RefusedAndNothingStored("load", "-i", path));
    }

    [Fact]
    public async Task Truncated_archive_is_refused()
    {
        var path = Scratch("whole.tar");
        TestImage.Busybox().WriteDockerArchive(path, ["bad:trunc"]);
        var bytes = File.ReadAllBytes(path);
        var cut = Scratch("cut.tar");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2 + 100)]);
        await RefusedAndNothingStored("load", "-i", cut);
    }

    [Fact]
    public async Task Truncated_import_is_refused()
    {
        var bytes = File.ReadAllBytes(TestImage.BusyboxTar);
        var cut = Scratch("cut-import.tar");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2 + 100)]);
        Assert.Contains("truncated", await RefusedAndNothingStored("import", cut, "bad:import"));
    }

    [Fact]
    public async Task Digest_mismatch_is_refused()
    {
        var path = Scratch("mismatch.tar");
        var image = TestImage.Busybox();
        image.WriteDockerArchive(path, ["bad:digest"], diffIds: ["sha256:" + new string('0', 64)]);
        Assert.Contains("digest mismatch", await RefusedAndNothingStored("load", "-i", path));
    }

    [Fact]
    public async Task Missing_layer_blob_is_refused()
    {
        var path = Scratch("missing.tar");
        TestImage.Busybox().AddLayer(TestImage.Layer(("m", "m"))).WriteDockerArchive(path, ["bad:missing"],
            tamper: files => files.Remove(files.Keys.First(k => k.EndsWith("/layer.tar") && files[k].Length < 10_000)));
        Assert.Contains("missing", await RefusedAndNothingStored("load", "-i", path));
    }

    [Fact]
    public async Task Unknown_archive_format_is_refused()
    {
        var path = Scratch("unknown.tar");
        TestImage.WriteTar(path, new() { ["hello.txt"] = "hi"u8.ToArray() });
        Assert.Contains("unrecognized image archive", await RefusedAndNothingStored("load", "-i", path));
        var junk = Scratch("junk.bin");
        File.WriteAllBytes(junk, Encoding.ASCII.GetBytes(new string('j', 3000)));
        await RefusedAndNothingStored("load", "-i", junk);
    }

    [Fact]
    public async Task Tar_slip_never_writes_outside_the_layer()
    {
        var outside = Scratch("outside");
        Directory.CreateDirectory(outside);
        var dotdot = Path.GetRelativePath("/", outside);
        var cases = new (string Name, byte[] Layer)[]
        {
            ("dotdot", TestImage.Layer(($"../../../../../../../../{dotdot}/planted", "x"))),
            ("symlink", TestImage.Layer(($"evil -> {outside}", null), ("evil/planted", "x"))),
            ("hardlink", TestImage.Layer(($"evil -> {outside}", null), ("stolen => evil/secret", null))),
        };
        File.WriteAllText(Path.Combine(outside, "secret"), "host secret");
        foreach (var (name, layer) in cases)
        {
            var path = Scratch($"slip-{name}.tar");
            TestImage.Busybox().AddLayer(layer).WriteDockerArchive(path, [$"slip:{name}"]);
            await RefusedAndNothingStored("load", "-i", path);
            var layerTar = Scratch($"slip-{name}-layer.tar");
            File.WriteAllBytes(layerTar, layer);
            await RefusedAndNothingStored("import", layerTar, $"slip-import:{name}");
            Assert.Equal(["secret"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        }
    }

    [Fact]
    public async Task Rmi_untags_one_of_several_names_and_deletes_with_the_last()
    {
        (await box.Run("import", TestImage.BusyboxTar, "rmi/a:1")).ShouldSucceed();
        var id = (await box.Run("images", "-q", "--no-trunc", "rmi/a:1")).ShouldSucceed().Stdout.Trim();
        (await box.Run("tag", "rmi/a:1", "rmi/b")).ShouldSucceed();
        var conflict = (await box.Run("rmi", id[7..19])).ShouldExit(1);
        Assert.Contains("referenced in multiple repositories", conflict.Stderr);
        Assert.Equal("Untagged: rmi/a:1", (await box.Run("rmi", "rmi/a:1")).ShouldSucceed().Stdout.Trim());
        var last = (await box.Run("rmi", "rmi/b")).ShouldSucceed().StdoutLines;
        Assert.Equal("Untagged: rmi/b:latest", last[0]);
        Assert.Equal($"Deleted: {id}", last[1]);
        Assert.Contains("No such image", (await box.Run("rmi", "rmi/b")).ShouldExit(1).Stderr);
        Assert.DoesNotContain(id[7..19], (await box.Run("images", "-q")).ShouldSucceed().Stdout);
    }

    [Fact]
    public async Task Rmi_of_an_image_a_container_uses_is_refused_unless_forced_and_its_layers_stay_while_used()
    {
        var path = Scratch("used.tar");
        var layer = TestImage.Layer(("only-here", "u\n"));
        TestImage.Busybox().AddLayer(layer).WriteDockerArchive(path, ["used:1"]);
        (await box.Run("load", "-i", path)).ShouldSucceed();
        var c = await box.Create("used:1", "cat", "/only-here");
        var refused = (await box.Run("rmi", "used:1")).ShouldExit(1);
        Assert.Contains("must force", refused.Stderr);
        Assert.Contains(c[..12], refused.Stderr);
        var forced = (await box.Run("rmi", "-f", "used:1")).ShouldSucceed().StdoutLines;
        Assert.Equal("Untagged: used:1", forced[0]);
        var layerDir = Path.Combine(box.Root, "images", "layers", TestImage.Digest(layer)[7..]);
        Assert.True(Directory.Exists(layerDir), "a layer a container still uses was removed");
        // The container still runs on its layers.
        Assert.Equal("u", (await box.Run("start", "-a", c)).ShouldSucceed().Stdout.Trim());
        (await box.Run("rm", c)).ShouldSucceed();
        // Once nothing uses it, the next rmi collects it.
        (await box.Run("import", TestImage.BusyboxTar, "gc:trigger")).ShouldSucceed();
        (await box.Run("rmi", "gc:trigger")).ShouldSucceed();
        Assert.False(Directory.Exists(layerDir), "an unused layer was kept");
    }

    [Fact]
    public async Task References_resolve_by_name_id_and_unique_prefix()
    {
        (await box.Run("import", TestImage.BusyboxTar, "ref/x:7")).ShouldSucceed();
        var id = (await box.Run("images", "-q", "--no-trunc", "ref/x:7")).ShouldSucceed().Stdout.Trim();
        foreach (var reference in new[] { "ref/x:7", id, id[7..], id[7..15], "sha256:" + id[7..15] })
            Assert.Equal("ok", (await box.Run("run", "--rm", reference, "echo", "ok")).ShouldSucceed().Stdout.Trim());
        Assert.Contains("ref/x:latest", (await box.Run("run", "--rm", "ref/x", "true")).ShouldBeGockerError());
        Assert.Contains("invalid reference format", (await box.Run("run", "--rm", "Ref/X", "true")).ShouldBeGockerError());
    }

    [Fact]
    public async Task Remains_of_an_interrupted_write_are_ignored_then_swept()
    {
        (await box.Run("run", "--rm", "busybox", "true")).ShouldSucceed();
        // What a load killed while staging leaves: a staging directory with a half layer, and its
        // lock file (no process holds the lock any more).
        var remains = Path.Combine(box.Root, "images", ".staging-killedload0001");
        Directory.CreateDirectory(Path.Combine(remains, "layer-0", "diff", "usr"));
        File.WriteAllText(Path.Combine(remains, "layer-0", "blob"), "half a tar");
        File.WriteAllText(Path.Combine(remains, "lock"), "");
        Assert.Equal("ok", (await box.Run("run", "--rm", "busybox", "echo", "ok")).ShouldSucceed().Stdout.Trim());
        Assert.DoesNotContain("<none>", (await box.Run("images")).ShouldSucceed().Stdout);
        (await box.Run("tag", "busybox", "sweep:after")).ShouldSucceed();
        Assert.False(Directory.Exists(remains), "the next store writer did not remove the staging leftovers");
    }
}
