using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>A gocker process killed outright. As with Docker (where the daemon keeps a container),
/// killing the `gocker run` client does not touch its container: its monitor keeps it. Killing the
/// monitor takes the container with it (parent-death signal), and the store must then say so.
/// Its own root: a failure here leaves containers running until the sandbox kills them.</summary>
public sealed class KilledGockerTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    /// <summary>A sleep long enough, whose argument tells this test's process from any other.</summary>
    private static string UniqueSleep() => (100_000 + Random.Shared.Next(0, 900_000)).ToString();

    [Fact]
    public async Task Killing_the_gocker_run_client_leaves_the_container_running_until_stop()
    {
        var name = $"client-{Guid.NewGuid():N}"[..16];
        var marker = UniqueSleep();
        using var gocker = box.Start("run", "--name", name, "busybox", "sh", "-c", $"echo ready; exec sleep {marker}");
        await gocker.WaitForLineAsync("ready");
        int init = await box.InitPid(name);
        await Poll.Until(() => ProcFs.Argv(init) is ["sleep", var a] && a == marker, "the container's init to exec sleep");

        gocker.Signal(Sig.KILL);
        Assert.Equal(128 + Sig.KILL, await gocker.WaitForProcessExitAsync());

        // The container lives on under its monitor: same process, listed as Up, inspect says running.
        Assert.True(ProcFs.IsLive(init), "the container's init died with the gocker run client");
        Assert.Contains(init, ProcFs.LiveProcessesWithArg(marker));
        var row = await box.PsRowOf(name);
        Assert.True(row is { IsUp: true }, $"ps -a: {row}");
        Assert.Equal($"true {init}", await box.Inspect(name, "{{.State.Running}} {{.State.Pid}}"));

        // stop ends it (sleep as PID 1 ignores SIGTERM: SIGKILL after the timeout), rm removes it.
        (await box.Run("stop", "-t", "1", name)).ShouldSucceed();
        Assert.Empty(ProcFs.LiveProcessesWithArg(marker));
        row = await box.PsRowOf(name);
        Assert.True(row is not null && row.Status.StartsWith("Exited (137)", StringComparison.Ordinal), $"ps -a after stop: {row}");
        (await box.Run("rm", name)).ShouldSucceed();
        await box.AssertGone(row.Id);
        await Poll.Until(() => box.GockerProcesses().Count == 0, "no gocker process of this root to be left", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Killing_the_monitor_takes_the_container_with_it_and_ps_says_so()
    {
        var name = $"monitor-{Guid.NewGuid():N}"[..16];
        var marker = UniqueSleep();
        var id = await box.RunDetached("--name", name, "busybox", "sh", "-c", $"exec sleep {marker}");
        int init = await box.InitPid(id);
        await Poll.Until(() => ProcFs.Argv(init) is ["sleep", var a] && a == marker, "the container's init to exec sleep");

        // The monitor is the init's parent (field 4 of /proc/PID/stat); make sure it is this
        // container's before killing it.
        int monitor = ProcFs.ParentPid(init);
        var argv = ProcFs.Argv(monitor) ?? [];
        Assert.True(argv.Length > 0 && argv[0] == "gocker-monitor" && argv.Contains($"id={id}"),
            $"the parent of the container's init ({monitor}) is not its monitor: {string.Join(' ', argv)}");
        Libc.Kill(monitor, Sig.KILL);

        // The container dies too (parent-death signal)...
        await Poll.Until(() => ProcFs.LiveProcessesWithArg(marker).Count == 0, "the container's sleep to die with its monitor",
            TimeSpan.FromSeconds(10));

        // ...and the store must not go on saying "Up" forever: nobody is left to record an exit, so
        // ps -a and inspect find the monitor gone and show the container as Dead, not running.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        PsRow? row;
        while ((row = await box.PsRowOf(id)) is { IsUp: true } && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(row is not null, "the container vanished from ps -a although nobody removed it");
        Assert.True(row.Status == "Dead" && row.State == "dead",
            $"ps -a shows '{row.Status}' ({row.State}) for a container whose monitor and init were killed " +
            $"(init {init} is {(ProcFs.IsZombie(init) ? "a zombie not yet reaped by the host's pid 1" : ProcFs.IsLive(init) ? "alive" : "gone")})");
        Assert.Equal("dead false", await box.Inspect(id, "{{.State.Status}} {{.State.Running}}"));

        // rm cleans it up.
        (await box.Run("rm", name)).ShouldSucceed();
        await box.AssertGone(id);
        await Poll.Until(() => box.GockerProcesses().Count == 0, "no gocker process of this root to be left", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Killed_client_does_not_keep_its_output_open()
    {
        // Once the gocker run client is gone, nothing of it may keep writing to where its stdout went
        // (the user's terminal, or a pipe whose reader then never sees EOF): with Docker the CLI's
        // output ends with the CLI. The container itself runs on, and its output goes to its log.
        var name = $"pipe-{Guid.NewGuid():N}"[..16];
        using var gocker = box.Start("run", "--name", name, "busybox", "sh", "-c",
            "echo ready; trap 'exit 0' TERM; while :; do echo tick; sleep 0.2; done");
        await gocker.WaitForLineAsync("ready");
        gocker.Signal(Sig.KILL);
        Assert.Equal(128 + Sig.KILL, await gocker.WaitForProcessExitAsync());
        try
        {
            var closed = await Task.WhenAny(gocker.StdoutClosed, Task.Delay(TimeSpan.FromSeconds(5))) == gocker.StdoutClosed;
            Assert.True(closed, "the killed gocker run's stdout is still open 5 s later (held by its container's monitor), " +
                                $"with the container still writing to it:\n{gocker.StdoutSoFar}");
            Assert.True(await box.PsRowOf(name) is { IsUp: true }, "the container should run on");
            Assert.Contains("tick", (await box.Run("logs", "--tail", "1", name)).ShouldSucceed().Stdout);
        }
        finally
        {
            (await box.Run("rm", "-f", name)).ShouldSucceed();
        }
    }

    [Fact]
    public async Task A_dead_init_not_yet_reaped_is_not_running()
    {
        // After its monitor is killed, the container's init is an orphan: it dies (parent-death
        // signal) and stays a zombie until the host's pid 1 reaps it, which may take a while. A zombie
        // runs nothing: from the moment the init is dead, ps must not say "Up".
        var id = await box.RunDetached("busybox", "sleep", "1000");
        int init = await box.InitPid(id);
        await Poll.Until(() => ProcFs.Argv(init) is ["sleep", "1000"], "the container's init to exec sleep");
        int monitor = ProcFs.ParentPid(init);
        var argv = ProcFs.Argv(monitor) ?? [];
        Assert.True(argv.Length > 0 && argv[0] == "gocker-monitor" && argv.Contains($"id={id}"), $"not the monitor: {string.Join(' ', argv)}");
        Libc.Kill(monitor, Sig.KILL);
        await Poll.Until(() => !ProcFs.IsLive(init), "the container's init to die with its monitor", TimeSpan.FromSeconds(10));
        bool zombie = ProcFs.IsZombie(init);
        var row = await box.PsRowOf(id);
        Assert.True(row is { IsUp: false }, $"ps -a shows '{row?.Status}' although the container's init is " +
            (zombie ? "dead (a zombie not yet reaped by the host's pid 1)" : "gone"));
        Assert.Equal("false", await box.Inspect(id, "{{.State.Running}}"));
        (await box.Run("rm", "-f", id)).ShouldSucceed();
        await box.AssertGone(id);
    }
}
