using Gocker.Core.Filesystem;
using Gocker.Core.Volumes;

namespace Gocker.Core.Tests.Volumes;

public class MountFlagParserTests
{
    private static MountSpec Parse(string spec, bool exists = true) => MountFlagParser.Parse(spec, "/work", _ => exists);

    [Fact]
    public void Bind()
    {
        var m = Parse("type=bind,source=/h/,target=/c,readonly");
        Assert.Equal((MountType.Bind, "/h", "/c", true, false), (m.Type, m.Source, m.Destination, m.ReadOnly, m.CreateSource));
        Assert.Equal(MountOrigin.Mount, m.Origin);
    }

    [Theory]
    [InlineData("type=bind,src=/h,dst=/c,ro=true", true)]
    [InlineData("type=bind,src=/h,destination=/c,readonly=0", false)]
    [InlineData("TYPE=BIND,Source=/h,Target=/c,RO", true)]
    [InlineData("type=bind,src=/h,dst=/c,bind-propagation=rprivate,consistency=cached", false)]
    public void KeysAndBooleansAsDocker(string spec, bool readOnly) => Assert.Equal(readOnly, Parse(spec).ReadOnly);

    [Fact]
    public void RelativeSourceStartingWithDotSlashIsMadeAbsolute() =>
        Assert.Equal("/work/sub", Parse("type=bind,src=./sub,dst=/c").Source);

    [Fact]
    public void TypeDefaultsToVolume()
    {
        var m = Parse("src=data,dst=/c,volume-nocopy,volume-label=a=b,volume-label=c");
        Assert.Equal((MountType.Volume, "data", true), (m.Type, m.Source, m.NoCopy));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b", ["c"] = "" }, m.VolumeLabels);
    }

    [Fact]
    public void AVolumeWithoutSourceIsAnonymous()
    {
        var m = Parse("type=volume,target=/c");
        Assert.True(m.Anonymous);
        Assert.Null(m.Source);
    }

    [Fact]
    public void Tmpfs()
    {
        var m = Parse("type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1770,ro");
        Assert.Equal(MountType.Tmpfs, m.Type);
        Assert.Equal("mode=1770,size=64m", m.TmpfsData);
        Assert.Equal(TmpfsOptions.Defaults | MountFlags.ReadOnly, m.TmpfsFlags);
    }

    [Theory]
    [InlineData(1L << 30, "1g")]
    [InlineData(3L << 20, "3m")]
    [InlineData(3072, "3k")]
    [InlineData(1000, "1000")]
    public void TmpfsSizeSuffixAsMoby(long size, string text) => Assert.Equal(text, MountFlagParser.SizeWithSuffix(size));

    [Fact]
    public void QuotedCsvFields() => Assert.Equal("/a,b", Parse("type=bind,\"src=/a,b\",dst=/c").Source);

    [Theory]
    [InlineData("type=bind,src=/h", "invalid argument \"type=bind,src=/h\" for \"--mount\" flag: target is required")]
    [InlineData("type=,dst=/c", "invalid argument \"type=,dst=/c\" for \"--mount\" flag: type is required")]
    [InlineData("type=bind,src=/h,dst=/c,bogus", "invalid argument \"type=bind,src=/h,dst=/c,bogus\" for \"--mount\" flag: invalid field 'bogus' must be a key=value pair")]
    [InlineData("type=bind,src=/h,dst=/c,foo=1", "invalid argument \"type=bind,src=/h,dst=/c,foo=1\" for \"--mount\" flag: unexpected key 'foo' in 'foo=1'")]
    [InlineData("type=bind,src=/h,dst=/c,ro=maybe", "invalid argument \"type=bind,src=/h,dst=/c,ro=maybe\" for \"--mount\" flag: invalid value for ro: maybe")]
    [InlineData("type=volume,dst=/c,volume-nocopy=x", "invalid argument \"type=volume,dst=/c,volume-nocopy=x\" for \"--mount\" flag: invalid value for volume-nocopy: x")]
    [InlineData("type=tmpfs,dst=/c,tmpfs-size=lots", "invalid argument \"type=tmpfs,dst=/c,tmpfs-size=lots\" for \"--mount\" flag: invalid value for tmpfs-size: lots")]
    [InlineData("type=tmpfs,dst=/c,tmpfs-mode=999", "invalid argument \"type=tmpfs,dst=/c,tmpfs-mode=999\" for \"--mount\" flag: invalid value for tmpfs-mode: 999")]
    [InlineData("type=bind,src=/h,dst=/c,volume-nocopy", "invalid argument \"type=bind,src=/h,dst=/c,volume-nocopy\" for \"--mount\" flag: cannot mix 'volume-*' options with mount type 'bind'")]
    [InlineData("type=volume,dst=/c,bind-propagation=rprivate", "invalid argument \"type=volume,dst=/c,bind-propagation=rprivate\" for \"--mount\" flag: cannot mix 'bind-*' options with mount type 'volume'")]
    [InlineData("type=bind,src=/h,dst=/c,tmpfs-size=1m", "invalid argument \"type=bind,src=/h,dst=/c,tmpfs-size=1m\" for \"--mount\" flag: cannot mix 'tmpfs-*' options with mount type 'bind'")]
    [InlineData("type=bind,a\"b", "invalid argument \"type=bind,a\"b\" for \"--mount\" flag: parse error on line 1: bare \" in non-quoted-field")]
    [InlineData("type=foo,dst=/c", "invalid mount config for type \"foo\": mount type unknown")]
    [InlineData("type=image,src=busybox,dst=/c", "invalid mount config for type \"image\": mount type image is not supported by gocker")]
    [InlineData("type=bind,dst=/c", "invalid mount config for type \"bind\": field Source must not be empty")]
    [InlineData("type=bind,src=rel,dst=/c", "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("type=bind,src=/h,dst=rel", "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("type=bind,src=/h,dst=/", "invalid mount config for type \"bind\": invalid specification: destination can't be '/'")]
    [InlineData("type=volume,dst=/c,ro", "invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes")]
    [InlineData("type=tmpfs,src=x,dst=/c", "invalid mount config for type \"tmpfs\": field Source must not be specified")]
    [InlineData("type=volume,src=a/b,dst=/c", "create a/b: \"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("type=bind,src=/h,dst=/c,bind-propagation=rshared", "--mount type=bind,src=/h,dst=/c,bind-propagation=rshared: bind-propagation=rshared is not supported by gocker: every mount is rprivate")]
    [InlineData("type=bind,src=/h,dst=/c,bind-nonrecursive", "--mount type=bind,src=/h,dst=/c,bind-nonrecursive: bind-nonrecursive is not supported by gocker: binds are always recursive")]
    [InlineData("type=volume,src=v1,dst=/c,volume-driver=nfs", "--mount type=volume,src=v1,dst=/c,volume-driver=nfs: volume driver nfs is not supported by gocker (only local)")]
    [InlineData("type=volume,src=v1,dst=/c,volume-opt=type=nfs", "--mount type=volume,src=v1,dst=/c,volume-opt=type=nfs: volume-opt is not supported by gocker: volumes are plain directories (the local driver without options)")]
    [InlineData("type=volume,src=v1,dst=/c,volume-subpath=a", "--mount type=volume,src=v1,dst=/c,volume-subpath=a: volume-subpath is not supported by gocker")]
    public void RefusesWithAClearMessage(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<GockerException>(() => Parse(spec)).Message);

    [Fact]
    public void AMissingBindSourceIsRefused() =>
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /nope",
            Assert.Throws<GockerException>(() => Parse("type=bind,src=/nope,dst=/c", exists: false)).Message);
}
