using Gocker.Core.Security;

namespace Gocker.Core.Tests.Security;

public class CapabilitiesTests
{
    private static readonly ulong HeldAll = Capabilities.All;
    private static ulong Bit(string name) => 1UL << Capabilities.Number(name);

    [Fact]
    public void DockerDefaultIsA80425fb() => Assert.Equal(0xa80425fbUL, Capabilities.DockerDefault);

    [Theory]
    [InlineData("net_admin", "CAP_NET_ADMIN")]
    [InlineData("NET_ADMIN", "CAP_NET_ADMIN")]
    [InlineData("cap_net_admin", "CAP_NET_ADMIN")]
    [InlineData("Cap_Sys_Admin", "CAP_SYS_ADMIN")]
    [InlineData("all", "ALL")]
    public void NamesWithOrWithoutPrefixInAnyCase(string given, string canonical) =>
        Assert.Equal(canonical, Capabilities.Normalize(given));

    [Fact]
    public void UnknownNameIsOneLineNamingIt() =>
        Assert.Equal("unknown capability: \"CAP_NET_ADMINN\"",
            Assert.Throws<GockerException>(() => Capabilities.Normalize("net_adminn")).Message);

    [Fact]
    public void AddAndDropOnTheDefault()
    {
        var caps = Capabilities.Resolve(["NET_ADMIN"], ["chown", "CAP_KILL"], HeldAll);
        Assert.Equal((Capabilities.DockerDefault | Bit("CAP_NET_ADMIN")) & ~Bit("CAP_CHOWN") & ~Bit("CAP_KILL"), caps);
    }

    [Fact]
    public void DropAllKeepsOnlyTheAdded() =>
        Assert.Equal(Bit("CAP_NET_BIND_SERVICE"), Capabilities.Resolve(["NET_BIND_SERVICE"], ["ALL"], HeldAll));

    [Fact]
    public void AddAllGivesEverythingHeldButTheDropped()
    {
        ulong held = Capabilities.All & ~Bit("CAP_SYS_RESOURCE");
        Assert.Equal(held & ~Bit("CAP_SYS_ADMIN"), Capabilities.Resolve(["all"], ["SYS_ADMIN"], held));
    }

    [Fact]
    public void NamingACapabilityGockerLacksIsAnError()
    {
        ulong held = Capabilities.All & ~Bit("CAP_SYS_RESOURCE");
        var e = Assert.Throws<GockerException>(() => Capabilities.Resolve(["SYS_RESOURCE"], [], held));
        Assert.Contains("CAP_SYS_RESOURCE", e.Message);
    }
}
