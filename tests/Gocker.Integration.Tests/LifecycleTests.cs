using System.Diagnostics;
using System.Text.Json;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Containers that persist, as with Docker: run -d, create/start, stop, kill, rm, wait,
/// inspect, and how a container is named and found. Each test removes what it creates.</summary>
public sealed class LifecycleTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];

    /// <summary>Waits for a line of the container's output, through `logs -f` (an event, not a poll).</summary>
    private async Task WaitForLogLine(string container, string line)
    {
        using var logs = box.Start("logs", "-f", container);
        await logs.WaitForLineAsync(line, TimeSpan.FromSeconds(30));
    }

    // ---- run --rm ----

    [Fact]
    public async Task Run_rm_is_gone_when_it_returns_and_its_monitor_deletes_the_files_after()
    {
        // A big enough writable layer that its deletion takes a while: the client returns first.
        var r = (await box.Run("run", "--rm", "--name", "rm-after", "busybox", "sh", "-c",
            "mkdir -p /data && for i in $(seq 1 300); do echo $i > /data/f$i; done; echo done")).ShouldSucceed();
        Assert.Equal("done\n", r.Stdout);
        Assert.Null(await box.PsRowOf("rm-after"));
        Assert.DoesNotContain(box.LeftoverContainers(), d => d.Length == 64);
        var trash = Path.Combine(box.Root, "trash");
        await Poll.Until(() => !System.IO.Directory.Exists(trash) || System.IO.Directory.GetFileSystemEntries(trash).Length == 0,
            "the monitor to delete the container's directory from the trash", TimeSpan.FromSeconds(10));
        // The name is free at once (the record went before the client returned).
        (await box.Run("run", "--rm", "--name", "rm-after", "busybox", "true")).ShouldSucceed();
    }

    [Fact]
    public async Task Run_rm_leaves_no_mount_of_the_container_once_its_monitor_is_done()
    {
        // The monitor holds the container's mount namespace past init's exit, and drops it after the
        // client's "k", before it deletes the directory: once the monitor is done, no process may
        // hold that namespace (as its own or as an open fd) nor see the container's mounts.
        var lines = (await box.Run("run", "--rm", "busybox", "sh", "-c", "hostname; readlink /proc/self/ns/mnt"))
            .ShouldSucceed().StdoutLines;
        var (shortId, ns) = (lines[0], lines[1]);
        Assert.Matches("^[0-9a-f]{12}$", shortId);
        Assert.Matches(@"^mnt:\[\d+\]$", ns);
        var trash = Path.Combine(box.Root, "trash");
        await Poll.Until(() => !System.IO.Directory.Exists(trash) || System.IO.Directory.GetFileSystemEntries(trash).Length == 0,
            "the monitor to delete the container's directory from the trash", TimeSpan.FromSeconds(10));
        await box.WaitForDeferredRemovals();
        var holders = new List<string>();
        foreach (var proc in System.IO.Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _))
                continue;
            try
            {
                if (File.ReadAllText(Path.Combine(proc, "mountinfo")).Contains("/" + shortId, StringComparison.Ordinal))
                    holders.Add($"{proc} sees its mounts");
                var links = System.IO.Directory.GetFiles(Path.Combine(proc, "fd")).Append(Path.Combine(proc, "ns", "mnt"));
                foreach (var link in links)
                    if (new FileInfo(link).LinkTarget == ns)
                        holders.Add($"{link} is its mount namespace");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* gone meanwhile */ }
        }
        Assert.True(holders.Count == 0, $"the mount namespace of {shortId} outlived its monitor: {string.Join("; ", holders)}");
    }

    [Fact]
    public async Task A_deletion_left_in_the_trash_is_swept_at_the_next_create()
    {
        // What a monitor killed while deleting leaves behind.
        var left = Path.Combine(box.Root, "trash", new string('e', 64));
        System.IO.Directory.CreateDirectory(Path.Combine(left, "upper", "deep", "er"));
        File.WriteAllText(Path.Combine(left, "upper", "deep", "er", "file"), "x");
        var id = (await box.Run("create", "busybox", "true")).ShouldSucceed().Stdout.Trim();
        (await box.Run("rm", id)).ShouldSucceed();
        Assert.False(System.IO.Directory.Exists(left), "the leftover in the trash was not swept by create");
    }

    // ---- run -d ----

    [Fact]
    public async Task Run_d_prints_the_full_id_and_returns_while_the_container_runs()
    {
        var r = (await box.Run("run", "-d", "busybox", "sleep", "1000")).ShouldSucceed();
        Assert.Matches("^[0-9a-f]{64}\n$", r.Stdout);
        var id = r.Stdout.Trim();

        // run -d has returned; the container is still running.
        var ps = (await box.Run("ps")).ShouldSucceed();
        var line = ps.StdoutLines.SingleOrDefault(l => l.StartsWith(id[..12] + " ", StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains("   Up ", StringComparison.Ordinal), $"ps does not show {id[..12]} Up\n{ps}");
        var q = (await box.Run("ps", "-q")).ShouldSucceed();
        Assert.Contains(id[..12], q.StdoutLines);
        Assert.All(q.StdoutLines, l => Assert.Matches("^[0-9a-f]{12}$", l));
        Assert.Equal("true", await box.Inspect(id, "{{.State.Running}}"));

        (await box.Run("rm", "-f", id)).ShouldSucceed();
        await box.AssertGone(id);
    }

    [Theory]
    [InlineData("-t")]
    [InlineData("-i")]
    [InlineData("-it")]
    public async Task Run_d_with_a_terminal_or_stdin_is_refused(string flag)
    {
        var before = await box.Snapshot();
        var line = (await box.Run("run", "-d", flag, "busybox", "true")).ShouldBeGockerError();
        Assert.Contains("Conflicting options", line);
        await box.AssertNothingNew(before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(255)]
    public async Task Detached_container_that_exits_shows_its_exit_code(int code)
    {
        var id = await box.RunDetached("busybox", "sh", "-c", $"exit {code}");
        Assert.Equal(code, await box.Wait(id));
        var row = await box.PsRowOf(id);
        Assert.True(row is not null && row.Status.StartsWith($"Exited ({code}) ", StringComparison.Ordinal) && row.State == "exited",
            $"ps -a: {row}");
        Assert.Equal($"{code} false exited", await box.Inspect(id, "{{.State.ExitCode}} {{.State.Running}} {{.State.Status}}"));
        // Not in plain ps (running only).
        Assert.DoesNotContain(id[..12], (await box.Run("ps", "-q")).ShouldSucceed().StdoutLines);
        (await box.Run("rm", id)).ShouldSucceed();
        await box.AssertGone(id);
    }

    // ---- stop ----

    [Fact]
    public async Task Stop_kills_a_pid_1_that_ignores_term_after_the_timeout()
    {
        // sleep as PID 1 has no handler for SIGTERM, so the kernel drops it: only SIGKILL ends it.
        var id = await box.RunDetached("busybox", "sleep", "1000");
        var sw = Stopwatch.StartNew();
        (await box.Run("stop", "-t", "1", id)).ShouldSucceed();
        sw.Stop();
        Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(0.9) && sw.Elapsed < TimeSpan.FromSeconds(10),
            $"stop -t 1 took {sw.Elapsed.TotalSeconds:F2} s (expected about 1 s: SIGTERM, 1 s, SIGKILL)");
        // stop returns once the exit is recorded.
        var row = await box.PsRowOf(id);
        Assert.True(row is not null && row.Status.StartsWith("Exited (137) ", StringComparison.Ordinal), $"ps -a: {row}");
        Assert.Equal("137 false", await box.Inspect(id, "{{.State.ExitCode}} {{.State.Running}}"));

        // Stopping a stopped container is not an error (as with Docker).
        (await box.Run("stop", id)).ShouldSucceed();
        (await box.Run("rm", id)).ShouldSucceed();
        await box.AssertGone(id);
    }

    [Fact]
    public async Task Stop_of_a_container_that_traps_term_is_quick_and_keeps_its_exit_code()
    {
        var id = await box.RunDetached("busybox", "sh", "-c", "trap 'echo got-term; exit 42' TERM; echo ready; while :; do sleep 0.1; done");
        await WaitForLogLine(id, "ready");
        var sw = Stopwatch.StartNew();
        (await box.Run("stop", id)).ShouldSucceed();   // default timeout: 10 s
        sw.Stop();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"stop took {sw.Elapsed.TotalSeconds:F2} s although the container exits on SIGTERM");
        Assert.Equal(42, await box.Wait(id));
        var row = await box.PsRowOf(id);
        Assert.True(row is not null && row.Status.StartsWith("Exited (42) ", StringComparison.Ordinal), $"ps -a: {row}");
        Assert.Contains("got-term", (await box.Run("logs", id)).ShouldSucceed().StdoutLines);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Stop_with_a_signal_sends_that_signal()
    {
        var id = await box.RunDetached("busybox", "sh", "-c", "trap 'exit 30' USR1; trap 'exit 31' TERM; echo ready; while :; do sleep 0.1; done");
        await WaitForLogLine(id, "ready");
        (await box.Run("stop", "-s", "USR1", id)).ShouldSucceed();
        Assert.Equal(30, await box.Wait(id));
        (await box.Run("rm", id)).ShouldSucceed();
    }

    // ---- --rm ----

    public enum Ending { Exit, ExecFailure, Stop, Kill, DetachedStop }

    [Theory]
    [InlineData(Ending.Exit)]
    [InlineData(Ending.ExecFailure)]
    [InlineData(Ending.Stop)]
    [InlineData(Ending.Kill)]
    [InlineData(Ending.DetachedStop)]
    public async Task Rm_option_leaves_nothing_behind(Ending ending)
    {
        var before = await box.Snapshot();
        var name = NewName("rm");
        switch (ending)
        {
            case Ending.Exit:
                (await box.Run("run", "--rm", "--name", name, "busybox", "sh", "-c", "echo bye; exit 3")).ShouldExit(3);
                break;
            case Ending.ExecFailure:
                var failed = (await box.Run("run", "--rm", "--name", name, "busybox", "nosuchcmd")).ShouldExit(127);
                Assert.Contains("nosuchcmd", failed.Stderr);
                break;
            case Ending.Stop or Ending.Kill:
                using (var gocker = box.Start("run", "--rm", "--name", name, "busybox", "sh", "-c", "echo ready; exec sleep 1000"))
                {
                    await gocker.WaitForLineAsync("ready");
                    if (ending == Ending.Stop)
                        (await box.Run("stop", "-t", "1", name)).ShouldSucceed();
                    else
                        (await box.Run("kill", name)).ShouldSucceed();
                    // The foreground run ends once the exit is recorded and the container removed.
                    (await gocker.WaitForExitAsync()).ShouldExit(137);
                }
                break;
            case Ending.DetachedStop:
                var id = await box.RunDetached("--rm", "--name", name, "busybox", "sleep", "1000");
                Assert.Equal("true", await box.Inspect(id, "{{.HostConfig.AutoRemove}}"));
                (await box.Run("stop", "-t", "0", name)).ShouldSucceed();
                // Nobody waits in the foreground: removal by the monitor has no event to wait for.
                await box.WaitUntilGone(id);
                break;
        }
        await box.AssertNothingNew(before);
        // The name is free again.
        (await box.Run("run", "--rm", "--name", name, "busybox", "true")).ShouldSucceed();
        await box.AssertNothingNew(before);
    }

    [Fact]
    public async Task Wait_gives_the_exit_code_of_an_auto_removed_container()
    {
        // `docker wait` on a --rm container gets its exit code, not 0 (and not an error): the wait
        // starts while the container runs (it sleeps 2 s first).
        var id = await box.RunDetached("--rm", "busybox", "sh", "-c", "sleep 2; exit 3");
        var r = (await box.Run(TimeSpan.FromSeconds(30), "wait", id)).ShouldSucceed();
        Assert.Equal("3\n", r.Stdout);
        await box.WaitUntilGone(id);
    }

    // ---- kill ----

    [Fact]
    public async Task Kill_s_delivers_the_signal_to_a_trap()
    {
        var id = await box.RunDetached("busybox", "sh", "-c", "trap 'echo got-usr1; exit 11' USR1; echo ready; while :; do sleep 0.1; done");
        await WaitForLogLine(id, "ready");
        (await box.Run("kill", "-s", "USR1", id)).ShouldSucceed();
        Assert.Equal(11, await box.Wait(id));
        Assert.Equal(["ready", "got-usr1"], (await box.Run("logs", id)).ShouldSucceed().StdoutLines);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Kill_with_a_bad_signal_is_an_error_and_the_container_keeps_running()
    {
        var id = await box.RunDetached("busybox", "sleep", "1000");
        var r = await box.Run("kill", "-s", "BADSIG", id);
        // Not a gocker run/create error: the other commands fail with 1, as Docker's CLI does.
        r.ShouldExit(1);
        Assert.Contains("BADSIG", r.Stderr);
        Assert.Equal("true", await box.Inspect(id, "{{.State.Running}}"));
        Assert.True(await box.PsRowOf(id) is { IsUp: true });
        (await box.Run("rm", "-f", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Kill_of_a_stopped_container_is_an_error()
    {
        var id = await box.RunDetached("busybox", "true");
        Assert.Equal(0, await box.Wait(id));
        var r = (await box.Run("kill", id)).ShouldExit(1);
        Assert.Contains("is not running", r.Stderr);
        var created = await box.Create("busybox", "true");
        (await box.Run("kill", created)).ShouldExit(1);
        (await box.Run("rm", id, created)).ShouldSucceed();
    }

    // ---- rm ----

    [Fact]
    public async Task Rm_of_a_running_container_needs_force()
    {
        var id = await box.RunDetached("busybox", "sleep", "1000");
        int init = await box.InitPid(id);

        var r = (await box.Run("rm", id)).ShouldExit(1);
        Assert.Contains("running", r.Stderr);
        Assert.True(await box.PsRowOf(id) is { IsUp: true }, "rm without -f must leave a running container running");
        Assert.True(ProcFs.IsLive(init));

        (await box.Run("rm", "-f", id)).ShouldSucceed();
        await box.AssertGone(id);
        await Poll.Until(() => !(ProcFs.Argv(init) is ["sleep", "1000"] && ProcFs.IsLive(init)), "the container's sleep to be killed",
            TimeSpan.FromSeconds(10));
    }

    // ---- create / start ----

    [Fact]
    public async Task Create_start_wait_and_the_output_is_in_the_logs()
    {
        var id = await box.Create("busybox", "sh", "-c", "echo from-create; exit 4");
        var row = await box.PsRowOf(id);
        Assert.True(row is { Status: "Created", State: "created" }, $"ps -a: {row}");
        Assert.Equal("created false", await box.Inspect(id, "{{.State.Status}} {{.State.Running}}"));
        Assert.DoesNotContain(id[..12], (await box.Run("ps", "-q")).ShouldSucceed().StdoutLines);

        (await box.Run("start", id)).ShouldSucceed();
        Assert.Equal(4, await box.Wait(id));
        Assert.Equal("from-create\n", (await box.Run("logs", id)).ShouldSucceed().Stdout);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Start_a_shows_the_output_live_and_exits_with_the_container_code()
    {
        var id = await box.Create("busybox", "sh", "-c",
            "echo first; echo to-stderr >&2; trap 'echo last; exit 6' TERM; while :; do sleep 0.1; done");
        using var attached = box.Start("start", "-a", id);
        // "first" arrives while the container still runs: live, not replayed at the end.
        await attached.WaitForLineAsync("first");
        Assert.False(attached.HasExited);
        Assert.Equal("true", await box.Inspect(id, "{{.State.Running}}"));
        (await box.Run("stop", id)).ShouldSucceed();
        var r = (await attached.WaitForExitAsync()).ShouldExit(6);
        Assert.Equal(["first", "last"], r.StdoutLines);
        Assert.Equal("to-stderr\n", r.Stderr);
        (await box.Run("rm", id)).ShouldSucceed();
    }

    [Fact]
    public async Task Start_of_an_exited_container_runs_it_again_on_the_same_filesystem()
    {
        var id = await box.Create("busybox", "sh", "-c", "cat /f 2>/dev/null; echo x >> /f");
        var first = (await box.Run("start", "-a", id)).ShouldSucceed();
        Assert.Equal("", first.Stdout);
        var second = (await box.Run("start", "-a", id)).ShouldSucceed();
        Assert.Equal("x\n", second.Stdout);
        Assert.Equal("exited 0", await box.Inspect(id, "{{.State.Status}} {{.State.ExitCode}}"));
        (await box.Run("rm", id)).ShouldSucceed();
        await box.AssertGone(id);
    }

    // ---- names and lookup ----

    [Fact]
    public async Task Name_conflict_is_refused_and_the_name_is_reusable_after_rm()
    {
        var name = NewName("dup");
        var id = await box.Create("--name", name, "busybox", "true");
        var before = await box.Snapshot();
        Assert.Contains("Conflict", (await box.Run("create", "--name", name, "busybox", "true")).ShouldBeGockerError());
        Assert.Contains("Conflict", (await box.Run("run", "--name", name, "busybox", "true")).ShouldBeGockerError());
        Assert.Contains("Conflict", (await box.Run("run", "-d", "--name", name, "busybox", "true")).ShouldBeGockerError());
        await box.AssertNothingNew(before);

        (await box.Run("rm", name)).ShouldSucceed();
        await box.AssertGone(id);
        var again = await box.Create("--name", name, "busybox", "true");
        Assert.NotEqual(id, again);
        Assert.Equal(again, await box.Inspect(name, "{{.Id}}"));
        (await box.Run("rm", name)).ShouldSucceed();
    }

    [Fact]
    public async Task Generated_names_are_unique_and_docker_like()
    {
        var ids = new List<string>();
        for (int i = 0; i < 5; i++)
            ids.Add(await box.Create("busybox", "true"));
        var names = (await box.PsAll()).Where(r => ids.Contains(r.Id)).Select(r => r.Name).ToList();
        Assert.Equal(5, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+_[a-z]+_[0-9a-z]+$", n));
        (await box.Run(["rm", .. ids])).ShouldSucceed();
    }

    [Fact]
    public async Task Containers_are_found_by_full_id_unique_prefix_or_name_and_an_ambiguous_prefix_is_an_error()
    {
        var name = NewName("find");
        var id = await box.Create("--name", name, "busybox", "true");
        foreach (var key in new[] { id, id[..12], name })
            Assert.Equal(id, await box.Inspect(key, "{{.Id}}"));

        // Create containers until two of them share a first hex digit (17 at most); that digit is
        // then an ambiguous prefix.
        var ids = new List<string> { id };
        string? prefix = null;
        while (prefix is null)
        {
            ids.Add(await box.Create("busybox", "true"));
            var all = (await box.PsAll()).Select(r => r.Id).ToList();
            prefix = all.GroupBy(i => i[..1]).FirstOrDefault(g => g.Count() > 1)?.Key;
            Assert.True(ids.Count <= 17, "17 ids cannot all start with different hex digits");
        }
        var sharing = (await box.PsAll()).Select(r => r.Id).Where(i => i.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        var r = (await box.Run("inspect", prefix)).ShouldExit(1);
        Assert.Contains("multiple", r.Stderr);
        var rm = (await box.Run("rm", prefix)).ShouldExit(1);
        Assert.Contains("multiple", rm.Stderr);
        foreach (var s in sharing)
            Assert.NotNull(await box.PsRowOf(s));   // an ambiguous rm removes nothing

        // The shortest prefix that is unique works.
        var all2 = (await box.PsAll()).Select(x => x.Id).ToList();
        var target = sharing[0];
        int len = Enumerable.Range(1, 64).First(n => all2.Count(i => i.StartsWith(target[..n], StringComparison.Ordinal)) == 1);
        Assert.Equal(target, await box.Inspect(target[..len], "{{.Id}}"));

        (await box.Run(["rm", .. ids])).ShouldSucceed();
        foreach (var i in ids)
            await box.AssertGone(i);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("start")]
    [InlineData("stop")]
    [InlineData("kill")]
    [InlineData("rm")]
    [InlineData("wait")]
    [InlineData("logs")]
    public async Task Unknown_container_is_an_error_with_exit_1(string command)
    {
        var r = (await box.Run(command, "nosuch-container")).ShouldExit(1);
        Assert.Contains("No such container: nosuch-container", r.Stderr);
    }

    // ---- inspect ----

    [Fact]
    public async Task Inspect_is_a_json_array_in_docker_shape()
    {
        var name = NewName("insp");
        var id = await box.RunDetached("--name", name, "-e", "FOO=bar", "-w", "/tmp", "-h", "myhost", "busybox", "sleep", "1000");
        int init = await box.InitPid(id);
        var r = (await box.Run("inspect", name)).ShouldSucceed();
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        Assert.Equal(1, doc.RootElement.GetArrayLength());
        var c = doc.RootElement[0];
        Assert.Equal(id, c.GetProperty("Id").GetString());
        Assert.Equal("/" + name, c.GetProperty("Name").GetString());
        var state = c.GetProperty("State");
        Assert.Equal("running", state.GetProperty("Status").GetString());
        Assert.True(state.GetProperty("Running").GetBoolean());
        Assert.Equal(init, state.GetProperty("Pid").GetInt32());
        Assert.False(state.GetProperty("OOMKilled").GetBoolean());
        Assert.True(DateTimeOffset.TryParse(state.GetProperty("StartedAt").GetString(), out var started), "StartedAt is not a date");
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - started).TotalMinutes) < 5, $"StartedAt {started} is not now");
        var config = c.GetProperty("Config");
        Assert.Equal("myhost", config.GetProperty("Hostname").GetString());
        Assert.Equal("/tmp", config.GetProperty("WorkingDir").GetString());
        Assert.Equal("busybox", config.GetProperty("Image").GetString());
        Assert.Equal(["sleep", "1000"], config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Contains("FOO=bar", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.False(c.GetProperty("HostConfig").GetProperty("AutoRemove").GetBoolean());

        (await box.Run("stop", "-t", "0", id)).ShouldSucceed();
        using var after = JsonDocument.Parse((await box.Run("inspect", id)).ShouldSucceed().Stdout);
        var stopped = after.RootElement[0].GetProperty("State");
        Assert.False(stopped.GetProperty("Running").GetBoolean());
        Assert.Equal(137, stopped.GetProperty("ExitCode").GetInt32());
        Assert.True(DateTimeOffset.Parse(stopped.GetProperty("FinishedAt").GetString()!) >= started);

        // Several at once: one array, in order.
        var other = await box.Create("busybox", "true");
        using var two = JsonDocument.Parse((await box.Run("inspect", name, other)).ShouldSucceed().Stdout);
        Assert.Equal([id, other], two.RootElement.EnumerateArray().Select(e => e.GetProperty("Id").GetString()!).ToArray());
        (await box.Run("rm", id, other)).ShouldSucceed();
    }

    [Fact]
    public async Task Inspect_of_an_unknown_container_exits_1()
    {
        var r = (await box.Run("inspect", "nosuch")).ShouldExit(1);
        Assert.Contains("No such container: nosuch", r.Stderr);
        var f = (await box.Run("inspect", "-f", "{{.Id}}", "nosuch")).ShouldExit(1);
        Assert.Equal("", f.Stdout.Trim());
    }
}
