using Gocker.Integration.Tests.Harness;

namespace Gocker.Integration.Tests;

public sealed class UserAndWorkdirTests(GockerSandbox box) : IClassFixture<GockerSandbox>
{
    [Fact]
    public async Task Workdir_is_created_and_used()
    {
        var r = (await box.Run("run", "-w", "/new/deep/dir", "busybox", "sh", "-c", "pwd; test -d /new/deep/dir && echo is-dir")).ShouldSucceed();
        Assert.Equal(["/new/deep/dir", "is-dir"], r.StdoutLines);

        var existing = (await box.Run("run", "-w", "/etc", "busybox", "ls", "passwd")).ShouldSucceed();
        Assert.Equal("passwd\n", existing.Stdout);
    }

    [Fact]
    public async Task Relative_workdir_is_a_gocker_error()
    {
        var before = await box.Snapshot();
        (await box.Run("run", "-w", "relative/dir", "busybox", "true")).ShouldBeGockerError();
        await box.AssertNothingNew(before);
    }

    [Theory]
    [InlineData("root", "uid=0(root) gid=0(root)")]
    [InlineData("user", "uid=1000(user) gid=1000(user)")]
    [InlineData("1000", "uid=1000(user) gid=1000(user)")]
    [InlineData("1000:100", "uid=1000(user) gid=100(users)")]
    [InlineData("user:users", "uid=1000(user) gid=100(users)")]
    [InlineData("nobody", "uid=65534(nobody) gid=65534(nogroup)")]
    [InlineData("4242", "uid=4242 gid=0(root)")]
    public async Task User_option_sets_the_identity(string user, string expectedIdPrefix)
    {
        var r = (await box.Run("run", "-u", user, "busybox", "id")).ShouldSucceed();
        Assert.StartsWith(expectedIdPrefix, r.Stdout.Trim());
    }

    [Fact]
    public async Task Named_user_gets_its_home()
    {
        var r = (await box.Run("run", "-u", "user", "busybox", "sh", "-c", "echo $HOME")).ShouldSucceed();
        Assert.Equal("/home/user\n", r.Stdout);
    }

    [Theory]
    [InlineData("nosuchuser")]
    [InlineData("user:nosuchgroup")]
    public async Task Unknown_user_or_group_is_a_gocker_error(string user)
    {
        // The user is resolved in the container's filesystem when it starts: as with Docker, the
        // container was created by then and stays (never started, not running) until rm; with --rm
        // nothing is left.
        var before = await box.Snapshot();
        var name = $"user-{Guid.NewGuid():N}"[..16];
        (await box.Run("run", "--name", name, "-u", user, "busybox", "id")).ShouldBeGockerError();
        var row = await box.PsRowOf(name);
        Assert.True(row is { IsUp: false }, $"ps -a: {row}");
        (await box.Run("rm", name)).ShouldSucceed();
        await box.AssertNothingNew(before);

        (await box.Run("run", "--rm", "-u", user, "busybox", "id")).ShouldBeGockerError();
        await box.AssertNothingNew(before);
    }
}
