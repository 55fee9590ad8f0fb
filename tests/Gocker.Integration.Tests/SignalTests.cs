using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Signals sent to the `gocker run` process reach the container's PID 1 (and through
/// gocker-init, with --init, the command). Every run here has --rm: the root is empty between tests.</summary>
public sealed class SignalTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Theory]
    [InlineData(Sig.TERM, 42, false)]
    [InlineData(Sig.INT, 43, false)]
    [InlineData(Sig.HUP, 44, false)]
    [InlineData(Sig.USR1, 45, false)]
    [InlineData(Sig.USR2, 46, false)]
    [InlineData(Sig.QUIT, 47, false)]
    [InlineData(Sig.TERM, 52, true)]
    [InlineData(Sig.INT, 53, true)]
    [InlineData(Sig.USR1, 55, true)]
    public async Task Signal_to_gocker_reaches_the_container(int sig, int exitCode, bool init)
    {
        var name = Sig.Name(sig);
        string[] args = ["run", "--rm", .. (init ? new[] { "--init" } : []), "busybox", "sh", "-c",
            $"trap 'echo got {name}; exit {exitCode}' {name}; echo ready; while :; do sleep 0.1; done"];
        using var gocker = box.Start(args);
        await gocker.WaitForLineAsync("ready");   // the trap is installed
        gocker.Signal(sig);
        var r = (await gocker.WaitForExitAsync()).ShouldExit(exitCode);
        Assert.Contains($"got {name}", r.StdoutLines);
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Untrapped_term_through_init_ends_the_command_with_143()
    {
        // Without --init a PID 1 ignores signals it has no handler for; with it the command gets
        // the default action.
        using var gocker = box.Start("run", "--rm", "--init", "busybox", "sh", "-c", "echo ready; while :; do sleep 0.1; done");
        await gocker.WaitForLineAsync("ready");
        gocker.Signal(Sig.TERM);
        (await gocker.WaitForExitAsync()).ShouldExit(143);
        box.AssertNoLeftoverContainers();
    }
}

