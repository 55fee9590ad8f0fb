using System.Text.Json.Nodes;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The image store end to end: load, run, commit, save, load into a fresh root; the archives
/// save writes, checked against the docker-archive and OCI layouts; import.</summary>
public sealed class ImageTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private string Scratch(string name) => Path.Combine(box.Scratch, name);

    internal static Task<GockerResult> Shell(GockerSandbox box, string script) =>
        ProcessRunner.RunAsync(new ProcessSpec { FileName = "/bin/sh", Args = ["-c", script] });

    internal static string G(GockerSandbox box) => $"{GockerBinary.Path} --root {box.Root}";

    [Fact]
    public async Task Round_trip_load_run_change_commit_save_load_into_a_fresh_root()
    {
        var archive = Scratch("rt-in.tar");
        TestImage.Busybox().With("Cmd", new JsonArray("sh")).WriteDockerArchive(archive, ["rt/base:1"]);
        Assert.Equal("Loaded image: rt/base:1", (await box.Run("load", "-i", archive)).ShouldSucceed().Stdout.Trim());

        // add, modify, delete a file, delete a directory, and replace a directory (opaque).
        (await box.Run("run", "--name", "rt-c", "rt/base:1", "sh", "-c",
            "echo added > /added && echo modified >> /etc/group && rm /bin/ls && rm -rf /root && " +
            "rm -rf /home && mkdir -p /home/fresh && echo x > /home/fresh/f")).ShouldSucceed();
        var id = (await box.Run("commit", "-m", "changes", "-c", "ENV COMMITTED=yes", "rt-c", "rt/changed:2")).ShouldSucceed().Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        var saved = Scratch("rt-out.tar");
        (await box.Run("save", "-o", saved, "rt/changed:2")).ShouldSucceed();

        using var fresh = new GockerSandbox();
        Assert.Equal("Loaded image: rt/changed:2", (await fresh.Run("load", "-i", saved)).ShouldSucceed().Stdout.Trim());
        Assert.Equal(id, (await fresh.Run("images", "-q", "--no-trunc", "rt/changed:2")).ShouldSucceed().Stdout.Trim());
        var r = (await fresh.Run("run", "--rm", "rt/changed:2", "sh", "-c",
            "cat /added; tail -n 1 /etc/group; ls /bin/ls 2>&1; ls /root 2>&1; ls /home; echo $COMMITTED")).ShouldSucceed();
        Assert.Equal(["added", "modified", "ls: /bin/ls: No such file or directory", "ls: /root: No such file or directory", "fresh", "yes"], r.StdoutLines);
        // The deleted file stays deleted in a container of the new image, and busybox still works.
        (await fresh.Run("run", "--rm", "rt/changed:2", "test", "!", "-e", "/bin/ls")).ShouldSucceed();
        (await box.Run("rm", "rt-c")).ShouldSucceed();
    }

    [Fact]
    public async Task Save_writes_a_docker_archive_whose_digests_check_out()
    {
        var archive = Scratch("da-in.tar");
        var image = TestImage.Busybox().AddLayer(TestImage.Layer(("etc/extra", "1\n")));
        image.WriteDockerArchive(archive, ["da/img:1"]);
        (await box.Run("load", "-i", archive)).ShouldSucceed();
        (await box.Run("tag", "da/img:1", "da/img:2")).ShouldSucceed();
        var saved = Scratch("da-out.tar");
        (await box.Run("save", "-o", saved, "da/img:1", "da/img:2")).ShouldSucceed();

        var files = TestImage.ReadTar(saved);
        var manifest = TestImage.Json(files["manifest.json"]).AsArray();
        var entry = Assert.Single(manifest)!;
        Assert.Equal(["da/img:1", "da/img:2"], entry["RepoTags"]!.AsArray().Select(t => (string)t!).Order());
        var configName = (string)entry["Config"]!;
        var config = files[configName];
        // The config's bytes are the loaded ones: the image id reproduces.
        Assert.Equal(image.Id, TestImage.Digest(config));
        Assert.Equal(image.Id[7..] + ".json", configName);
        var diffIds = TestImage.Json(config)["rootfs"]!["diff_ids"]!.AsArray().Select(d => (string)d!).ToList();
        var layers = entry["Layers"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.Equal(2, layers.Count);
        for (int i = 0; i < layers.Count; i++)
            Assert.Equal(diffIds[i], TestImage.Digest(files[layers[i]]));
        var repositories = TestImage.Json(files["repositories"]);
        Assert.Equal(diffIds[^1][7..], (string)repositories["da/img"]!["1"]!);
    }

    [Fact]
    public async Task Save_format_oci_writes_an_image_layout()
    {
        var archive = Scratch("oci-in.tar");
        var image = TestImage.Busybox().AddLayer(TestImage.Layer(("opt/x", "x")));
        image.WriteDockerArchive(archive, ["oci/img:1"], gzipLayers: true, plainLayers: [0]);
        (await box.Run("load", "-i", archive)).ShouldSucceed();
        var saved = Scratch("oci-out.tar");
        var r = await Shell(box, $"{G(box)} save --format oci oci/img:1 > {saved}");
        r.ShouldSucceed();

        var files = TestImage.ReadTar(saved);
        Assert.Equal("1.0.0", (string)TestImage.Json(files["oci-layout"])["imageLayoutVersion"]!);
        var index = TestImage.Json(files["index.json"]);
        var descriptor = Assert.Single(index["manifests"]!.AsArray())!;
        Assert.Equal("oci/img:1", (string)descriptor["annotations"]!["org.opencontainers.image.ref.name"]!);
        foreach (var (name, bytes) in files.Where(f => f.Key.StartsWith("blobs/sha256/")))
            Assert.Equal("sha256:" + name["blobs/sha256/".Length..], TestImage.Digest(bytes));
        var manifest = TestImage.Json(files[$"blobs/sha256/{((string)descriptor["digest"]!)[7..]}"]);
        var configDigest = (string)manifest["config"]!["digest"]!;
        Assert.Equal(image.Id, configDigest);
        var diffIds = TestImage.Json(files[$"blobs/sha256/{configDigest[7..]}"])["rootfs"]!["diff_ids"]!.AsArray().Select(d => (string)d!).ToList();
        var layers = manifest["layers"]!.AsArray();
        Assert.Equal(diffIds.Count, layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            // A layer keeps the form it came in: busybox's plain tar, the test layer gzip (see below).
            var mediaType = (string)layers[i]!["mediaType"]!;
            Assert.Equal(i == 0 ? "application/vnd.oci.image.layer.v1.tar" : "application/vnd.oci.image.layer.v1.tar+gzip", mediaType);
            var blob = files[$"blobs/sha256/{((string)layers[i]!["digest"]!)[7..]}"];
            Assert.Equal((long)layers[i]!["size"]!, blob.Length);
            Assert.Equal(diffIds[i], TestImage.Digest(mediaType.EndsWith("+gzip") ? TestImage.Gunzip(blob) : blob));
        }

        // And it loads back (into a fresh root) as the same image.
        using var fresh = new GockerSandbox();
        Assert.Equal("Loaded image: oci/img:1", (await Shell(fresh, $"{G(fresh)} load < {saved}")).ShouldSucceed().Stdout.Trim());
        Assert.Equal(image.Id, (await fresh.Run("images", "-q", "--no-trunc", "oci/img")).ShouldSucceed().Stdout.Trim());
    }

    [Fact]
    public async Task Loads_an_oci_layout_and_a_docker_archive_with_gzip_layers()
    {
        var oci = Scratch("l-oci.tar");
        TestImage.Busybox().AddLayer(TestImage.Layer(("from-oci", "o\n"))).WriteOciArchive(oci, "l/oci:1");
        Assert.Equal("", (await box.Run("load", "-q", "-i", oci)).ShouldSucceed().Stdout);
        Assert.Equal("Loaded image: l/oci:1", (await box.Run("load", "-i", oci)).ShouldSucceed().Stdout.Trim());
        Assert.Equal("o", (await box.Run("run", "--rm", "l/oci:1", "cat", "/from-oci")).ShouldSucceed().Stdout.Trim());

        var gz = Scratch("l-gz.tar");
        TestImage.Busybox().AddLayer(TestImage.Layer(("from-gz", "g\n"))).WriteDockerArchive(gz, ["l/gz:1"], gzipLayers: true);
        (await box.Run("load", "-i", gz)).ShouldSucceed();
        Assert.Equal("g", (await box.Run("run", "--rm", "l/gz:1", "cat", "/from-gz")).ShouldSucceed().Stdout.Trim());
    }

    [Fact]
    public async Task Import_of_a_plain_and_a_gzip_tarball_makes_one_layer_images()
    {
        var id = (await box.Run("import", TestImage.BusyboxTar, "imp/plain")).ShouldSucceed().Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        var gz = Scratch("imp.tar.gz");
        File.WriteAllBytes(gz, TestImage.Gzip(File.ReadAllBytes(TestImage.BusyboxTar)));
        var r = await Shell(box, $"{G(box)} import - imp/gz:v2 < {gz}");
        var id2 = r.ShouldSucceed().Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id2);
        // Same content, same layer: one layer directory is shared.
        var layers = Directory.GetDirectories(Path.Combine(box.Root, "images", "layers")).Length;
        (await box.Run("import", TestImage.BusyboxTar)).ShouldSucceed();
        Assert.Equal(layers, Directory.GetDirectories(Path.Combine(box.Root, "images", "layers")).Length);
        Assert.Equal("hi", (await box.Run("run", "--rm", "imp/gz:v2", "echo", "hi")).ShouldSucceed().Stdout.Trim());
        (await box.Run("import", "-c", "CMD [\"echo\", \"from-change\"]", "-m", "note", TestImage.BusyboxTar, "imp/changed")).ShouldSucceed();
        Assert.Equal("from-change", (await box.Run("run", "--rm", "imp/changed")).ShouldSucceed().Stdout.Trim());
        // An imported image has no command: Docker's "no command specified".
        Assert.Contains("no command specified", (await box.Run("run", "--rm", "imp/plain")).ShouldBeGockerError());
        Assert.Contains("imp/gz", (await box.Run("images", "--format", "{{.Repository}}:{{.Tag}}")).ShouldSucceed().Stdout);
        var history = (await box.Run("history", "imp/plain")).ShouldSucceed();
        Assert.Equal(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"], history.StdoutLines[0].Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        Assert.Contains("Imported from", history.StdoutLines[1]);
    }

    [Fact]
    public async Task An_image_of_35_layers_runs_and_later_layers_win()
    {
        var image = TestImage.Busybox();
        for (int i = 0; i < 35; i++)
            image.AddLayer(TestImage.Layer(($"layer{i}", $"{i}\n"), ("which", $"{i}\n")));
        var archive = Scratch("many.tar");
        image.WriteDockerArchive(archive, ["many:layers"]);
        (await box.Run("load", "-i", archive)).ShouldSucceed();
        var r = (await box.Run("run", "--rm", "many:layers", "sh", "-c", "cat /which /layer0 /layer34; ls / | grep -c '^layer'")).ShouldSucceed();
        Assert.Equal(["34", "0", "34", "35"], r.StdoutLines);
    }

    [Fact]
    public async Task Commit_of_a_running_container_with_a_cgroup_freezes_it_and_it_runs_on()
    {
        var id = await box.RunDetached("--pids-limit", "50", "busybox", "sh", "-c", "echo live > /live; exec sleep 600");
        await Task.Delay(200);
        var image = (await box.Run("commit", id, "running:snap")).ShouldSucceed().Stdout.Trim();
        Assert.Matches("^sha256:", image);
        Assert.Equal("running", await box.Inspect(id, "{{.State.Status}}"));
        Assert.Equal("live", (await box.Run("run", "--rm", "running:snap", "cat", "/live")).ShouldSucceed().Stdout.Trim());
        (await box.Run("rm", "-f", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Commit_leaves_out_the_mount_placeholders_the_image_lacked()
    {
        // An image without /etc/resolv.conf: the empty file made for its bind mount is not a change.
        (await box.Run("run", "--name", "ph", "busybox", "sh", "-c", "echo a > /a")).ShouldSucceed();
        (await box.Run("commit", "ph", "ph:1")).ShouldSucceed();
        var saved = Scratch("ph.tar");
        (await box.Run("save", "-o", saved, "ph:1")).ShouldSucceed();
        var files = TestImage.ReadTar(saved);
        var manifest = TestImage.Json(files["manifest.json"]).AsArray()[0]!;
        var top = files[(string)manifest["Layers"]!.AsArray()[^1]!];
        var tmp = Scratch("ph-top.tar");
        File.WriteAllBytes(tmp, top);
        var names = TestImage.ReadTar(tmp).Keys.ToList();
        Assert.Contains("a", names);
        Assert.DoesNotContain("etc/resolv.conf", names);
        (await box.Run("rm", "ph")).ShouldSucceed();
    }

    [Fact]
    public async Task Progress_shows_on_a_terminal_only_and_save_refuses_to_write_to_one()
    {
        var log = Scratch("progress.log");
        (await Shell(box, $"script -qec '{G(box)} import {TestImage.BusyboxTar} prog:1 >/dev/null' {log} </dev/null")).ShouldSucceed();
        Assert.Matches(@"Importing: [0-9.]+[kM]?B / 2\.\d+MB", File.ReadAllText(log));
        Assert.Equal("", (await box.Run("import", TestImage.BusyboxTar, "prog:2")).ShouldSucceed().Stderr);

        var refused = await Shell(box, $"script -qec '{G(box)} save prog:1' {Scratch("save-tty.log")} </dev/null");
        refused.ShouldExit(1);
        Assert.Contains("cowardly refusing to save to a terminal", File.ReadAllText(Scratch("save-tty.log")));
    }
}
