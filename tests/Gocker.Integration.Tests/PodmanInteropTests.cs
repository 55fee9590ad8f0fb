using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Archives exchanged with podman both ways. Podman is an optional peer (not installed by
/// the build): without it on PATH these tests say so and skip; this is the only skip in the suite,
/// and it does not depend on root.</summary>
public sealed class PodmanInteropTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static readonly string? Podman = Environment.GetEnvironmentVariable("PATH")?.Split(':')
        .Select(d => Path.Combine(d, "podman")).FirstOrDefault(File.Exists);

    private const string SkipReason = "podman is not installed (optional peer: install it to run the interop tests)";

    public static bool HasPodman => Podman is not null;

    private Task<GockerResult> PodmanRun(params string[] args) =>
        ProcessRunner.RunAsync(new ProcessSpec
        {
            FileName = Podman!,
            Args = ["--root", Path.Combine(box.Scratch, "podman-root"), "--runroot", Path.Combine(box.Scratch, "podman-run"), .. args],
            Timeout = TimeSpan.FromMinutes(3),
        });

    /// <summary>A fact that reports itself skipped, with the reason, where podman is absent.</summary>
    public sealed class PodmanFactAttribute : FactAttribute
    {
        public PodmanFactAttribute()
        {
            if (!HasPodman)
                Skip = SkipReason;
        }
    }

    [PodmanFact]
    public async Task Podman_loads_what_gocker_saves_and_gocker_loads_what_podman_saves()
    {
        (await box.Run("run", "--name", "pi", "busybox", "sh", "-c", "echo from-gocker > /marker")).ShouldSucceed();
        (await box.Run("commit", "pi", "interop/gocker:1")).ShouldSucceed();
        var ours = Path.Combine(box.Scratch, "ours.tar");
        (await box.Run("save", "-o", ours, "interop/gocker:1")).ShouldSucceed();
        (await PodmanRun("load", "-i", ours)).ShouldSucceed();
        var marker = (await PodmanRun("run", "--rm", "--net", "none", "interop/gocker:1", "cat", "/marker")).ShouldSucceed();
        Assert.Equal("from-gocker", marker.Stdout.Trim());

        var oci = Path.Combine(box.Scratch, "ours-oci.tar");
        (await box.Run("save", "--format", "oci", "-o", oci, "interop/gocker:1")).ShouldSucceed();
        (await PodmanRun("load", "-i", oci)).ShouldSucceed();

        (await PodmanRun("tag", "interop/gocker:1", "interop/podman:2")).ShouldSucceed();
        var theirs = Path.Combine(box.Scratch, "theirs.tar");
        (await PodmanRun("save", "-o", theirs, "interop/podman:2")).ShouldSucceed();
        var loaded = (await box.Run("load", "-i", theirs)).ShouldSucceed();
        Assert.Contains("interop/podman:2", loaded.Stdout);
        Assert.Equal("from-gocker", (await box.Run("run", "--rm", "interop/podman:2", "cat", "/marker")).ShouldSucceed().Stdout.Trim());
        var theirsOci = Path.Combine(box.Scratch, "theirs-oci.tar");
        (await PodmanRun("save", "--format", "oci-archive", "-o", theirsOci, "interop/podman:2")).ShouldSucceed();
        (await box.Run("load", "-i", theirsOci)).ShouldSucceed();
        (await box.Run("rm", "pi")).ShouldSucceed();
    }
}
