using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The container's environment: gocker's defaults and what -e/--env-file give, nothing of
/// the host's.</summary>
public sealed class EnvironmentTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static Dictionary<string, string> ParseEnv(GockerResult r)
    {
        var d = new Dictionary<string, string>();
        foreach (var line in r.StdoutLines)
        {
            int eq = line.IndexOf('=');
            Assert.True(eq > 0, $"not a KEY=VALUE line: '{line}'\n{r}");
            d[line[..eq]] = line[(eq + 1)..];
        }
        return d;
    }

    [Fact]
    public async Task Host_environment_is_not_inherited()
    {
        var key = $"GOCKER_IT_LEAK_{Guid.NewGuid():N}";
        var r = (await box.Run(["run", "busybox", "env"], env: new() { [key] = "leaked-value", ["FOO"] = "host-foo" })).ShouldSucceed();
        var env = ParseEnv(r);
        Assert.DoesNotContain(key, env.Keys);
        Assert.DoesNotContain("FOO", env.Keys);
        Assert.DoesNotContain("leaked-value", r.Stdout);
        Assert.Equal(["HOME", "HOSTNAME", "PATH"], env.Keys.Order().ToArray());
        Assert.Equal(DefaultPath, env["PATH"]);
        Assert.Equal("/root", env["HOME"]);
        Assert.Matches("^[0-9a-f]{12}$", env["HOSTNAME"]);
    }

    [Fact]
    public async Task E_values_keep_commas_and_equals_signs()
    {
        var r = (await box.Run("run", "-e", "A=1,2,3=4", "-e", "EMPTY=", "-e", "SPACED=a b  c", "busybox", "env")).ShouldSucceed();
        var env = ParseEnv(r);
        Assert.Equal("1,2,3=4", env["A"]);
        Assert.Equal("", env["EMPTY"]);
        Assert.Equal("a b  c", env["SPACED"]);
    }

    [Fact]
    public async Task Bare_e_takes_the_host_value_and_is_dropped_when_the_host_has_none()
    {
        var unset = $"GOCKER_IT_UNSET_{Guid.NewGuid():N}";
        var r = (await box.Run(["run", "-e", "FOO", "-e", unset, "busybox", "env"],
            env: new() { ["FOO"] = "from the host, with = and ,", [unset] = null })).ShouldSucceed();
        var env = ParseEnv(r);
        Assert.Equal("from the host, with = and ,", env["FOO"]);
        Assert.DoesNotContain(unset, env.Keys);
    }

    [Fact]
    public async Task Later_e_wins_and_e_can_override_defaults()
    {
        var r = (await box.Run("run", "-e", "X=1", "-e", "X=2", "-e", "HOME=/elsewhere", "busybox", "env")).ShouldSucceed();
        var env = ParseEnv(r);
        Assert.Equal("2", env["X"]);
        Assert.Equal("/elsewhere", env["HOME"]);
    }

    [Fact]
    public async Task Env_file_skips_comments_and_blank_lines()
    {
        var file = Path.Combine(box.Scratch, $"env-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, string.Join('\n',
            "# a comment",
            "",
            "   ",
            "ONE=1",
            "  TWO=two words",
            "#THREE=3",
            "  # indented comment",
            "LIST=a=b,c",
            "FROM_HOST",
            "OVERRIDDEN=file",
            ""));
        var r = (await box.Run(["run", "--env-file", file, "-e", "OVERRIDDEN=flag", "busybox", "env"],
            env: new() { ["FROM_HOST"] = "hostval" })).ShouldSucceed();
        var env = ParseEnv(r);
        Assert.Equal("1", env["ONE"]);
        Assert.Equal("two words", env["TWO"]);
        Assert.Equal("a=b,c", env["LIST"]);
        Assert.Equal("hostval", env["FROM_HOST"]);
        Assert.Equal("flag", env["OVERRIDDEN"]);
        Assert.DoesNotContain("THREE", env.Keys);
        Assert.DoesNotContain(env.Keys, k => k.Contains('#') || k.Trim().Length == 0);
    }

    [Fact]
    public async Task Missing_env_file_is_a_gocker_error()
    {
        var before = await box.Snapshot();
        var r = await box.Run("run", "--env-file", Path.Combine(box.Scratch, "no-such-file"), "busybox", "true");
        r.ShouldBeGockerError();
        await box.AssertNothingNew(before);
    }
}
