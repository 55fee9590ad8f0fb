using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class PsTableTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ContainerView Web = new(
        "0123456789abcdef0123456789abcdef", "web", "nginx:latest", "nginx -g 'daemon off;'",
        ContainerState.Running, 0, false, Now.AddMinutes(-2), Now.AddSeconds(-110), null, "0.0.0.0:8080->80/tcp")
    {
        Labels = new Dictionary<string, string> { ["tier"] = "front", ["app"] = "shop" },
    };

    private static readonly ContainerView Job = new(
        "fedcba9876543210fedcba9876543210", "job", "alpine", "sh -c 'exit 3'",
        ContainerState.Exited, 3, false, Now.AddHours(-1), Now.AddHours(-1), Now.AddMinutes(-2), "");

    private static readonly PsOptions Utc = new() { TimeZone = TimeZoneInfo.Utc };

    [Fact]
    public void EmptyTableIsDockersHeader() =>
        Assert.Equal(
            "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n",
            PsTable.Render([], Now));

    [Fact]
    public void DefaultTableAlignsLikeDocker()
    {
        var expected =
            "CONTAINER ID   IMAGE          COMMAND                  CREATED             STATUS                     PORTS                  NAMES\n" +
            "0123456789ab   nginx:latest   \"nginx -g 'daemon of…\"   2 minutes ago       Up About a minute          0.0.0.0:8080->80/tcp   web\n" +
            "fedcba987654   alpine         \"sh -c 'exit 3'\"         About an hour ago   Exited (3) 2 minutes ago                          job\n";
        Assert.Equal(expected, PsTable.Render([Web, Job], Now, Utc));
    }

    [Fact]
    public void NoTruncShowsFullIdAndCommand()
    {
        var output = PsTable.Render([Web], Now, Utc with { NoTrunc = true });
        Assert.Contains("0123456789abcdef0123456789abcdef   ", output);
        Assert.Contains("\"nginx -g 'daemon off;'\"   ", output);
    }

    [Fact]
    public void QuietPrintsIdsOnly() =>
        Assert.Equal("0123456789ab\nfedcba987654\n", PsTable.Render([Web, Job], Now, new PsOptions { Quiet = true, Format = "{{.Names}}" }));

    [Fact]
    public void CustomTableFormatMapsHeaders() =>
        Assert.Equal(
            "CONTAINER ID   NAMES     STATE\n" +
            "0123456789ab   web       running\n" +
            "fedcba987654   job       exited\n",
            PsTable.Render([Web, Job], Now, Utc with { Format = "table {{.ID}}\\t{{.Names}}\\t{{.State}}" }));

    [Fact]
    public void HeaderFunctionsKeepTitles() =>
        Assert.Equal(
            "NAMES     CREATED AT                      tier\n" +
            "WEB       2024-05-01 11:58:00 +0000 UTC   front\n",
            PsTable.Render([Web], Now, Utc with { Format = "table {{upper .Names}}\\t{{.CreatedAt}}\\t{{.Label \"tier\"}}" }));

    [Fact]
    public void CustomFormatWithoutTableHasNoHeader() =>
        Assert.Equal("web: Up About a minute\njob: Exited (3) 2 minutes ago\n",
            PsTable.Render([Web, Job], Now, Utc with { Format = "{{.Names}}: {{.Status}}" }));

    [Fact]
    public void JsonFormatMatchesDockerKeys() =>
        Assert.Equal(
            "{\"Command\":\"\\\"sh -c 'exit 3'\\\"\",\"CreatedAt\":\"2024-05-01 11:00:00 +0000 UTC\",\"ID\":\"fedcba987654\"," +
            "\"Image\":\"alpine\",\"Labels\":\"\",\"LocalVolumes\":\"0\",\"Mounts\":\"\",\"Names\":\"job\",\"Networks\":\"\"," +
            "\"Ports\":\"\",\"RunningFor\":\"About an hour ago\",\"Size\":\"0B\",\"State\":\"exited\"," +
            "\"Status\":\"Exited (3) 2 minutes ago\"}\n",
            PsTable.Render([Job], Now, Utc with { Format = "json" }));

    [Fact]
    public void LabelsAreSortedAndHtmlEscapedInJson()
    {
        var output = PsTable.Render([Web], Now, Utc with { Format = "{{.Labels}} {{json .}}" });
        Assert.StartsWith("app=shop,tier=front {", output);
        Assert.Contains("\"Ports\":\"0.0.0.0:8080-\\u003e80/tcp\"", output);
    }

    [Fact]
    public void RawFormat() =>
        Assert.Equal(
            "container_id: fedcba987654\nimage: alpine\ncommand: \"sh -c 'exit 3'\"\n" +
            "created_at: 2024-05-01 11:00:00 +0000 UTC\nstate: exited\nstatus: Exited (3) 2 minutes ago\n" +
            "names: job\nlabels:\nports:\n\n",
            PsTable.Render([Job], Now, Utc with { Format = "raw" }));

    [Fact]
    public void SizeColumn()
    {
        var output = PsTable.Render([Job with { SizeRw = 1234 }], Now, Utc with { Size = true });
        Assert.EndsWith("   job       1.23kB\n", output);
        Assert.Contains("NAMES     SIZE\n", output);
    }

    [Fact]
    public void BadFormatIsGockerException()
    {
        var e = Assert.Throws<GockerException>(() => PsTable.Render([Job], Now, Utc with { Format = "{{.Bogus}}" }));
        Assert.Equal(125, e.ExitCode);
        Assert.Equal(
            "template parsing error: template: :1:2: executing \"\" at <.Bogus>: can't evaluate field Bogus in type *formatter.ContainerContext",
            e.Message);
    }

    [Theory]
    [InlineData("sha256:0123456789abcdef0123", "0123456789ab")]
    [InlineData("docker.io/library/alpine:3.19", "alpine:3.19")]
    [InlineData("alpine@sha256:abcd", "alpine")]
    [InlineData("", "<no image>")]
    public void ImageColumn(string image, string shown) => Assert.Equal(shown, PsFields.Image(image, trunc: true));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1234, "1.23kB")]
    [InlineData(4_260_000, "4.26MB")]
    public void HumanSize(long bytes, string expected) => Assert.Equal(expected, PsFields.HumanSize(bytes));

    [Theory]
    [InlineData("sh", new string[0], "sh")]
    [InlineData("sh", new[] { "-c", "echo hi" }, "sh -c 'echo hi'")]
    [InlineData("/bin/top", new[] { "-b", "-d", "1" }, "/bin/top -b -d 1")]
    public void CommandLineQuotesArgumentsWithSpacesLikeMoby(string path, string[] args, string expected) =>
        Assert.Equal(expected, PsFields.CommandLine(path, args));
}
