using Gocker.Core.Filesystem;
using Gocker.Core.Volumes;

namespace Gocker.Core.Tests.Volumes;

public class TmpfsOptionsTests
{
    [Fact]
    public void DefaultsAreDockers()
    {
        var m = MountRequests.ParseTmpfs("/run");
        Assert.Equal((MountType.Tmpfs, "/run", "", ""), (m.Type, m.Destination, m.TmpfsData, m.Spec));
        Assert.Equal(MountFlags.NoExec | MountFlags.NoSuid | MountFlags.NoDev, m.TmpfsFlags);
        Assert.Equal(MountOrigin.Tmpfs, m.Origin);
    }

    [Theory]
    [InlineData("size=64m,mode=1777", "size=64m,mode=1777")]
    [InlineData("size=10%,nr_inodes=1k,uid=1000,gid=0", "size=10%,nr_inodes=1k,uid=1000,gid=0")]
    [InlineData("size=1m,size=2m", "size=2m")]
    [InlineData("mpol=interleave:0-1", "mpol=interleave:0-1")]
    [InlineData("nr_blocks=100,mpol=default", "nr_blocks=100,mpol=default")]
    [InlineData("rw,exec", "")]
    public void DataKeepsTheLastValueOfEachKey(string options, string data) =>
        Assert.Equal(data, TmpfsOptions.Parse(options).Data);

    [Theory]
    [InlineData("exec", MountFlags.NoSuid | MountFlags.NoDev)]
    [InlineData("ro,suid,dev", MountFlags.NoExec | MountFlags.ReadOnly)]
    [InlineData("ro,rw", TmpfsOptions.Defaults)]
    [InlineData("noatime,sync,dirsync", TmpfsOptions.Defaults | MountFlags.NoAtime | MountFlags.Synchronous | MountFlags.DirSync)]
    [InlineData("rprivate,defaults", TmpfsOptions.Defaults)]
    [InlineData("strictatime,nodiratime,relatime,norelatime", TmpfsOptions.Defaults | MountFlags.StrictAtime | MountFlags.NoDiratime)]
    public void FlagsApplyInOrderOverDockersDefaults(string options, MountFlags flags) =>
        Assert.Equal(flags, TmpfsOptions.Parse(options).Flags);

    [Fact]
    public void ReadOnlyTmpfs() => Assert.True(MountRequests.ParseTmpfs("/t:ro").ReadOnly);

    [Theory]
    [InlineData("foo", "Invalid tmpfs option [\"foo\"]")]
    [InlineData("foo=1", "Invalid tmpfs option [\"foo\" \"1\"]")]
    [InlineData("size=abc", "Invalid tmpfs option [\"size\" \"abc\"]: the size must be a number of bytes with an optional k, m, g, t, p, e or % suffix")]
    [InlineData("size=-1", "Invalid tmpfs option [\"size\" \"-1\"]: the size must be a number of bytes with an optional k, m, g, t, p, e or % suffix")]
    [InlineData("nr_inodes=x", "Invalid tmpfs option [\"nr_inodes\" \"x\"]: nr_inodes must be a number with an optional k, m, g, t, p or e suffix")]
    [InlineData("mode=999", "Invalid tmpfs option [\"mode\" \"999\"]: the mode must be octal, e.g. 1777")]
    [InlineData("uid=root", "Invalid tmpfs option [\"uid\" \"root\"]: uid must be a number")]
    [InlineData("gid=-5", "Invalid tmpfs option [\"gid\" \"-5\"]: gid must be a number")]
    [InlineData("mpol=everywhere", "Invalid tmpfs option [\"mpol\" \"everywhere\"]: mpol must be default, local, prefer, bind or interleave (with an optional :NODELIST)")]
    [InlineData("bind", "Invalid tmpfs option [\"bind\"]: not an option for a tmpfs mount in gocker")]
    [InlineData("rshared", "Invalid tmpfs option [\"rshared\"]: not an option for a tmpfs mount in gocker")]
    [InlineData("huge=always", "Invalid tmpfs option [\"huge\" \"always\"]")]
    public void RefusesBadOptions(string options, string message) =>
        Assert.Equal(message, Assert.Throws<GockerException>(() => TmpfsOptions.Parse(options)).Message);

    [Theory]
    [InlineData("", "--tmpfs : field Target must not be empty")]
    [InlineData("run", "--tmpfs run: invalid mount path: 'run' mount path must be absolute")]
    [InlineData("/:size=1m", "--tmpfs /:size=1m: invalid specification: destination can't be '/'")]
    public void RefusesBadDestinations(string raw, string message) =>
        Assert.Equal(message, Assert.Throws<GockerException>(() => MountRequests.ParseTmpfs(raw)).Message);
}

public class MountRequestsTests
{
    [Fact]
    public void ParsesEveryFlagInOrder()
    {
        var list = MountRequests.Parse(["/h:/a", "vol:/b"], ["type=tmpfs,dst=/c"], ["/d:size=1m"], "/", _ => true);
        Assert.Equal(["/a", "/b", "/c", "/d"], list.Select(m => m.Destination));
        Assert.Equal([MountType.Bind, MountType.Volume, MountType.Tmpfs, MountType.Tmpfs], list.Select(m => m.Type));
    }

    [Theory]
    [InlineData(new[] { "/h:/a", "/g:/a/" }, new string[0], new string[0])]
    [InlineData(new[] { "/h:/a" }, new[] { "type=volume,dst=/a" }, new string[0])]
    [InlineData(new[] { "/a" }, new string[0], new[] { "/a" })]
    public void RefusesTwoMountsOnOnePath(string[] volumes, string[] mounts, string[] tmpfs) =>
        Assert.Equal("Duplicate mount point: /a",
            Assert.Throws<GockerException>(() => MountRequests.Parse(volumes, mounts, tmpfs, "/", _ => true)).Message);
}
