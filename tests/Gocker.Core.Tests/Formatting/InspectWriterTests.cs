using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class InspectWriterTests
{
    private static readonly DateTimeOffset Created = new(2024, 5, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private static ContainerInspect Sample() => new()
    {
        Id = "0123456789abcdef",
        Created = GoTime.Rfc3339Nano(Created),
        Path = "sh",
        Args = ["-c", "echo hi && exit 3"],
        State = InspectState.From(ContainerState.Exited, 0, 3, false, Created.AddSeconds(1), Created.AddSeconds(2)),
        Image = "sha256:feed",
        Name = "/web",
        HostConfig = new InspectHostConfig { Memory = 1073741824, PortBindings = { ["80/tcp"] = [new() { HostIp = "0.0.0.0", HostPort = "8080" }] } },
        Config = new InspectConfig { Hostname = "0123456789ab", Env = ["PATH=/bin"], Cmd = ["sh"], Image = "alpine", Labels = { ["a"] = "1" } },
    };

    [Fact]
    public void IndentedArrayLikeDocker()
    {
        var json = InspectWriter.ToJson([Sample()]);
        Assert.StartsWith("[\n    {\n        \"Id\": \"0123456789abcdef\",\n        \"Created\": \"2024-05-01T12:00:00.123Z\",\n", json);
        Assert.EndsWith("\n    }\n]\n", json);
        Assert.Contains("\n        \"Args\": [\n            \"-c\",\n            \"echo hi \\u0026\\u0026 exit 3\"\n        ],\n", json);
        Assert.Contains("\n        \"Mounts\": [],\n", json);
        Assert.Contains("\"Binds\": null,", json);
        Assert.Contains("\"Entrypoint\": null,", json);
        Assert.Contains("\"OOMKilled\": false,", json);
        Assert.Contains("\"Memory\": 1073741824,", json);
        Assert.Contains("\"PidsLimit\": null,", json);
        Assert.Contains("\"Networks\": {}", json);
        Assert.Contains("\"Driver\": \"overlay\",\n        \"Platform\": \"linux\",", json);
        Assert.Contains("\"StartedAt\": \"2024-05-01T12:00:01.123Z\",", json);
        Assert.Contains("\"PortBindings\": {\n                \"80/tcp\": [\n                    {\n                        \"HostIp\": \"0.0.0.0\",", json);
    }

    [Fact]
    public void EmptyIsEmptyArray() => Assert.Equal("[]\n", InspectWriter.ToJson(Array.Empty<ContainerInspect>()));

    [Fact]
    public void UnsetTimesAreGoZeroTime()
    {
        var s = InspectState.From(ContainerState.Created, 0, 0, false, null, null);
        Assert.Equal("0001-01-01T00:00:00Z", s.StartedAt);
        Assert.Equal("0001-01-01T00:00:00Z", s.FinishedAt);
        Assert.Equal("2024-05-01T12:00:00Z", GoTime.Rfc3339Nano(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2024-05-01T10:00:00.5Z", GoTime.Rfc3339Nano(new DateTimeOffset(2024, 5, 1, 12, 0, 0, 500, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void PausedIsAlsoRunning()
    {
        var s = InspectState.From(ContainerState.Paused, 42, 0, false, Created, null);
        Assert.True(s.Running);
        Assert.True(s.Paused);
        Assert.Equal("paused", s.Status);
        Assert.Equal(42, s.Pid);
    }

    [Fact]
    public void FormatPerObject()
    {
        var other = Sample();
        other.Name = "/db";
        Assert.Equal("/web exited 3\n/db exited 3\n",
            InspectWriter.Render([Sample(), other], "{{.Name}} {{.State.Status}} {{.State.ExitCode}}"));
    }

    [Fact]
    public void JsonOfSubObjectIsCompactAndUnescaped()
    {
        Assert.Equal("[\"-c\",\"echo hi && exit 3\"]\n", InspectWriter.Render([Sample()], "{{json .Args}}"));
        Assert.Equal("{\"a\":\"1\"}\n", InspectWriter.Render([Sample()], "{{json .Config.Labels}}"));
        Assert.Equal("1073741824\n", InspectWriter.Render([Sample()], "{{.HostConfig.Memory}}"));
        Assert.Equal("<nil>\n", InspectWriter.Render([Sample()], "{{.HostConfig.Init}}"));
    }

    [Fact]
    public void JsonElementPerObject()
    {
        var e = InspectWriter.ToJsonElement(Sample());
        Assert.Equal("/web", e.GetProperty("Name").GetString());
        Assert.Equal(3, e.GetProperty("State").GetProperty("ExitCode").GetInt32());
    }

    [Fact]
    public void UnknownKeyIsGockerException()
    {
        var e = Assert.Throws<GockerException>(() => InspectWriter.Render([Sample()], "{{.Nope}}"));
        Assert.Equal("template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"", e.Message);
        Assert.Equal(125, e.ExitCode);
    }
}
