using Gocker.Core.Volumes;

namespace Gocker.Core.Tests.Volumes;

public class VolumeFlagParserTests
{
    private static MountSpec Parse(string spec) => VolumeFlagParser.Parse(spec, "/work/dir");

    [Theory]
    [InlineData("/host:/ctr", "bind", "/host", "/ctr", false, "")]
    [InlineData("/host/:/ctr/", "bind", "/host", "/ctr", false, "")]
    [InlineData("/host:/ctr:ro", "bind", "/host", "/ctr", true, "ro")]
    [InlineData("/host:/ctr:rw", "bind", "/host", "/ctr", false, "rw")]
    [InlineData("/host:/ctr:ro,Z", "bind", "/host", "/ctr", true, "ro,Z")]
    [InlineData("/host:/ctr:z", "bind", "/host", "/ctr", false, "z")]
    [InlineData("/host:/ctr:rprivate", "bind", "/host", "/ctr", false, "rprivate")]
    [InlineData("/host:/ctr:ro-non-recursive", "bind", "/host", "/ctr", true, "ro-non-recursive")]
    [InlineData("/host:/a/../ctr:cached", "bind", "/host", "/ctr", false, "cached")]
    [InlineData("./data:/ctr", "bind", "/work/dir/data", "/ctr", false, "")]
    [InlineData(".:/ctr", "bind", "/work/dir", "/ctr", false, "")]
    [InlineData("myvol:/ctr", "volume", "myvol", "/ctr", false, "")]
    [InlineData("my.vol_1-x:/ctr:ro,nocopy", "volume", "my.vol_1-x", "/ctr", true, "ro,nocopy")]
    public void Parses(string spec, string type, string source, string destination, bool readOnly, string mode)
    {
        var m = Parse(spec);
        Assert.Equal(type, m.Type);
        Assert.Equal(source, m.Source);
        Assert.Equal(destination, m.Destination);
        Assert.Equal(readOnly, m.ReadOnly);
        Assert.Equal(mode, m.Mode);
        Assert.False(m.Anonymous);
        Assert.True(m.CreateSource);
        Assert.Equal(MountOrigin.Volume, m.Origin);
    }

    [Fact]
    public void APathAloneIsAnAnonymousVolume()
    {
        var m = Parse("/data/");
        Assert.Equal(MountType.Volume, m.Type);
        Assert.True(m.Anonymous);
        Assert.Null(m.Source);
        Assert.Equal("/data", m.Destination);
        Assert.Null(m.Spec);
    }

    [Fact]
    public void KeepsTheSpecForBindsWithRelativeSourcesMadeAbsolute()
    {
        Assert.Equal("/work/dir/x:/ctr:ro", Parse("./x:/ctr:ro").Spec);
        Assert.Equal("vol:/ctr", Parse("vol:/ctr").Spec);
    }

    [Fact]
    public void NocopySkipsTheCopyUp() => Assert.True(Parse("vol:/ctr:nocopy").NoCopy);

    [Theory]
    [InlineData("", "invalid volume specification: ''")]
    [InlineData(":/ctr", "invalid volume specification: ':/ctr'")]
    [InlineData("/ctr:ro", "invalid volume specification: '/ctr:ro'")]
    [InlineData("vol:", "invalid volume specification: 'vol:'")]
    [InlineData("/a:/b:ro:x", "invalid volume specification: '/a:/b:ro:x'")]
    [InlineData("/a:/b:bogus", "invalid mode: bogus")]
    [InlineData("/a:/b:ro,rw", "invalid mode: ro,rw")]
    [InlineData("/a:/b:z,Z", "invalid mode: z,Z")]
    [InlineData("relative", "invalid volume specification: 'relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute")]
    [InlineData("/a:rel", "invalid volume specification: '/a:rel': invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("/a:/", "invalid volume specification: '/a:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'")]
    [InlineData("vol:/x/..", "invalid volume specification: 'vol:/x/..': invalid mount config for type \"volume\": invalid specification: destination can't be '/'")]
    [InlineData("/a:/b:nocopy", "invalid volume specification: '/a:/b:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified")]
    [InlineData("vol:/b:rprivate", "invalid volume specification: 'vol:/b:rprivate': invalid mount config for type \"volume\": field BindOptions must not be specified")]
    [InlineData("/a:/b:rshared", "invalid volume specification: '/a:/b:rshared': propagation mode rshared is not supported by gocker: every mount is rprivate")]
    [InlineData("/a:/b:rro", "invalid volume specification: '/a:/b:rro': recursive read-only mounts (rro) are not supported by gocker; ro makes the mount itself read-only")]
    [InlineData("rel/path:/b", "create rel/path: \"rel/path\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("~/x:/b", "create ~/x: \"~/x\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("v:/b", "create v: volume name is too short, names should be at least two alphanumeric characters")]
    public void RefusesWithDockersMessage(string spec, string message)
    {
        var e = Assert.Throws<GockerException>(() => Parse(spec));
        Assert.Equal(message, e.Message);
        Assert.Equal(ExitCodes.GockerError, e.ExitCode);
    }
}
