using Gocker.Core.Containers;
using Gocker.Core.Images;
using Gocker.Core.Process;

namespace Gocker.Core.Tests;

public class WaitStatusTests
{
    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0300, 3)]
    [InlineData(0x7f00, 127)]
    [InlineData(9, 137)]        // killed by SIGKILL
    [InlineData(15, 143)]       // killed by SIGTERM
    [InlineData(0x80 | 11, 139)] // SIGSEGV with a core dump
    public void ExitCodeAsDockerRunReportsIt(int status, int expected) =>
        Assert.Equal(expected, WaitStatus.ToExitCode(status));
}

public class StatusRecordTests
{
    [Fact]
    public void RoundTrips()
    {
        var r = new StatusRecord(127, 2, "exec: \"x y\": not found");
        Assert.Equal(r, StatusRecord.Parse(r.Format()));
    }

    [Fact]
    public void NoRecordMeansRunning() => Assert.Null(StatusRecord.Parse(""));

    [Fact]
    public void GarbageIsAGockerError() => Assert.Equal(125, StatusRecord.Parse("what")!.ExitCode);

    [Fact]
    public void MessagesStayOnOneLine() => Assert.DoesNotContain('\n', new StatusRecord(1, 0, "a\nb").Format().TrimEnd('\n'));
}

public class ContainerIdTests
{
    [Fact]
    public void IdsAre64HexAndDistinct()
    {
        var a = ContainerId.New();
        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.NotEqual(a, ContainerId.New());
        Assert.Equal(a[..12], ContainerId.Short(a));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("a.b_c-1")]
    [InlineData("9")]
    public void ValidNames(string name) => ContainerId.ValidateName(name);

    [Theory]
    [InlineData("")]
    [InlineData("bad name")]
    [InlineData("../etc")]
    [InlineData("-x")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("web\n")]
    public void InvalidNamesAre125(string name) =>
        Assert.Equal(125, Assert.Throws<GockerException>(() => ContainerId.ValidateName(name)).ExitCode);

    [Theory]
    [InlineData("myhost", true)]
    [InlineData("a.example-1.org", true)]
    [InlineData("-bad", false)]
    [InlineData("bad_host", false)]
    [InlineData("", false)]
    public void Hostnames(string name, bool valid)
    {
        if (valid) ContainerId.ValidateHostname(name);
        else Assert.Throws<GockerException>(() => ContainerId.ValidateHostname(name));
    }

    /// <summary>The checks are hand-written (no Regex on the run path): they must accept exactly what
    /// Docker's patterns accept, on random strings over the characters that matter. (\z, not $: the
    /// Regex the checks replace took a trailing newline, "web\n", for a valid name or hostname.)</summary>
    [Fact]
    public void Name_and_hostname_checks_agree_with_the_patterns()
    {
        var name = new System.Text.RegularExpressions.Regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*\\z");
        var host = new System.Text.RegularExpressions.Regex("^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*\\z");
        const string alphabet = "aZ09-._/ é\n";
        var rnd = new Random(1234);
        for (int i = 0; i < 20000; i++)
        {
            var chars = new char[rnd.Next(0, i % 100 == 0 ? 140 : 8)];
            for (int j = 0; j < chars.Length; j++)
                chars[j] = alphabet[rnd.Next(alphabet.Length)];
            var s = new string(chars);
            Assert.True(Accepts(() => ContainerId.ValidateName(s)) == (s.Length <= 128 && name.IsMatch(s)), $"name '{s}'");
            Assert.True(Accepts(() => ContainerId.ValidateHostname(s)) == (s.Length <= 64 && host.IsMatch(s)), $"hostname '{s}'");
        }

        static bool Accepts(Action check)
        {
            try { check(); return true; }
            catch (GockerException) { return false; }
        }
    }
}

public class ResolvConfTests
{
    [Fact]
    public void DropsLoopbackNameserversAndKeepsTheRest()
    {
        var r = ContainerFiles.ResolvConf("search example.org\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver ::1\noptions edns0\n");
        Assert.Equal("search example.org\nnameserver 10.0.0.2\noptions edns0\n", r);
    }

    [Fact]
    public void FallsBackToPublicResolversWhenOnlyLoopbackWasThere()
    {
        var r = ContainerFiles.ResolvConf("nameserver 127.0.0.1\n");
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", r);
    }

    [Fact]
    public void HostsNamesTheHostname()
    {
        var hosts = ContainerFiles.HostsContent("abc");
        Assert.Contains("127.0.0.1\tlocalhost\n", hosts);
        Assert.Contains("\tabc\n", hosts);
    }
}

public class NameGeneratorTests
{
    [Fact]
    public void LaterAttemptsDifferAndStayValidNames()
    {
        var id = ContainerId.New();
        var names = Enumerable.Range(0, 5).Select(a => NameGenerator.Next(id, a)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var n in names)
            ContainerId.ValidateName(n);
    }
}
