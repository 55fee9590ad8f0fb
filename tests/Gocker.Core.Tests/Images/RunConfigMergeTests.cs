using Gocker.Core.Images;

namespace Gocker.Core.Tests.Images;

/// <summary>Docker's combination of the image config with the command line, case by case.</summary>
public sealed class RunConfigMergeTests
{
    private static readonly ImageRunConfig Image = new()
    {
        Entrypoint = ["/ep"], Cmd = ["c1"], WorkingDir = "/img", User = "imguser", StopSignal = "SIGQUIT",
        Env = ["A=1"], ExposedPorts = new() { ["80/tcp"] = new(), ["53/udp"] = new() },
    };

    [Theory]
    // command line         --entrypoint   expected args
    [InlineData("",          null,          "/ep c1")]
    [InlineData("x y",       null,          "/ep x y")]
    [InlineData("",          "/other",      "/other")]
    [InlineData("x",         "/other",      "/other x")]
    [InlineData("x",         "",            "x")]
    public void Entrypoint_and_cmd(string command, string? entrypoint, string expected)
    {
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var m = RunConfigMerge.Merge(Image, args, entrypoint, null, null, null);
        Assert.Equal(expected, string.Join(' ', m.Args));
    }

    [Fact]
    public void No_command_at_all_is_an_error()
    {
        Assert.Throws<GockerException>(() => RunConfigMerge.Merge(null, [], null, null, null, null));
        Assert.Throws<GockerException>(() => RunConfigMerge.Merge(Image, [], "", null, null, null));
    }

    [Theory]
    [InlineData(null, null, null, "/img", "imguser", "SIGQUIT")]
    [InlineData("/w", "root", "SIGINT", "/w", "root", "SIGINT")]
    [InlineData("", "", "", "/img", "imguser", "SIGQUIT")]
    public void Flags_win_over_the_image(string? w, string? u, string? s, string wd, string user, string signal)
    {
        var m = RunConfigMerge.Merge(Image, ["x"], null, w, u, s);
        Assert.Equal((wd, user, signal), (m.WorkingDir, m.User, m.StopSignal));
    }

    [Fact]
    public void Image_env_and_ports_are_carried()
    {
        var m = RunConfigMerge.Merge(Image, ["x"], null, null, null, null);
        Assert.Equal(["A=1"], m.ImageEnv);
        Assert.Equal(["53/udp", "80/tcp"], m.ExposedPorts);
    }

    [Fact]
    public void Image_path_replaces_the_default_and_the_command_line_overrides_by_key()
    {
        var env = Gocker.Core.Containers.EnvironmentBuilder.Build("h", false, ["PATH=/img/bin", "A=img", "B=img"], ["A=cli"], _ => null);
        Assert.Equal(["PATH=/img/bin", "HOSTNAME=h", "A=cli", "B=img"], env);
        var noPath = Gocker.Core.Containers.EnvironmentBuilder.Build("h", false, ["A=img"], [], _ => null);
        Assert.Contains($"PATH={Gocker.Core.Containers.EnvironmentBuilder.DefaultPath}", noPath);
    }
}
