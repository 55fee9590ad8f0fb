using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>Archives exchanged with podman both ways (`./build.sh test` installs podman). Podman runs its
/// containers with runc here: crun 1.8 refuses hybrid cgroup hosts. Its default rlimits (nofile and nproc
/// at 1048576) are lowered because raising a hard limit needs CAP_SYS_RESOURCE, which some sandboxes
/// (this VM's root included) do not have.</summary>
public sealed class PodmanInteropTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    private static readonly string? Podman = Environment.GetEnvironmentVariable("PATH")?.Split(':')
        .Select(d => Path.Combine(d, "podman")).FirstOrDefault(File.Exists);

    private Task<GockerResult> PodmanRun(params string[] args) =>
        ProcessRunner.RunAsync(new ProcessSpec
        {
            FileName = Podman ?? throw new InvalidOperationException("podman is not on PATH: ./build.sh test installs it (apt-get install podman)"),
            Args = ["--root", Path.Combine(box.Scratch, "podman-root"), "--runroot", Path.Combine(box.Scratch, "podman-run"),
                "--runtime", "runc", .. args],
            Timeout = TimeSpan.FromMinutes(3),
        });

    [Fact]
    public async Task Podman_loads_what_gocker_saves_and_gocker_loads_what_podman_saves()
    {
        (await box.Run("run", "--name", "pi", "busybox", "sh", "-c", "echo from-gocker > /marker")).ShouldSucceed();
        (await box.Run("commit", "pi", "interop/gocker:1")).ShouldSucceed();
        var ours = Path.Combine(box.Scratch, "ours.tar");
        (await box.Run("save", "-o", ours, "interop/gocker:1")).ShouldSucceed();
        (await PodmanRun("load", "-i", ours)).ShouldSucceed();
        var marker = (await PodmanRun("run", "--rm", "--net", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "interop/gocker:1", "cat", "/marker")).ShouldSucceed();
        Assert.Equal("from-gocker", marker.Stdout.Trim());

        var oci = Path.Combine(box.Scratch, "ours-oci.tar");
        (await box.Run("save", "--format", "oci", "-o", oci, "interop/gocker:1")).ShouldSucceed();
        (await PodmanRun("load", "-i", oci)).ShouldSucceed();

        (await PodmanRun("tag", "interop/gocker:1", "interop/podman:2")).ShouldSucceed();
        var theirs = Path.Combine(box.Scratch, "theirs.tar");
        (await PodmanRun("save", "-o", theirs, "interop/podman:2")).ShouldSucceed();
        var loaded = (await box.Run("load", "-i", theirs)).ShouldSucceed();
        // Podman names its images localhost/NAME; Docker keeps that name on load, and so does gocker.
        Assert.Contains("Loaded image: localhost/interop/podman:2", loaded.Stdout);
        Assert.Equal("from-gocker", (await box.Run("run", "--rm", "localhost/interop/podman:2", "cat", "/marker")).ShouldSucceed().Stdout.Trim());
        var theirsOci = Path.Combine(box.Scratch, "theirs-oci.tar");
        (await PodmanRun("save", "--format", "oci-archive", "-o", theirsOci, "interop/podman:2")).ShouldSucceed();
        (await box.Run("load", "-i", theirsOci)).ShouldSucceed();
        (await box.Run("rm", "pi")).ShouldSucceed();
    }
}
