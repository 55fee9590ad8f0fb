using System.Text.Json.Nodes;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The image config as run honours it, combined with the command line as Docker does.</summary>
public sealed class ImageConfigTests(GockerSandbox box) : IClassFixture<GockerSandbox>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var path = Path.Combine(box.Scratch, "cfg.tar");
        TestImage.Busybox()
            .With("Entrypoint", new JsonArray("/bin/echo", "ep"))
            .With("Cmd", new JsonArray("c1", "c2"))
            .With("Env", new JsonArray("PATH=/bin:/sbin", "FROM_IMAGE=img", "OVERRIDE=img"))
            .With("WorkingDir", "/tmp")
            .With("User", "user")
            .With("StopSignal", "SIGUSR1")
            .With("ExposedPorts", new JsonObject { ["8080/tcp"] = new JsonObject() })
            .WriteDockerArchive(path, ["cfg:1"]);
        (await box.Run("load", "-i", path)).ShouldSucceed();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(new string[0], "ep c1 c2")]
    [InlineData(new[] { "x", "y" }, "ep x y")]
    [InlineData(new[] { "--entrypoint", "/bin/echo" }, "")]
    [InlineData(new[] { "--entrypoint", "/bin/echo", "a" }, "a")]
    public async Task Entrypoint_and_cmd_combine_as_docker_does(string[] args, string expected)
    {
        var split = Array.IndexOf(args, "--entrypoint") >= 0 ? 2 : 0;
        string[] run = ["run", "--rm", .. args[..split], "cfg:1", .. args[split..]];
        Assert.Equal(expected, (await box.Run(run)).ShouldSucceed().Stdout.TrimEnd('\n'));
    }

    [Fact]
    public async Task Empty_entrypoint_resets_it()
    {
        Assert.Equal("plain", (await box.Run("run", "--rm", "--entrypoint", "", "cfg:1", "echo", "plain")).ShouldSucceed().Stdout.Trim());
        Assert.Contains("no command specified", (await box.Run("run", "--rm", "--entrypoint", "", "cfg:1")).ShouldBeGockerError());
    }

    [Fact]
    public async Task Env_workdir_and_user_come_from_the_image_unless_given()
    {
        var r = (await box.Run("run", "--rm", "-e", "OVERRIDE=cli", "--entrypoint", "/bin/sh", "cfg:1", "-c",
            "echo $PATH $FROM_IMAGE $OVERRIDE; pwd; id -un")).ShouldSucceed();
        Assert.Equal(["/bin:/sbin img cli", "/tmp", "user"], r.StdoutLines);
        var given = (await box.Run("run", "--rm", "-w", "/etc", "-u", "root", "--entrypoint", "/bin/sh", "cfg:1", "-c", "pwd; id -un")).ShouldSucceed();
        Assert.Equal(["/etc", "root"], given.StdoutLines);
    }

    [Fact]
    public async Task Stop_uses_the_image_stop_signal_and_inspect_shows_the_config()
    {
        using var first = box.Start("run", "--name", "cfg-usr1", "--entrypoint", "/bin/sh", "cfg:1", "-c",
            "trap 'exit 7' USR1; echo ready; while true; do sleep 0.05; done");
        await first.WaitForLineAsync("ready");
        var id = "cfg-usr1";
        Assert.Equal("SIGUSR1", await box.Inspect(id, "{{.Config.StopSignal}}"));
        Assert.Equal("{\"8080/tcp\":{}}", await box.Inspect(id, "{{json .Config.ExposedPorts}}"));
        Assert.Equal("cfg:1", await box.Inspect(id, "{{.Config.Image}}"));
        var imageId = (await box.Run("images", "-q", "--no-trunc", "cfg:1")).ShouldSucceed().Stdout.Trim();
        Assert.Equal(imageId, await box.Inspect(id, "{{.Image}}"));
        (await box.Run("stop", "-t", "20", id)).ShouldSucceed();
        Assert.Equal(7, (await first.WaitForExitAsync()).ExitCode);
        (await box.Run("rm", id)).ShouldSucceed();
        // --stop-signal wins over the image's. The container says when its traps are set: a signal
        // before that would find PID 1 without a handler.
        using var run = box.Start("run", "--name", "cfg-stop", "--stop-signal", "SIGTERM", "--entrypoint", "/bin/sh", "cfg:1", "-c",
            "trap 'exit 7' USR1; trap 'exit 9' TERM; echo ready; while true; do sleep 0.05; done");
        await run.WaitForLineAsync("ready");
        (await box.Run("stop", "-t", "20", "cfg-stop")).ShouldSucceed();
        Assert.Equal(9, (await run.WaitForExitAsync()).ExitCode);
        (await box.Run("rm", "cfg-stop")).ShouldSucceed();
    }

    [Fact]
    public async Task Image_inspect_shows_docker_fields()
    {
        var r = (await box.Run("image", "inspect", "-f", "{{.Os}} {{index .RepoTags 0}} {{len .RootFS.Layers}} {{.Config.WorkingDir}}", "cfg:1")).ShouldSucceed();
        Assert.Equal("linux cfg:1 1 /tmp", r.Stdout.Trim());
        var viaInspect = (await box.Run("inspect", "-f", "{{.Id}}", "cfg:1")).ShouldSucceed().Stdout.Trim();
        Assert.Equal((await box.Run("images", "-q", "--no-trunc", "cfg:1")).Stdout.Trim(), viaInspect);
    }
}
