using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The native constructor runs before the .NET runtime and removes its gate variable.</summary>
public sealed class PreinitTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task Probe_gate_is_seen_by_the_constructor_and_gone_before_main()
    {
        var r = (await box.Run(["debug", "preinit"], env: new() { ["_GOCKER_PREINIT"] = "probe" })).ShouldSucceed();
        var tokens = r.Stdout.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("preinit=1", tokens);
        Assert.DoesNotContain("gate-visible=yes", tokens);
        Assert.DoesNotContain("_GOCKER_PREINIT", r.Stdout);
    }

    [Fact]
    public async Task Without_the_gate_the_constructor_does_nothing()
    {
        var r = (await box.Run(["debug", "preinit"], env: new() { ["_GOCKER_PREINIT"] = null })).ShouldSucceed();
        var tokens = r.Stdout.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("preinit=0", tokens);
    }

    [Fact]
    public async Task The_gate_does_not_reach_a_container()
    {
        // A bare -e takes the host's value: by then the constructor has removed it.
        var r = (await box.Run(["run", "-e", "_GOCKER_PREINIT", "busybox", "env"], env: new() { ["_GOCKER_PREINIT"] = "probe" })).ShouldSucceed();
        Assert.DoesNotContain("_GOCKER_PREINIT", r.Stdout);
    }
}
