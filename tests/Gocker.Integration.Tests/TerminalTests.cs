using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>-t gives the container a pty of its own; driven through real terminals (script, tmux).
/// Every run here has --rm: the root is empty between tests.</summary>
public sealed class TerminalTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    /// <summary>util-linux script: runs the command line on a fresh pty, exits with its status.</summary>
    private Task<GockerResult> InScript(string commandLine, string? stdin = null) =>
        ProcessRunner.RunAsync(new ProcessSpec
        {
            FileName = "script",
            Args = ["-q", "-e", "-c", commandLine, "/dev/null"],
            Env = new() { ["SHELL"] = "/bin/sh" },
            Stdin = stdin,
        });

    [Fact]
    public async Task Tty_gives_a_pty_with_term_xterm()
    {
        var cmd = box.ShellCommand("run", "--rm", "-t", "busybox", "sh", "-c",
            "tty; test -t 0 && echo stdin-is-tty; test -t 1 && echo stdout-is-tty; echo TERM=$TERM; env | grep -c ^TERM=");
        var r = (await InScript(cmd)).ShouldSucceed();
        Assert.Equal(["/dev/pts/0", "stdin-is-tty", "stdout-is-tty", "TERM=xterm", "1"], Lines(r.Stdout));
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Without_tty_there_is_no_terminal_even_on_a_terminal()
    {
        // As with docker run: without -t the container's stdout is not the caller's terminal (the
        // host's tty must not be reachable from inside: stty, TIOCSTI, job control on it).
        var cmd = box.ShellCommand("run", "--rm", "busybox", "sh", "-c", "test -t 1 && echo tty || echo notty; echo TERM=${TERM-unset}");
        var r = (await InScript(cmd)).ShouldSucceed();
        Assert.Equal(["notty", "TERM=unset"], Lines(r.Stdout));
    }

    [Fact]
    public async Task Without_tty_the_container_cannot_change_the_host_terminal()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string done = Path.Combine(box.Scratch, $"done-{id}"),
            before = Path.Combine(box.Scratch, $"stty-before-{id}"),
            after = Path.Combine(box.Scratch, $"stty-after-{id}");
        // stdout is the only stream that could be the caller's terminal; try to turn its echo off.
        var gocker = box.ShellCommand("run", "--rm", "busybox", "sh", "-c", "stty -echo <&1; echo stty-rc=$?");
        var outer = $"stty -g > {Shell.Quote(before)}; {gocker}; stty -g > {Shell.Quote(after)}; touch {Shell.Quote(done)}; sleep 60";
        await using var tmux = await Tmux.StartAsync(box.Scratch, 80, 24, "sh -c " + Shell.Quote(outer));
        await Poll.Until(() => File.Exists(done), "gocker to end");
        Assert.True(File.ReadAllText(before) == File.ReadAllText(after),
            $"a container run without -t changed the host terminal's settings; screen:\n{await tmux.Capture()}");
    }

    [Fact]
    public async Task Exit_status_comes_back_through_the_pty()
    {
        var cmd = box.ShellCommand("run", "--rm", "-t", "busybox", "sh", "-c", "echo out; exit 5");
        var r = (await InScript(cmd)).ShouldExit(5);
        Assert.Equal(["out"], Lines(r.Stdout));
    }

    [Fact]
    public async Task Interactive_shell_in_tmux_sees_the_window_size_and_restores_the_terminal()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string exitFile = Path.Combine(box.Scratch, $"exit-{id}"),
            before = Path.Combine(box.Scratch, $"stty-before-{id}"),
            after = Path.Combine(box.Scratch, $"stty-after-{id}");
        var gocker = box.ShellCommand("run", "--rm", "-it", "busybox", "sh");
        var outer = $"stty -g > {Shell.Quote(before)}; {gocker}; echo EXIT=$? > {Shell.Quote(exitFile)}.tmp; " +
                    $"stty -g > {Shell.Quote(after)}; mv {Shell.Quote(exitFile)}.tmp {Shell.Quote(exitFile)}; sleep 60";
        await using var tmux = await Tmux.StartAsync(box.Scratch, 100, 30, "sh -c " + Shell.Quote(outer));

        await tmux.WaitForScreen(s => s.Contains("/ #"), "the container shell's prompt");
        await tmux.TypeLine("stty size; tty");
        await tmux.WaitForScreen(s => s.Contains("30 100") && s.Contains("/dev/pts/0"), "'30 100' and /dev/pts/0");

        await tmux.TypeLine("exit 7");
        await Poll.Until(() => File.Exists(exitFile), "gocker to end and the outer shell to record its status");
        Assert.Equal("EXIT=7", File.ReadAllText(exitFile).Trim());
        // gocker put the terminal in raw mode for -it; it must be as it was afterwards.
        Assert.Equal(File.ReadAllText(before), File.ReadAllText(after));
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Interactive_input_reaches_the_container()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string exitFile = Path.Combine(box.Scratch, $"exit-{id}");
        var gocker = box.ShellCommand("run", "--rm", "-it", "busybox", "sh", "-c",
            "echo ready; read line; echo \"got <$line>\"; read other; exit 3");
        var outer = $"{gocker}; echo EXIT=$? > {Shell.Quote(exitFile)}.tmp; mv {Shell.Quote(exitFile)}.tmp {Shell.Quote(exitFile)}; sleep 60";
        await using var tmux = await Tmux.StartAsync(box.Scratch, 80, 24, "sh -c " + Shell.Quote(outer));

        await tmux.WaitForScreen(s => s.Contains("ready"), "the container to be ready");
        await tmux.TypeLine("hello there");
        await tmux.WaitForScreen(s => s.Contains("got <hello there>"), "the echoed line");
        await tmux.TypeLine("bye");
        await Poll.Until(() => File.Exists(exitFile), "gocker to end");
        Assert.Equal("EXIT=3", File.ReadAllText(exitFile).Trim());
    }

    [Fact]
    public async Task Ctrl_c_on_the_terminal_goes_to_the_container()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string exitFile = Path.Combine(box.Scratch, $"exit-{id}");
        var gocker = box.ShellCommand("run", "--rm", "-it", "busybox", "sh", "-c",
            "trap 'echo caught-int; exit 9' INT; echo ready; while :; do sleep 0.1; done");
        var outer = $"{gocker}; echo EXIT=$? > {Shell.Quote(exitFile)}.tmp; mv {Shell.Quote(exitFile)}.tmp {Shell.Quote(exitFile)}; sleep 60";
        await using var tmux = await Tmux.StartAsync(box.Scratch, 80, 24, "sh -c " + Shell.Quote(outer));

        await tmux.WaitForScreen(s => s.Contains("ready"), "the container to be ready");
        await tmux.SendKey("C-c");
        await Poll.Until(() => File.Exists(exitFile), "gocker to end");
        Assert.Equal("EXIT=9", File.ReadAllText(exitFile).Trim());
        Assert.Contains("caught-int", await tmux.Capture());
    }

    private static string[] Lines(string s) => GockerResult.SplitLines(s.Replace("\r", ""));
}

