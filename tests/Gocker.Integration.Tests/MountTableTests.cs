using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Runs alone (no container of another test may mount meanwhile), after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExclusiveCollection
{
    public const string Name = "exclusive: host mount table";
}

[Collection(ExclusiveCollection.Name)]
public sealed class MountTableTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task Host_mount_table_is_unchanged_after_50_runs()
    {
        // Unpack the image first: that is a one-time change under the root, not a per-run one.
        (await box.Run("run", "--rm", "busybox", "true")).ShouldSucceed();

        // Half with --rm, half kept: an exited container holds no mount on the host either, and
        // removing it later changes nothing.
        var before = Snapshot();
        for (int i = 0; i < 50; i++)
        {
            string[] command = i % 2 == 0 ? ["true"] : ["sh", "-c", "echo $$ > /tmp/x; cat /proc/mounts > /dev/null"];
            (await box.Run(["run", .. (i % 4 < 2 ? new[] { "--rm" } : []), "busybox", .. command])).ShouldSucceed();
        }
        Assert.Equal(before, Snapshot());
        var kept = (await box.PsAll()).Select(r => r.Id).ToArray();
        Assert.Equal(24, kept.Length);
        (await box.Run(["rm", .. kept])).ShouldSucceed();
        var after = Snapshot();

        Assert.Equal(before, after);
        Assert.Empty(Mounts.MountPointsUnder(box.Base));
        Assert.Contains("Name:", File.ReadAllText("/proc/self/status"));   // the host's /proc still works
        Assert.True(File.Exists("/proc/self/mountinfo"));
        Assert.True(System.IO.Directory.Exists(box.ContainersDir), $"{box.ContainersDir} should exist");
        box.AssertNoLeftoverContainers();
    }

    [Fact]
    public async Task Host_mount_table_is_unchanged_after_failed_and_killed_runs()
    {
        (await box.Run("run", "--rm", "busybox", "true")).ShouldSucceed();
        var before = Snapshot();

        (await box.Run("run", "--rm", "busybox", "nosuchcmd")).ShouldExit(127);
        (await box.Run("run", "--rm", "-u", "nosuchuser", "busybox", "true")).ShouldExit(125);
        (await box.Run("run", "--rm", "--init", "busybox", "sh", "-c", "kill -9 $$")).ShouldExit(137);
        using (var g = box.Start("run", "--rm", "busybox", "sh", "-c", "trap 'exit 2' TERM; echo ready; while :; do sleep 0.1; done"))
        {
            await g.WaitForLineAsync("ready");
            g.Signal(Sig.TERM);
            (await g.WaitForExitAsync()).ShouldExit(2);
        }

        Assert.Equal(before, Snapshot());
        box.AssertNoLeftoverContainers();
    }

    private static List<string> Snapshot() =>
        Mounts.Read().Select(m => $"{m.MountPoint} {m.FsType}").Order(StringComparer.Ordinal).ToList();
}
