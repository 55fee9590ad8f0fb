using System.Diagnostics;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Many gocker commands at once on one root: the store's lock and the monitors. Its own root:
/// it asserts what `ps -a` lists as a whole.</summary>
public sealed class ConcurrencyTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task Parallel_run_d_then_racing_rm_f_and_stop_leave_a_consistent_store()
    {
        var sw = Stopwatch.StartNew();
        // 50 at once.
        var runs = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => box.Run("run", "-d", "busybox", "sleep", "30")));
        foreach (var r in runs)
        {
            r.ShouldSucceed();
            Assert.Matches("^[0-9a-f]{64}\n$", r.Stdout);
        }
        var ids = runs.Select(r => r.Stdout.Trim()).ToList();
        Assert.Equal(50, ids.Distinct().Count());
        var listed = (await box.Run("ps", "-q", "--no-trunc")).ShouldSucceed().StdoutLines;
        Assert.Equal(ids.Order(), listed.Order());
        var names = (await box.PsAll()).Select(r => r.Name).ToList();
        Assert.Equal(50, names.Distinct().Count());

        // 10 containers, each removed with rm -f while it is being stopped: 20 commands at once.
        var raced = ids.Take(10).ToList();
        var rmTasks = raced.Select(id => box.Run("rm", "-f", id)).ToList();
        var stopTasks = raced.Select(id => box.Run("stop", "-t", "0", id)).ToList();
        var rms = await Task.WhenAll(rmTasks);
        var stops = await Task.WhenAll(stopTasks);
        foreach (var r in rms)
            r.ShouldSucceed();   // the container existed; however the stop went, rm -f removes it
        foreach (var r in stops)
        {
            // Either it stopped it, or rm -f was first and it is gone: nothing else.
            Assert.True(r.ExitCode == 0 || (r.ExitCode == 1 && r.Stderr.Contains("No such container")), $"stop racing rm -f:\n{r}");
        }

        var after = await box.PsAll();
        foreach (var id in raced)
        {
            var row = after.SingleOrDefault(r => r.Id == id);
            Assert.True(row is null, $"rm -f succeeded but {id} is still listed: {row}");
            Assert.False(System.IO.Directory.Exists(Path.Combine(box.ContainersDir, id)), $"rm -f succeeded but {id}'s directory is left");
        }
        var rest = ids.Skip(10).ToList();
        Assert.Equal(rest.Order(), after.Select(r => r.Id).Order());
        Assert.All(after, r => Assert.True(r.IsUp, $"{r} should still be running"));

        // The remaining 40 in one command.
        (await box.Run(["rm", "-f", .. rest])).ShouldSucceed();
        Assert.Empty((await box.Run("ps", "-a", "-q")).ShouldSucceed().StdoutLines);
        box.AssertNoLeftoverContainers();
        await Poll.Until(() => box.GockerProcesses().Count == 0, "every monitor to be gone", TimeSpan.FromSeconds(10));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"took {sw.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Parallel_creates_with_one_name_give_exactly_one_container()
    {
        var name = $"race-{Guid.NewGuid():N}"[..16];
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => box.Run("create", "--name", name, "busybox", "true")));
        Assert.Single(results, r => r.ExitCode == 0);
        Assert.All(results.Where(r => r.ExitCode != 0), r => Assert.Contains("Conflict", r.ShouldBeGockerError()));
        Assert.Single(await box.PsAll(), r => r.Name == name);
        await box.RemoveAll();
    }
}

/// <summary>gocker commands killed at any point must not wedge or corrupt the store. Its own root.</summary>
public sealed class CrashSafetyTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    /// <summary>Starts gocker and SIGKILLs it after <paramref name="delayMs"/>; true if it was killed
    /// (it had not finished by then).</summary>
    private async Task<bool> StartAndKill(int delayMs, params string[] args)
    {
        using var p = new Process { StartInfo = box.Spec(args).ToStartInfo() };
        p.Start();
        p.StandardInput.Close();
        var drain = Task.WhenAll(p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
        await Task.Delay(delayMs);
        try { Libc.Kill(p.Id, Sig.KILL); } catch (InvalidOperationException) { }   // already exited (a zombie still takes it)
        await p.WaitForExitAsync();
        await drain;
        return p.ExitCode == 128 + Sig.KILL;
    }

    [Fact]
    public async Task Create_and_rm_f_killed_at_random_moments_leave_a_usable_store()
    {
        var rnd = new Random(12345);
        for (int i = 0; i < 3; i++)
            await box.Create("busybox", "true");
        int createsKilled = 0, rmsKilled = 0;
        for (int i = 0; i < 20; i++)
        {
            // 0-10 ms: a create takes about 7 ms here, an rm -f about 5 ms.
            if (await StartAndKill(rnd.Next(0, 11), "create", "busybox", "true"))
                createsKilled++;
            var ps = (await box.Run("ps", "-a", "-q", "--no-trunc")).ShouldSucceed();
            if (ps.StdoutLines.Length > 0 && await StartAndKill(rnd.Next(0, 11), "rm", "-f", ps.StdoutLines[rnd.Next(ps.StdoutLines.Length)]))
                rmsKilled++;
        }
        // Otherwise the test proved nothing: every command had finished before its SIGKILL.
        Assert.True(createsKilled > 0 && rmsKilled > 0, $"killed before finishing: {createsKilled} creates, {rmsKilled} rm -f (of 20)");

        (await box.Run("ps", "-a")).ShouldSucceed();
        var left = (await box.Run("ps", "-a", "-q", "--no-trunc")).ShouldSucceed().StdoutLines;
        if (left.Length > 0)
            (await box.Run(["rm", "-f", .. left])).ShouldSucceed();
        Assert.Empty((await box.Run("ps", "-a", "-q")).ShouldSucceed().StdoutLines);
        box.AssertNoLeftoverContainers();

        // Still usable.
        var id = await box.Create("busybox", "true");
        (await box.Run("rm", id)).ShouldSucceed();
        await box.AssertGone(id);
    }

}

/// <summary>A damaged state file. Its own root: the damaged record's directory stays behind.</summary>
public sealed class CorruptStoreTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task A_corrupt_record_is_skipped()
    {
        string first = $"first-{Guid.NewGuid():N}"[..16], second = $"second-{Guid.NewGuid():N}"[..16], third = $"third-{Guid.NewGuid():N}"[..16];
        await box.Create("--name", first, "busybox", "true");
        await box.Create("--name", second, "busybox", "true");
        await box.Create("--name", third, "busybox", "true");

        // The first record is the first 512-byte slot after the 512-byte header: flip a byte inside it.
        var db = Path.Combine(box.Root, "containers.db");
        using (var f = new FileStream(db, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = 512 + 100;
            int b = f.ReadByte();
            f.Position = 512 + 100;
            f.WriteByte((byte)(b ^ 0xFF));
        }

        var ps = (await box.Run("ps", "-a", "--format", "{{.Names}}")).ShouldSucceed();
        Assert.DoesNotContain(first, ps.StdoutLines);
        Assert.Contains(second, ps.StdoutLines);
        Assert.Contains(third, ps.StdoutLines);

        // The rest of the store works on.
        var fourth = await box.Create("busybox", "true");
        Assert.NotNull(await box.PsRowOf(fourth));
        (await box.Run("rm", second, third, fourth)).ShouldSucceed();
        Assert.Empty((await box.Run("ps", "-a", "-q")).ShouldSucceed().StdoutLines);
    }
}
