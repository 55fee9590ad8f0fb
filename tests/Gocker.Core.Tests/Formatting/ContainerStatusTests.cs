using Gocker.Core.Formatting;

namespace Gocker.Core.Tests.Formatting;

public class ContainerStatusTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static ContainerView View(ContainerState state, int exit = 0, double? startedAgo = null, double? finishedAgo = null) =>
        new("abc", "web", "alpine", "sh", state, exit, false, Now.AddHours(-1),
            startedAgo is null ? null : Now.AddSeconds(-startedAgo.Value),
            finishedAgo is null ? null : Now.AddSeconds(-finishedAgo.Value), "");

    [Fact]
    public void Created() => Assert.Equal("Created", ContainerStatus.StatusText(View(ContainerState.Created), Now));

    [Fact]
    public void Running() =>
        Assert.Equal("Up 5 seconds", ContainerStatus.StatusText(View(ContainerState.Running, startedAgo: 5), Now));

    [Fact]
    public void Paused() =>
        Assert.Equal("Up 2 minutes (Paused)", ContainerStatus.StatusText(View(ContainerState.Paused, startedAgo: 150), Now));

    [Fact]
    public void Exited() =>
        Assert.Equal("Exited (3) 2 minutes ago",
            ContainerStatus.StatusText(View(ContainerState.Exited, 3, startedAgo: 600, finishedAgo: 125), Now));

    [Fact]
    public void ExitedButNeverStartedIsCreated() =>
        Assert.Equal("Created", ContainerStatus.StatusText(View(ContainerState.Exited, 0), Now));

    [Fact]
    public void Restarting() =>
        Assert.Equal("Restarting (1) 5 seconds ago",
            ContainerStatus.StatusText(View(ContainerState.Restarting, 1, startedAgo: 60, finishedAgo: 5), Now));

    [Fact]
    public void Removing() =>
        Assert.Equal("Removal In Progress", ContainerStatus.StatusText(View(ContainerState.Removing), Now));

    [Fact]
    public void Dead() => Assert.Equal("Dead", ContainerStatus.StatusText(View(ContainerState.Dead), Now));

    [Theory]
    [InlineData(ContainerState.Created, "created")]
    [InlineData(ContainerState.Running, "running")]
    [InlineData(ContainerState.Paused, "paused")]
    [InlineData(ContainerState.Restarting, "restarting")]
    [InlineData(ContainerState.Removing, "removing")]
    [InlineData(ContainerState.Exited, "exited")]
    [InlineData(ContainerState.Dead, "dead")]
    public void StateTextRoundTrips(ContainerState state, string text)
    {
        Assert.Equal(text, ContainerStatus.StateText(state));
        Assert.True(ContainerStatus.TryParseState(text, out var parsed));
        Assert.Equal(state, parsed);
    }

    [Fact]
    public void StateNamesAreCaseSensitive() => Assert.False(ContainerStatus.TryParseState("Running", out _));
}
