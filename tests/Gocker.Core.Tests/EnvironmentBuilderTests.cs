using Gocker.Core.Containers;

namespace Gocker.Core.Tests;

public class EnvironmentBuilderTests
{
    private static string? NoHost(string _) => null;

    [Fact]
    public void DefaultsArePathAndHostname()
    {
        var env = EnvironmentBuilder.Build("h1", tty: false, [], [], NoHost);
        Assert.Equal([$"PATH={EnvironmentBuilder.DefaultPath}", "HOSTNAME=h1"], env);
    }

    [Fact]
    public void TtyAddsTerm() =>
        Assert.Contains("TERM=xterm", EnvironmentBuilder.Build("h", tty: true, [], [], NoHost));

    [Fact]
    public void ValuesKeepCommasAndEquals() =>
        Assert.Contains("A=1,2,3=4", EnvironmentBuilder.Build("h", false, [], ["A=1,2,3=4"], NoHost));

    [Fact]
    public void LaterAssignmentsWinAndKeepTheirPlace()
    {
        var env = EnvironmentBuilder.Build("h", false, ["X=image"], ["PATH=/bin", "X=user", "X=last"], NoHost);
        Assert.Equal(["PATH=/bin", "HOSTNAME=h", "X=last"], env);
    }

    [Fact]
    public void BareKeyTakesTheHostValueOrIsDropped()
    {
        var env = EnvironmentBuilder.Build("h", false, [], ["FOO", "MISSING"], k => k == "FOO" ? "bar" : null);
        Assert.Contains("FOO=bar", env);
        Assert.DoesNotContain(env, e => e.StartsWith("MISSING"));
    }

    [Fact]
    public void KeysWithWhitespaceAreRefused()
    {
        var e = Assert.Throws<GockerException>(() => EnvironmentBuilder.Build("h", false, [], ["A B=1"], NoHost));
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void EmptyKeyIsRefused() =>
        Assert.Throws<GockerException>(() => EnvironmentBuilder.Build("h", false, [], ["=x"], NoHost));

    [Fact]
    public void EnvFileSkipsCommentsAndBlankLinesAndKeepsValuesVerbatim()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\n\nA=1\n  B=\"quoted\" value\nC=x#y\n");
            Assert.Equal(["A=1", "B=\"quoted\" value", "C=x#y"], EnvironmentBuilder.ReadEnvFile(path).ToList());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MissingEnvFileIsAGockerError() =>
        Assert.Throws<GockerException>(() => EnvironmentBuilder.ReadEnvFile("/nonexistent/env").ToList());
}
