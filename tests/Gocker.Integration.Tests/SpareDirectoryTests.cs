using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>An attached `run --rm`'s monitor keeps the container's directory as a spare for the next
/// create (native/recycle.c): the next container must show nothing of the previous one. A root of
/// its own, so that no other test's monitor fills or takes a slot meanwhile (the tests of one class
/// run one at a time).</summary>
public sealed class SpareDirectoryTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private string SpareDir => Path.Combine(box.Root, "spare");

    private string[] Spares() =>
        System.IO.Directory.Exists(SpareDir) ? System.IO.Directory.GetDirectories(SpareDir) : [];

    private void ClearSpares()
    {
        foreach (var s in Spares())
            System.IO.Directory.Delete(s, recursive: true);
    }

    /// <summary>Once the monitors are done: no spare was kept and the trash is empty (the directory was deleted).</summary>
    private async Task AssertDeletedNotKept()
    {
        await box.WaitForDeferredRemovals();
        Assert.Empty(Spares());
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(Path.Combine(box.Root, "trash")));
    }

    private Task SparesAre(int n) =>
        Poll.Until(() => Spares().Length == n, $"{n} spare directories (now {Spares().Length})", TimeSpan.FromSeconds(10));

    [Fact]
    public async Task The_next_container_takes_the_spare_and_shows_nothing_of_the_previous_one()
    {
        ClearSpares();
        var marker = $"left-behind-{Guid.NewGuid():N}";
        (await box.Run("run", "--rm", "--hostname", "the-first-container-with-a-long-name", "-e", "SECRET=hunter2",
            "--add-host", "old.example:10.9.9.9", "busybox", "sh", "-c",
            $"echo secret > /{marker}; echo x > /etc/{marker}; echo first-output; echo first-error >&2")).ShouldSucceed();
        await SparesAre(1);
        var spare = Spares()[0];
        Assert.Equal(["config.json.spare", "container.log.spare", "hostname.spare", "hosts.spare", "resolv.conf.spare", "rootfs"],
            System.IO.Directory.GetFileSystemEntries(spare).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // Nothing of the container waits in the spare: its environment (config.json) and output are gone.
        Assert.All(System.IO.Directory.GetFiles(spare, "*.spare"), f => Assert.Equal(0, new FileInfo(f).Length));

        var id = await box.Create("--name", "second", "busybox", "sh", "-c",
            $"cat /etc/hostname /etc/hosts; ls /{marker} /etc/{marker} 2>&1; echo second-output");
        await SparesAre(0);
        var dir = Path.Combine(box.ContainersDir, id);
        Assert.Empty(System.IO.Directory.GetFiles(dir, "*.spare"));
        Assert.False(File.Exists(Path.Combine(dir, "config.json.tmp")));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(Path.Combine(dir, "upper")));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(Path.Combine(dir, "work")));
        Assert.Contains(id, File.ReadAllText(Path.Combine(dir, "config.json")));

        var run = (await box.Run("start", "-a", "second")).ShouldSucceed();
        Assert.Equal(id[..12], run.StdoutLines[0]);
        Assert.DoesNotContain("old.example", run.Stdout);
        Assert.DoesNotContain("the-first-container", run.Stdout);
        Assert.Contains($"/{marker}: No such file or directory", run.Stdout);
        Assert.Contains($"/etc/{marker}: No such file or directory", run.Stdout);
        var logs = (await box.Run("logs", "second")).ShouldSucceed();
        Assert.DoesNotContain("first-", logs.Stdout + logs.Stderr);
        Assert.Contains("second-output", logs.Stdout);
        (await box.Run("rm", "second")).ShouldSucceed();
    }

    [Fact]
    public async Task A_directory_with_anything_unexpected_is_deleted_not_kept()
    {
        ClearSpares();
        // A rotated log (container.log.1) is not one of a spare's files.
        (await box.Run("run", "--rm", "--log-opt", "max-size=1k", "--log-opt", "max-file=2", "busybox", "sh", "-c",
            "i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done")).ShouldSucceed();
        await AssertDeletedNotKept();
    }

    /// <summary>The monitor empties the files it keeps: one that is no longer a regular file of its own
    /// (here replaced, on the host's side, by a link to a file outside) is never followed, and the
    /// directory is deleted instead.</summary>
    [Fact]
    public async Task A_file_replaced_by_a_link_is_not_followed()
    {
        ClearSpares();
        var shared = Path.Combine(box.Scratch, $"link-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(shared);
        var victim = Path.Combine(box.Scratch, $"victim-{Guid.NewGuid():N}");
        File.WriteAllText(victim, "keep me\n");
        var go = Path.Combine(shared, "go");
        Assert.Equal(0, Harness.Libc.Mkfifo(go, 0x180));
        var name = $"linked-{Guid.NewGuid():N}"[..16];
        using var run = box.Start("run", "--rm", "--name", name, "-v", $"{shared}:/s", "busybox", "sh", "-c", "echo ready; cat /s/go");
        await run.WaitForLineAsync("ready", TimeSpan.FromSeconds(30));
        var id = (await box.Run("inspect", "-f", "{{.Id}}", name)).ShouldSucceed().Stdout.Trim();
        // The monitor holds the directory (flock) until it has kept or deleted it: the sweep of the
        // trash at every create leaves it alone.
        int dirFd = Harness.Libc.Open(Path.Combine(box.ContainersDir, id), Harness.Libc.O_DIRECTORY);
        Assert.True(dirFd >= 0);
        try { Assert.NotEqual(0, Harness.Libc.Flock(dirFd, Harness.Libc.LOCK_EX | Harness.Libc.LOCK_NB)); }
        finally { Harness.Libc.Close(dirFd); }
        var hostname = Path.Combine(box.ContainersDir, id, "hostname");
        File.Delete(hostname);
        File.CreateSymbolicLink(hostname, victim);
        await File.WriteAllTextAsync(go, "x"); // the container's cat reads it and ends
        (await run.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldSucceed();
        await AssertDeletedNotKept();
        Assert.Equal("keep me\n", File.ReadAllText(victim));
    }

    [Fact]
    public async Task At_most_eight_are_kept()
    {
        ClearSpares();
        // Ten containers that end together: their monitors recycle at about the same time, and the
        // two beyond the slots delete their directories.
        var runs = Enumerable.Range(0, 10).Select(_ => box.Run("run", "--rm", "busybox", "true")).ToList();
        foreach (var r in await Task.WhenAll(runs))
            r.ShouldSucceed();
        await box.WaitForDeferredRemovals();
        var spares = Spares().Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.InRange(spares.Count, 1, 8);
        Assert.All(spares, s => Assert.Matches("^[0-7]$", s));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(Path.Combine(box.Root, "trash")));
    }
}
