using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class ImagesTableTests
{
    private static readonly HistoryView Layer =
        new("sha256:0123456789abcdef0123", DateTimeOffset.Parse("2026-11-29T20:00:00Z"), "/bin/sh -c true", 1978368, "c");

    [Fact]
    public void HistoryIsHumanByDefault()
    {
        var text = ImagesTable.RenderHistory([Layer], DateTimeOffset.Parse("2026-11-29T22:00:00Z"), "{{.CreatedSince}} {{.Size}}",
            quiet: false, noTrunc: false, zone: TimeZoneInfo.Utc);
        Assert.Equal("2 hours ago 1.98MB\n", text);
    }

    [Fact]
    public void HistoryWithoutHumanPrintsRfc3339AndBytes()
    {
        var text = ImagesTable.RenderHistory([Layer], DateTimeOffset.Parse("2026-11-29T22:00:00Z"), "{{.CreatedSince}} {{.Size}}",
            quiet: false, noTrunc: false, zone: TimeZoneInfo.Utc, human: false);
        Assert.Equal("2026-11-29T20:00:00Z 1978368\n", text);
    }
}
