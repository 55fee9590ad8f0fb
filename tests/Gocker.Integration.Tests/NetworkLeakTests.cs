using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>A root deleted without `network teardown` (a CI job's temporary directory removed) leaves
/// its bridge and rules on the host; another root's network command reclaims them, by the owner the
/// bridge's alias names, and leaves every root that still exists alone. Subnets under 10.201.60.0/22.</summary>
public sealed class NetworkLeakTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static Task<GockerResult> Gocker(string root, params string[] args) =>
        ProcessRunner.RunAsync(new ProcessSpec { FileName = GockerBinary.Path, Args = ["--root", root, .. args] });

    private static List<string> RulesOf(string root, string networkId) =>
        HostNetwork.GockerRules().Where(r => r.Contains($"gocker:{HostNetwork.RootTag(root)}:n-{networkId[..12]}", StringComparison.Ordinal)).ToList();

    [Theory]
    [InlineData("prune", "-f")]
    [InlineData("create", "--subnet", "10.201.62.0/24", "after-sweep")]
    public async Task A_deleted_roots_bridge_and_rules_are_reclaimed_and_a_live_roots_kept(params string[] command)
    {
        var gone = Path.Combine(box.Scratch, "gone-" + command[0]);
        var alive = Path.Combine(box.Scratch, "alive-" + command[0]);
        try
        {
            var goneId = (await Gocker(gone, "network", "create", "--subnet", "10.201.60.0/24", "leaky")).ShouldSucceed().Stdout.Trim();
            var aliveId = (await Gocker(alive, "network", "create", "--subnet", "10.201.61.0/24", "kept")).ShouldSucceed().Stdout.Trim();
            var goneBridge = "gk-" + goneId[..12];
            var aliveBridge = "gk-" + aliveId[..12];
            Assert.Equal($"gocker net={goneId[..12]} root={gone}", HostNetwork.Alias(goneBridge));
            Assert.Equal(5, RulesOf(gone, goneId).Count);

            Directory.Delete(gone, recursive: true); // no teardown: what a removed temporary root leaves
            Assert.Contains(goneBridge, HostNetwork.Devices());

            (await box.Run(["network", .. command])).ShouldSucceed();

            Assert.DoesNotContain(goneBridge, HostNetwork.LinkNames());
            Assert.Empty(RulesOf(gone, goneId));
            Assert.Contains(aliveBridge, HostNetwork.LinkNames());
            Assert.Equal(5, RulesOf(alive, aliveId).Count);
            Assert.Equal($"gocker net={aliveId[..12]} root={alive}", HostNetwork.Alias(aliveBridge));
        }
        finally
        {
            if (command[0] == "create")
                await box.Run("network", "rm", "after-sweep");
            foreach (var root in new[] { gone, alive }.Where(Directory.Exists))
                (await Gocker(root, "network", "teardown")).ShouldSucceed();
        }
    }

    [Fact]
    public async Task A_bridge_without_gockers_alias_is_left_alone()
    {
        var root = Path.Combine(box.Scratch, "old-style");
        string? id = null;
        try
        {
            id = (await Gocker(root, "network", "create", "--subnet", "10.201.63.0/24", "old")).ShouldSucceed().Stdout.Trim();
            var bridge = "gk-" + id[..12];
            // As a gocker from before aliases made it.
            HostNetwork.Ip("link", "set", "dev", bridge, "alias", "");
            Assert.Null(HostNetwork.Alias(bridge));
            Directory.Delete(root, recursive: true);

            (await box.Run("network", "prune", "-f")).ShouldSucceed();

            Assert.Contains(bridge, HostNetwork.LinkNames());
            Assert.Equal(5, RulesOf(root, id).Count);
        }
        finally
        {
            if (Directory.Exists(root))
                (await Gocker(root, "network", "teardown")).ShouldSucceed();
            else if (id is not null)
            {
                // The manual cleanup the README gives for such leftovers.
                if (HostNetwork.LinkNames().Contains("gk-" + id[..12]))
                    HostNetwork.Ip("link", "del", "gk-" + id[..12]);
                HostNetwork.DeleteRulesWithComment($"n-{id[..12]}");
            }
        }
        Assert.DoesNotContain("gk-" + id[..12], HostNetwork.LinkNames());
        Assert.Empty(RulesOf(root, id));
    }
}
