using System.Formats.Tar;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>`export`: the container's filesystem flattened from its upper dir over the image (real
/// overlayfs whiteouts and opaque directories, which take root to create).</summary>
public sealed class ExportTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private sealed record Entry(TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string LinkName, byte[] Data);

    private async Task<Dictionary<string, Entry>> Export(string container)
    {
        var file = Path.Combine(box.Scratch, $"export-{Guid.NewGuid():N}.tar");
        (await box.Run("export", "-o", file, container)).ShouldSucceed();
        var entries = Read(file);
        File.Delete(file);
        return entries;
    }

    private static Dictionary<string, Entry> Read(string file)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        using var stream = File.OpenRead(file);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry(copyData: true) is { } e)
        {
            var data = new MemoryStream();
            e.DataStream?.CopyTo(data);
            Assert.True(entries.TryAdd(e.Name, new Entry(e.EntryType, e.Mode, e.Uid, e.Gid, e.LinkName, data.ToArray())), $"{e.Name} twice");
        }
        return entries;
    }

    private static string Text(Entry e) => System.Text.Encoding.UTF8.GetString(e.Data);

    [Fact]
    public async Task Export_has_exactly_the_added_modified_and_deleted_files_over_the_image()
    {
        (await box.Run("run", "--name", "pristine", "busybox", "true")).ShouldSucceed();
        (await box.Run("run", "--name", "changed", "busybox", "sh", "-c",
            "echo added > /added && echo mod >> /etc/passwd && rm /etc/group && " +
            "rm -rf /usr/sbin && mkdir /usr/sbin && echo only > /usr/sbin/only && " +
            "ln /added /hardlink && ln -s /etc/passwd /symlink && chmod 4711 /added && chown 1000:1000 /usr/sbin/only")).ShouldSucceed();
        var image = await Export("pristine");
        var changed = await Export("changed");

        // The unchanged container is the image, without the bind-mount placeholder files.
        // busybox is a one-layer image: its only layer is the whole image.
        var rootfs = Path.Combine(Assert.Single(System.IO.Directory.GetDirectories(Path.Combine(box.Root, "images", "layers"))), "diff");
        var imageNames = System.IO.Directory.EnumerateFileSystemEntries(rootfs, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => p[(rootfs.Length + 1)..] + (System.IO.Directory.Exists(p) && new FileInfo(p).LinkTarget is null ? "/" : ""));
        Assert.Equal(imageNames.Order(StringComparer.Ordinal), image.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("etc/resolv.conf", image.Keys);

        var expected = image.Keys.Where(k => k != "etc/group" && (k == "usr/sbin/" || !k.StartsWith("usr/sbin/", StringComparison.Ordinal)))
            .Concat(["added", "hardlink", "symlink", "usr/sbin/only"]).Order(StringComparer.Ordinal);
        Assert.Equal(expected, changed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Text(image["etc/passwd"]) + "mod\n", Text(changed["etc/passwd"]));
        Assert.Equal("added\n", Text(changed["added"]));
        Assert.Equal(UnixFileMode.SetUser | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute,
            changed["added"].Mode);
        Assert.Equal((TarEntryType.HardLink, "added"), (changed["hardlink"].Type, changed["hardlink"].LinkName));
        Assert.Equal((TarEntryType.SymbolicLink, "/etc/passwd"), (changed["symlink"].Type, changed["symlink"].LinkName));
        Assert.Equal((1000, 1000, "only\n"), (changed["usr/sbin/only"].Uid, changed["usr/sbin/only"].Gid, Text(changed["usr/sbin/only"])));
        foreach (var (name, e) in image)
        {
            if (changed.TryGetValue(name, out var c) && name != "etc/passwd" && e.Type != TarEntryType.Directory)
                Assert.True(e.Data.AsSpan().SequenceEqual(c.Data) && e.Mode == c.Mode && e.Uid == c.Uid && e.Type == c.Type, $"{name} differs");
        }
        Assert.Equal(1000, image["home/user/"].Uid);
        await box.RemoveAll();
    }

    [Fact]
    public async Task Volume_and_tmpfs_contents_are_left_out()
    {
        (await box.Run("run", "--name", "withvol", "-v", "exvol:/data", "--tmpfs", "/scratch", "busybox", "sh", "-c",
            "echo v > /data/f; echo t > /scratch/f; echo u > /upper")).ShouldSucceed();
        var entries = await Export("withvol");
        Assert.Contains("data/", entries.Keys);
        Assert.Contains("scratch/", entries.Keys);
        Assert.Contains("upper", entries.Keys);
        Assert.DoesNotContain("data/f", entries.Keys);
        Assert.DoesNotContain("scratch/f", entries.Keys);
        (await box.Run("rm", "-v", "withvol")).ShouldSucceed();
        (await box.Run("volume", "rm", "exvol")).ShouldSucceed();
        await box.RemoveAll();
    }

    [Fact]
    public async Task A_running_container_exports_its_current_files()
    {
        using var run = box.Start("run", "--rm", "--name", "live", "busybox", "sh", "-c",
            "echo now > /live; echo ready; trap 'exit 0' TERM; while :; do sleep 0.1; done");
        await run.WaitForLineAsync("ready");
        var entries = await Export("live");
        Assert.Equal("now\n", Text(entries["live"]));
        (await box.Run("stop", "-t", "5", "live")).ShouldSucceed();
        (await run.WaitForExitAsync()).ShouldSucceed();
    }

    [Fact]
    public async Task Stdout_gets_the_same_tar_and_errors_leave_no_file()
    {
        (await box.Run("run", "--name", "tostdout", "busybox", "true")).ShouldSucceed();
        var file = Path.Combine(box.Scratch, "stdout.tar");
        var r = await ProcessRunner.RunAsync(new ProcessSpec
        {
            FileName = "sh",
            Args = ["-c", $"{box.ShellCommand("export", "tostdout")} > {file}"],
        });
        r.ShouldSucceed();
        Assert.Contains("bin/busybox", Read(file).Keys);

        var missing = Path.Combine(box.Scratch, "missing.tar");
        var before = System.IO.Directory.GetFileSystemEntries(box.Scratch).Length;
        var err = await box.Run("export", "-o", missing, "nosuchcontainer");
        err.ShouldExit(1);
        Assert.Single(err.StderrLines);
        Assert.Equal(before, System.IO.Directory.GetFileSystemEntries(box.Scratch).Length);

        var tty = await ProcessRunner.RunAsync(new ProcessSpec
        {
            FileName = "script",
            Args = ["-q", "-e", "-c", box.ShellCommand("export", "tostdout"), "/dev/null"],
            Env = new() { ["SHELL"] = "/bin/sh" },
        });
        tty.ShouldExit(1);
        Assert.Contains("cowardly refusing to save to a terminal", tty.Stdout);
        await box.RemoveAll();
    }
}
