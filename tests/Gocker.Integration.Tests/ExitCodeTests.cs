using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>`gocker run` exits as `docker run` does: the command's status, 128+N for signal N, 126
/// for a command that cannot be invoked, 127 for one not found. Every test here removes what it
/// creates (--rm or rm), so the root is empty between tests.</summary>
public sealed class ExitCodeTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Theory]
    [InlineData(0, new[] { "true" })]
    [InlineData(1, new[] { "false" })]
    [InlineData(3, new[] { "sh", "-c", "exit 3" })]
    [InlineData(255, new[] { "sh", "-c", "exit 255" })]
    [InlineData(126, new[] { "/etc/passwd" })]
    [InlineData(126, new[] { "/tmp" })]
    [InlineData(127, new[] { "nosuchcmd" })]
    [InlineData(127, new[] { "/no/such/path" })]
    public async Task Exit_status_of_the_command(int expected, string[] command)
    {
        // Without --rm the container stays, Exited with the same code, until rm.
        var name = $"exit-{Guid.NewGuid():N}"[..16];
        var r = (await box.Run(["run", "--name", name, "busybox", .. command])).ShouldExit(expected);
        if (expected is 126 or 127)
            Assert.NotEmpty(r.Stderr);   // says why
        Assert.Equal($"exited false {expected}", await box.Inspect(name, "{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}"));
        (await box.Run("rm", name)).ShouldSucceed();
        box.AssertNoLeftoverContainers();
    }

    [Theory]
    [InlineData(0, new[] { "true" })]
    [InlineData(5, new[] { "sh", "-c", "exit 5" })]
    [InlineData(127, new[] { "nosuchcmd" })]
    [InlineData(137, new[] { "sh", "-c", "kill -9 $$" })]
    [InlineData(143, new[] { "sh", "-c", "kill -TERM $$" })]
    public async Task Exit_status_through_init(int expected, string[] command)
    {
        (await box.Run(["run", "--rm", "--init", "busybox", .. command])).ShouldExit(expected);
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Container_killed_from_the_host_gives_137()
    {
        var name = $"killed-{Guid.NewGuid():N}"[..16];
        using var gocker = box.Start("run", "--rm", "--name", name, "busybox", "sh", "-c", "echo ready; exec sleep 100");
        await gocker.WaitForLineAsync("ready");

        // The container's pid 1 (the monitor's child, not gocker's): once it has exec'd sleep, SIGKILL
        // it from the host.
        int init = await box.InitPid(name);
        await Poll.Until(() => ProcFs.Argv(init) is ["sleep", "100"], "the container's init to exec sleep");
        Libc.Kill(init, Sig.KILL);

        (await gocker.WaitForExitAsync()).ShouldExit(137);
        box.AssertNoLeftoverContainers();
    }
}
