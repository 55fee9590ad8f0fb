using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>`gocker run` exits as `docker run` does: the command's status, 128+N for signal N, 126
/// for a command that cannot be invoked, 127 for one not found.</summary>
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
        var r = (await box.RunBusybox(command)).ShouldExit(expected);
        box.AssertNoLeftoverContainers();
        if (expected is 126 or 127)
            Assert.NotEmpty(r.Stderr);   // says why
    }

    [Theory]
    [InlineData(0, new[] { "true" })]
    [InlineData(5, new[] { "sh", "-c", "exit 5" })]
    [InlineData(127, new[] { "nosuchcmd" })]
    [InlineData(137, new[] { "sh", "-c", "kill -9 $$" })]
    [InlineData(143, new[] { "sh", "-c", "kill -TERM $$" })]
    public async Task Exit_status_through_init(int expected, string[] command)
    {
        (await box.Run(["run", "--init", "busybox", .. command])).ShouldExit(expected);
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Container_killed_from_the_host_gives_137()
    {
        using var gocker = box.Start("run", "busybox", "sh", "-c", "echo ready; exec sleep 100");
        await gocker.WaitForLineAsync("ready");

        // The container's pid 1 is gocker's child; once it has exec'd sleep, SIGKILL it from the host.
        int child = 0;
        await Poll.Until(() =>
        {
            foreach (var pid in gocker.ChildPids())
            {
                try
                {
                    if (File.ReadAllText($"/proc/{pid}/cmdline").StartsWith("sleep\0100", StringComparison.Ordinal))
                    {
                        child = pid;
                        return true;
                    }
                }
                catch (IOException) { }
            }
            return false;
        }, "the container's sleep to appear as gocker's child");
        Libc.Kill(child, Sig.KILL);

        (await gocker.WaitForExitAsync()).ShouldExit(137);
        box.AssertNoLeftoverContainers();
    }
}
