using Gocker.Core.Security;

namespace Gocker.Core.Tests.Security;

public class SecurityOptionsTests
{
    private static SecurityOptions Parse(params string[] opts) =>
        SecurityOptions.Parse(opts, path => path == "p.json" ? "{}" : throw new FileNotFoundException($"Could not find file '{path}'."));

    [Fact]
    public void DefaultsAreConfined()
    {
        var o = Parse();
        Assert.True(o.NoNewPrivileges);
        Assert.Equal(SeccompMode.Default, o.Seccomp);
        Assert.True(o.MaskSystemPaths);
    }

    [Theory]
    [InlineData("no-new-privileges", true)]
    [InlineData("no-new-privileges=true", true)]
    [InlineData("no-new-privileges:true", true)]
    [InlineData("no-new-privileges=false", false)]
    [InlineData("no-new-privileges=0", false)]
    public void NoNewPrivileges(string opt, bool expected) => Assert.Equal(expected, Parse(opt).NoNewPrivileges);

    [Fact]
    public void SeccompUnconfinedAndProfile()
    {
        Assert.Equal(SeccompMode.Unconfined, Parse("seccomp=unconfined").Seccomp);
        var p = Parse("seccomp=p.json");
        Assert.Equal(SeccompMode.Profile, p.Seccomp);
        Assert.Equal("{}", p.SeccompProfile);
        Assert.Contains("opening seccomp profile (missing.json) failed", Assert.Throws<GockerException>(() => Parse("seccomp=missing.json")).Message);
    }

    [Fact]
    public void AcceptsWhatAlreadyHoldsAndRefusesProfilesAndLabels()
    {
        Parse("apparmor=unconfined", "label=disable", "label:disable");
        Assert.False(Parse("systempaths=unconfined").MaskSystemPaths);
        Assert.Contains("AppArmor is not supported", Assert.Throws<GockerException>(() => Parse("apparmor=docker-default")).Message);
        Assert.Contains("SELinux labels are not supported", Assert.Throws<GockerException>(() => Parse("label=user:USER")).Message);
    }

    [Theory]
    [InlineData("no-new-privileges=maybe")]
    [InlineData("seccomp")]
    [InlineData("systempaths=confined")]
    [InlineData("foo=bar")]
    [InlineData("apparmor")]
    public void UnknownKeysAndValuesAreOneLine(string opt)
    {
        var message = Assert.Throws<GockerException>(() => Parse(opt)).Message;
        Assert.StartsWith($"invalid --security-opt: \"{opt}\"", message);
        Assert.DoesNotContain('\n', message);
    }
}

public class UlimitTests
{
    [Theory]
    [InlineData("nofile=100:200", "nofile", 100L, 200L)]
    [InlineData("nofile=100", "nofile", 100L, 100L)]
    [InlineData("core=-1", "core", -1L, -1L)]
    [InlineData("memlock=1024:-1", "memlock", 1024L, -1L)]
    [InlineData("nproc=0:0", "nproc", 0L, 0L)]
    public void Parses(string value, string name, long soft, long hard)
    {
        var u = Ulimit.Parse(value);
        Assert.Equal((name, soft, hard), (u.Name, u.Soft, u.Hard));
    }

    [Fact]
    public void ResourceNumbers()
    {
        Assert.Equal(7, Ulimit.Parse("nofile=1").Resource);
        Assert.Equal(4, Ulimit.Parse("core=1").Resource);
        Assert.Equal(6, Ulimit.Parse("nproc=1").Resource);
        Assert.Equal(Ulimit.Infinity, Ulimit.Raw(-1));
    }

    [Theory]
    [InlineData("nofiles=1", "invalid ulimit type: nofiles")]
    [InlineData("nofile", "invalid ulimit argument: nofile")]
    [InlineData("nofile=200:100", "soft limit must be less than or equal to hard limit: 200 > 100")]
    [InlineData("nofile=-1:100", "soft limit must be less than or equal to hard limit: -1 > 100")]
    [InlineData("nofile=abc", "invalid ulimit soft value: \"abc\"")]
    [InlineData("nofile=1:x", "invalid ulimit hard value: \"x\"")]
    [InlineData("nofile=-2", "invalid ulimit soft value")]
    [InlineData("nofile=1:2:3", "too many limit value arguments")]
    public void BadValuesAreRefused(string value, string expected)
    {
        var message = Assert.Throws<GockerException>(() => Ulimit.Parse(value)).Message;
        Assert.StartsWith($"invalid argument \"{value}\" for \"--ulimit\" flag", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void TheLastOfANameWins() =>
        Assert.Equal([new Ulimit("nofile", 5, 5), new Ulimit("core", 0, 0)], Ulimit.ParseAll(["nofile=1", "core=0", "nofile=5"]));
}
