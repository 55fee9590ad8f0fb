using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>gocker's own errors (125, one "gocker: " line) and container names.</summary>
public sealed class NameAndErrorTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Theory]
    [InlineData("bad name")]
    [InlineData("-leadingdash")]
    [InlineData("_leadingunderscore")]
    [InlineData("slash/inside")]
    [InlineData("ünicode")]
    public async Task Bad_name_is_a_gocker_error(string name)
    {
        (await box.Run("run", "--name", name, "busybox", "true")).ShouldBeGockerError();
        box.AssertNoLeftoverContainers();
    }

    [Theory]
    [InlineData("a")]
    [InlineData("web-1.example_x")]
    [InlineData("9lives")]
    public async Task Good_names_are_accepted(string name)
    {
        (await box.Run("run", "--name", name, "busybox", "true")).ShouldSucceed();
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Missing_image_is_a_gocker_error()
    {
        var line = (await box.Run("run", "nosuchimage", "true")).ShouldBeGockerError();
        Assert.Contains("nosuchimage", line);
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Name_is_unique_while_its_container_runs_and_reusable_after()
    {
        var name = $"it-{Guid.NewGuid():N}"[..16];
        using var first = box.Start("run", "--name", name, "busybox", "sh", "-c",
            "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.1; done");
        await first.WaitForLineAsync("ready");

        var second = await box.Run("run", "--name", name, "busybox", "true");
        var line = second.ShouldBeGockerError();
        Assert.Contains("Conflict", line);
        Assert.False(first.HasExited, "the conflicting run must not disturb the running container");

        // Another name works meanwhile, in the same root.
        (await box.Run("run", "--name", name + "-b", "busybox", "true")).ShouldSucceed();

        first.Signal(Sig.TERM);
        var done = (await first.WaitForExitAsync()).ShouldSucceed();
        Assert.Contains("bye", done.StdoutLines);

        (await box.Run("run", "--name", name, "busybox", "true")).ShouldSucceed();
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Name_is_released_when_its_container_is_killed()
    {
        var name = $"it-{Guid.NewGuid():N}"[..16];
        using (var first = box.Start("run", "--name", name, "busybox", "sh", "-c", "echo ready; exec sleep 100"))
        {
            await first.WaitForLineAsync("ready");
            await Poll.Until(() => first.ChildPids().Count > 0, "the container to be gocker's child");
            foreach (var pid in first.ChildPids())
                Libc.Kill(pid, Sig.KILL);
            (await first.WaitForExitAsync()).ShouldExit(137);
        }
        (await box.Run("run", "--name", name, "busybox", "true")).ShouldSucceed();
    }
}
