using System.Text;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The command's argv reaches it byte for byte, and options after IMAGE are its own.</summary>
public sealed class CommandLineTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static readonly string[] Awkward =
    [
        "hello world", "  leading and trailing  ", "it's", "say \"hi\"", "", "$HOME", "${PATH}", "`id`", "$(id)",
        "back\\slash", "\\n", "*", "?", "a;b|c&d>e", "tab\there", "new\nline", "ünïcødé ✓", "--name", "-e", "-it",
        "--", "%s %d", "~",
    ];

    private static string Bracketed(IEnumerable<string> args) => string.Concat(args.Select(a => $"[{a}]\n"));

    [Fact]
    public async Task Awkward_arguments_arrive_intact_through_printf()
    {
        var r = (await box.RunBusybox(["printf", "[%s]\\n", .. Awkward])).ShouldSucceed();
        Assert.Equal(Bracketed(Awkward), r.Stdout);
    }

    [Fact]
    public async Task Awkward_arguments_arrive_intact_through_sh()
    {
        var r = (await box.RunBusybox(["sh", "-c", "for a; do printf '[%s]\\n' \"$a\"; done", "x", .. Awkward])).ShouldSucceed();
        Assert.Equal(Bracketed(Awkward), r.Stdout);
    }

    [Fact]
    public async Task A_100_KB_argument_arrives_intact()
    {
        var sb = new StringBuilder();
        for (int i = 0; sb.Length < 100_000; i++)
            sb.Append(i).Append(i % 7 == 0 ? ' ' : '-');
        var big = sb.ToString();
        var r = (await box.RunBusybox("printf", "[%s]\\n", "before", big, "after")).ShouldSucceed();
        Assert.Equal(Bracketed(["before", big, "after"]), r.Stdout);
    }

    [Fact]
    public async Task Options_after_the_image_belong_to_the_command()
    {
        var ls = (await box.RunBusybox("ls", "-la", "/")).ShouldSucceed();
        Assert.Contains(ls.StdoutLines, l => l.StartsWith("d", StringComparison.Ordinal) && l.EndsWith(" proc", StringComparison.Ordinal));
        Assert.Contains(ls.StdoutLines, l => l.EndsWith(" ..", StringComparison.Ordinal));   // -a

        // gocker's own option names, after IMAGE, are plain arguments.
        string[] own = ["--rm", "-t", "-i", "--name", "x y", "-e", "A=B", "-h", "--init", "--root", "/nowhere", "-w", "/x"];
        var r = (await box.RunBusybox(["printf", "[%s]\\n", .. own])).ShouldSucceed();
        Assert.Equal(Bracketed(own), r.Stdout);
    }

    [Fact]
    public async Task Gocker_options_before_the_image_still_apply()
    {
        var r = (await box.Run("run", "-e", "A=1", "-w", "/tmp", "busybox", "sh", "-c", "echo $A; pwd")).ShouldSucceed();
        Assert.Equal(["1", "/tmp"], r.StdoutLines);
    }

    [Fact]
    public async Task Without_a_command_the_default_is_a_shell()
    {
        // Without -i stdin is /dev/null, so the shell reads EOF and exits 0 at once.
        (await box.Run(["run", "busybox"], stdin: "exit 9\n")).ShouldSucceed();
    }

    [Fact]
    public async Task Stdin_reaches_the_container_only_with_i()
    {
        var with = (await box.Run(["run", "-i", "busybox", "sh", "-c", "cat; exit 4"], stdin: "line one\nline two\n")).ShouldExit(4);
        Assert.Equal("line one\nline two\n", with.Stdout);

        var without = (await box.Run(["run", "busybox", "cat"], stdin: "should not be seen\n")).ShouldSucceed();
        Assert.Equal("", without.Stdout);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var r = (await box.Run("version")).ShouldSucceed();
        Assert.StartsWith("gocker version ", r.Stdout);
    }

    /// <summary>`gocker --version` alone is answered before any command is built (no root is read);
    /// it must print what System.CommandLine's --version prints: the informational version, the
    /// commit after a '+', the same X.Y.Z as `version`. With anything else it goes through the parser
    /// as before.</summary>
    [Fact]
    public async Task Dash_dash_version_prints_the_informational_version()
    {
        var r = (await ProcessRunner.RunAsync(new ProcessSpec { FileName = GockerBinary.Path, Args = ["--version"] })).ShouldSucceed();
        var line = Assert.Single(r.StdoutLines);
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+(\+[0-9a-f]{7,40})?$", line);
        var v = (await box.Run("version")).ShouldSucceed();
        Assert.Equal($"gocker version {line.Split('+')[0]}", v.Stdout.TrimEnd('\n'));
        Assert.Equal("", r.Stderr);

        var extra = await ProcessRunner.RunAsync(new ProcessSpec { FileName = GockerBinary.Path, Args = ["--version", "ps"] });
        Assert.Equal(125, extra.ExitCode);
        Assert.Equal("", extra.Stdout);
    }

    /// <summary>gocker builds only the command that the arguments name (the whole tree for help and
    /// errors): every command that help lists must be reachable that way, under its own name.</summary>
    [Fact]
    public async Task Every_command_listed_by_help_has_its_own_help()
    {
        var help = (await box.Run("--help")).ShouldSucceed();
        var verbs = help.StdoutLines.SkipWhile(l => l != "Commands:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.Contains("run", verbs);
        Assert.Contains("version", verbs);
        var exe = Path.GetFileName(GockerBinary.Path);
        foreach (var verb in verbs)
        {
            var r = (await box.Run(verb, "--help")).ShouldSucceed();
            Assert.Contains($"Usage:\n  {exe} {verb} ", r.Stdout);
        }
    }
}
