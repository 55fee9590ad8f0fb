using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class HumanDurationTests
{
    [Theory]
    [InlineData(0, "Less than a second")]
    [InlineData(-5, "Less than a second")]
    [InlineData(0.999, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(2, "2 seconds")]
    [InlineData(59.9, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(59 * 60 + 59, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(89 * 60, "About an hour")]      // hours are rounded: 1.48h → 1
    [InlineData(90 * 60, "2 hours")]            // 1.5h → 2
    [InlineData(47 * 3600 + 1799, "47 hours")]
    [InlineData(47 * 3600 + 1800, "2 days")]    // rounds to 48h
    [InlineData(13 * 86400, "13 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(59 * 86400, "8 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(729 * 86400, "24 months")]
    [InlineData(730 * 86400, "2 years")]
    [InlineData(3 * 365 * 86400, "3 years")]
    public void MatchesGoUnits(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
