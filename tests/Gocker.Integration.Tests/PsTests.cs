using System.Text.Json;
using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>`ps`: which containers, filters, formats. Its own root; each test removes what it creates.</summary>
public sealed class PsTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..16];

    /// <summary>One exited (3), one running, one created container.</summary>
    private async Task<(string Exited, string Running, string Created)> ThreeStates()
    {
        string exited = NewName("ex"), running = NewName("up"), created = NewName("cr");
        (await box.Run("run", "--name", exited, "busybox", "sh", "-c", "exit 3")).ShouldExit(3);
        await box.RunDetached("--name", running, "busybox", "sleep", "1000");
        await box.Create("--name", created, "busybox", "true");
        return (exited, running, created);
    }

    private async Task<string[]> Names(params string[] psArgs) =>
        (await box.Run(["ps", .. psArgs, "--format", "{{.Names}}"])).ShouldSucceed().StdoutLines;

    [Fact]
    public async Task Ps_lists_running_containers_and_ps_a_all()
    {
        var (exited, running, created) = await ThreeStates();
        var plain = await Names();
        Assert.Contains(running, plain);
        Assert.DoesNotContain(exited, plain);
        Assert.DoesNotContain(created, plain);
        var all = await Names("-a");
        Assert.Contains(running, all);
        Assert.Contains(exited, all);
        Assert.Contains(created, all);

        var table = (await box.Run("ps", "-a")).ShouldSucceed();
        Assert.Matches("^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$", table.StdoutLines[0]);
        var ex = table.StdoutLines.Single(l => l.EndsWith(" " + exited, StringComparison.Ordinal));
        Assert.Matches(@"^[0-9a-f]{12} +busybox +""sh -c 'exit 3'"" +.* ago +Exited \(3\) .* ago +" + exited + "$", ex);

        var q = (await box.Run("ps", "-a", "-q")).ShouldSucceed().StdoutLines;
        Assert.All(q, l => Assert.Matches("^[0-9a-f]{12}$", l));
        var full = (await box.Run("ps", "-a", "-q", "--no-trunc")).ShouldSucceed().StdoutLines;
        Assert.All(full, l => Assert.Matches("^[0-9a-f]{64}$", l));
        Assert.Equal(q, full.Select(l => l[..12]).ToArray());
        await box.RemoveAll();
    }

    [Fact]
    public async Task Filter_by_status_and_name()
    {
        var (exited, running, created) = await ThreeStates();
        Assert.Equal([exited], await Names("-a", "--filter", "status=exited"));
        Assert.Equal([running], await Names("-a", "--filter", "status=running"));
        Assert.Equal([created], await Names("-a", "--filter", "status=created"));
        // A status filter implies -a (as with Docker).
        Assert.Equal([exited], await Names("--filter", "status=exited"));
        Assert.Equal([exited], await Names("-a", "--filter", "exited=3"));
        Assert.Empty(await Names("-a", "--filter", "exited=4"));

        Assert.Equal([running], await Names("-a", "--filter", $"name={running}"));
        Assert.Equal([running], await Names("-a", "--filter", $"name={running[..8]}"));   // a substring
        Assert.Empty(await Names("-a", "--filter", "name=no-such-name-at-all"));
        // Two filters on different keys: both must hold.
        Assert.Empty(await Names("-a", "--filter", $"name={running}", "--filter", "status=exited"));
        await box.RemoveAll();
    }

    [Fact]
    public async Task Format_template_and_json()
    {
        var (exited, running, _) = await ThreeStates();
        var t = (await box.Run("ps", "-a", "--format", "{{.Names}}\t{{.Status}}")).ShouldSucceed();
        Assert.Contains(t.StdoutLines, l => l.StartsWith(exited + "\tExited (3) ", StringComparison.Ordinal));
        Assert.Contains(t.StdoutLines, l => l.StartsWith(running + "\tUp ", StringComparison.Ordinal));

        var j = (await box.Run("ps", "-a", "--format", "json")).ShouldSucceed();
        Assert.Equal(3, j.StdoutLines.Length);
        var byName = new Dictionary<string, JsonElement>();
        foreach (var line in j.StdoutLines)
        {
            using var doc = JsonDocument.Parse(line);   // one object per line
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            foreach (var key in new[] { "ID", "Names", "Status", "State", "Image", "Command", "CreatedAt" })
                Assert.True(doc.RootElement.TryGetProperty(key, out _), $"no {key} in {line}");
            Assert.Matches("^[0-9a-f]{12}$", doc.RootElement.GetProperty("ID").GetString());
            byName[doc.RootElement.GetProperty("Names").GetString()!] = doc.RootElement.Clone();
        }
        Assert.Equal("running", byName[running].GetProperty("State").GetString());
        Assert.StartsWith("Exited (3)", byName[exited].GetProperty("Status").GetString());
        Assert.Equal("busybox", byName[exited].GetProperty("Image").GetString());

        // {{json .}} is the same object.
        var one = (await box.Run("ps", "-a", "--filter", $"name={running}", "--format", "{{json .}}")).ShouldSucceed();
        using (var doc = JsonDocument.Parse(one.Stdout))
            Assert.Equal(running, doc.RootElement.GetProperty("Names").GetString());
        await box.RemoveAll();
    }

    [Fact]
    public async Task Last_n_and_latest_show_only_the_newest()
    {
        string older = NewName("old"), newer = NewName("new");
        await box.Create("--name", older, "busybox", "true");
        await box.Create("--name", newer, "busybox", "true");
        Assert.Equal([newer], await Names("-n", "1"));
        Assert.Equal([newer], await Names("-l"));
        Assert.Equal([newer, older], await Names("-n", "2"));
        var table = (await box.Run("ps", "-l")).ShouldSucceed();
        Assert.Equal(2, table.StdoutLines.Length);   // header and the newest
        Assert.EndsWith(" " + newer, table.StdoutLines[1]);
        await box.RemoveAll();
    }

    [Theory]
    [InlineData("--filter", "bogus=1")]
    [InlineData("--filter", "status=bogus")]
    [InlineData("--filter", "noequals")]
    [InlineData("--format", "{{.Names")]
    [InlineData("--format", "{{range}}")]
    public async Task Bad_filter_or_template_is_a_gocker_error(string option, string value)
    {
        (await box.Run("ps", "-a", option, value)).ShouldBeGockerError();
    }
}
