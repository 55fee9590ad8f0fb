using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

/// <summary>The container's init (native/init.c) executing the plan gocker sends it: the checks that
/// need the container's filesystem happen there, before pivot_root, against an untrusted image.</summary>
public sealed class InitTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task An_image_symlink_on_a_mount_point_of_gockers_is_refused_and_the_host_untouched()
    {
        // /etc/hostname -> a host path: before pivot_root a bind onto it would land on the host.
        var hostPath = Path.Combine(Path.GetTempPath(), $"gocker-evil-{Guid.NewGuid():N}");
        var archive = Path.Combine(box.Scratch, "evil.tar");
        TestImage.Busybox().AddLayer(TestImage.Layer(($"etc/hostname -> {hostPath}", null))).WriteDockerArchive(archive, ["evil:1"]);
        (await box.Run("load", "-i", archive)).ShouldSucceed();
        var before = await box.Snapshot();

        var line = (await box.Run("run", "--rm", "--network", "none", "evil:1", "true")).ShouldBeGockerError();

        Assert.Contains("refusing to mount on /etc/hostname: /etc/hostname is a symlink in the image", line);
        Assert.False(Path.Exists(hostPath), "init created the symlink's target on the host");
        await box.WaitUntilGone((await box.PsAll()).FirstOrDefault()?.Id ?? "none");
        await box.AssertNothingNew(before);
    }

    [Fact]
    public async Task A_missing_working_directory_is_made_with_its_parents_for_the_user()
    {
        var r = (await box.Run("run", "--rm", "--network", "none", "-u", "nobody", "-w", "/a/b", "busybox", "sh", "-c", "pwd; stat -c %U /a/b")).ShouldSucceed();
        Assert.Equal(["/a/b", "nobody"], r.StdoutLines);
    }

    [Fact]
    public async Task A_group_given_by_name_is_looked_up_in_the_images_group_file()
    {
        var r = (await box.Run("run", "--rm", "--network", "none", "-u", "nobody:nogroup", "busybox", "id", "-gn")).ShouldSucceed();
        Assert.Equal(["nogroup"], r.StdoutLines);
    }

    [Theory]
    [InlineData("nosuchuser", "unable to find user nosuchuser: no matching entries in passwd file")]
    [InlineData("nobody:nosuchgroup", "unable to find group nosuchgroup: no matching entries in group file")]
    [InlineData(":0", "invalid user: :0")]
    public async Task A_user_the_image_does_not_know_is_a_clean_error(string user, string message)
    {
        var line = (await box.Run("run", "--rm", "--network", "none", "-u", user, "busybox", "true")).ShouldBeGockerError();
        Assert.Contains(message, line);
    }
}
