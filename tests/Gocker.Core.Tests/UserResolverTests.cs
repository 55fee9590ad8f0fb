using Gocker.Core.Containers;

namespace Gocker.Core.Tests;

public sealed class UserResolverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-user-").FullName;
    private string Passwd => $"{_dir}/passwd";
    private string Group => $"{_dir}/group";

    public UserResolverTests()
    {
        File.WriteAllText(Passwd, "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Group, "root:x:0:\nwheel:x:10:root,user\nusers:x:100:\nuser:x:1000:\nnogroup:x:65534:\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void DefaultIsRootWithRootsHome()
    {
        var u = UserResolver.Resolve(null, Passwd, Group);
        Assert.Equal((0u, 0u, "/root"), (u.Uid, u.Gid, u.Home));
        Assert.Equal([0u, 10u], u.Groups);
    }

    [Fact]
    public void NameResolvesUidGidHomeAndSupplementaryGroups()
    {
        var u = UserResolver.Resolve("user", Passwd, Group);
        Assert.Equal((1000u, 1000u, "/home/user"), (u.Uid, u.Gid, u.Home));
        Assert.Equal([1000u, 10u], u.Groups);
    }

    [Fact]
    public void UidAndGroupName()
    {
        var u = UserResolver.Resolve("1000:users", Passwd, Group);
        Assert.Equal((1000u, 100u), (u.Uid, u.Gid));
    }

    [Fact]
    public void UnknownNumericUidIsAllowedWithRootGroupAndSlashHome()
    {
        var u = UserResolver.Resolve("4242", Passwd, Group);
        Assert.Equal((4242u, 0u, "/"), (u.Uid, u.Gid, u.Home));
        Assert.Equal([0u], u.Groups);
    }

    [Fact]
    public void UnknownNameIsAnError()
    {
        var e = Assert.Throws<GockerException>(() => UserResolver.Resolve("foo", Passwd, Group));
        Assert.Contains("unable to find user foo", e.Message);
    }

    [Fact]
    public void UnknownGroupIsAnError() =>
        Assert.Throws<GockerException>(() => UserResolver.Resolve("user:nosuch", Passwd, Group));

    [Fact]
    public void MissingPasswdFileStillAllowsNumericUsers()
    {
        var u = UserResolver.Resolve("5:6", $"{_dir}/none", $"{_dir}/none");
        Assert.Equal((5u, 6u), (u.Uid, u.Gid));
    }
}