/// <summary>Its own root: on failure its gocker lives on (until the sandbox kills it) and keeps a
/// container directory that other tests' leftover checks would see.</summary>
public sealed class TerminalHangupTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task Hangup_of_the_terminal_ends_an_interactive_container()
    {
        // Closing the terminal (here: the tmux server goes away) must not leave gocker and its
        // container running forever, as a shell on a closed terminal would not be: the monitor hangs
        // up the container's pty, its shell ends, and the container is recorded as exited.
        var name = $"hup-{Guid.NewGuid():N}"[..16];
        var gocker = box.ShellCommand("run", "-it", "--name", name, "busybox", "sh");
        var tmux = await Tmux.StartAsync(box.Scratch, 80, 24, gocker);
        List<int> pids;
        try
        {
            await tmux.WaitForScreen(s => s.Contains("/ #"), "the container shell's prompt");
            pids = box.GockerProcesses();
            Assert.NotEmpty(pids);
            Assert.True(await box.PsRowOf(name) is { IsUp: true }, "the container should be Up while its shell runs");
        }
        finally
        {
            await tmux.DisposeAsync();   // kill-server: the pty is hung up
        }
        await Poll.Until(() => !pids.Any(p => box.GockerProcesses().Contains(p)),
            "gocker (client and monitor) to end after its terminal was hung up", TimeSpan.FromSeconds(10));
        var row = await box.PsRowOf(name);
        Assert.True(row is not null && row.Status.StartsWith("Exited", StringComparison.Ordinal), $"ps -a after the hangup: {row}");
        (await box.Run("rm", name)).ShouldSucceed();
        box.AssertNoLeftoverContainers();
    }
}
