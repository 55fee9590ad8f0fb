using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>gocker's own errors (125, one "gocker: " line) and container names. Every test here
/// removes what it creates, so the root is empty between tests.</summary>
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
        Assert.Equal("/" + name, await box.Inspect(name, "{{.Name}}"));
        Assert.Equal(name, (await box.PsRowOf(name))?.Name);
        (await box.Run("rm", name)).ShouldSucceed();
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
    public async Task Name_is_unique_until_its_container_is_removed()
    {
        var name = $"it-{Guid.NewGuid():N}"[..16];
        using var first = box.Start("run", "--name", name, "busybox", "sh", "-c",
            "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.1; done");
        await first.WaitForLineAsync("ready");

        var before = await box.Snapshot();
        var second = await box.Run("run", "--name", name, "busybox", "true");
        var line = second.ShouldBeGockerError();
        Assert.Contains("Conflict", line);
        await box.AssertNothingNew(before);
        Assert.False(first.HasExited, "the conflicting run must not disturb the running container");

        // Another name works meanwhile, in the same root.
        (await box.Run("run", "--rm", "--name", name + "-b", "busybox", "true")).ShouldSucceed();

        first.Signal(Sig.TERM);
        var done = (await first.WaitForExitAsync()).ShouldSucceed();
        Assert.Contains("bye", done.StdoutLines);

        // As with Docker, an exited container keeps its name until it is removed.
        Assert.Contains("Conflict", (await box.Run("run", "--name", name, "busybox", "true")).ShouldBeGockerError());
        Assert.Contains("Conflict", (await box.Run("create", "--name", name, "busybox", "true")).ShouldBeGockerError());
        (await box.Run("rm", name)).ShouldSucceed();

        (await box.Run("run", "--rm", "--name", name, "busybox", "true")).ShouldSucceed();
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Name_of_an_auto_removed_container_is_released_when_it_is_killed()
    {
        var name = $"it-{Guid.NewGuid():N}"[..16];
        using (var first = box.Start("run", "--rm", "--name", name, "busybox", "sh", "-c", "echo ready; exec sleep 100"))
        {
            await first.WaitForLineAsync("ready");
            int init = await box.InitPid(name);
            await Poll.Until(() => ProcFs.Argv(init) is ["sleep", "100"], "the container's init to exec sleep");
            Libc.Kill(init, Sig.KILL);
            (await first.WaitForExitAsync()).ShouldExit(137);
        }
        (await box.Run("run", "--rm", "--name", name, "busybox", "true")).ShouldSucceed();
        box.AssertNoLeftoverContainers();
    }
}
