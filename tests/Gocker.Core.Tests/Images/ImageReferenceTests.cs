using Gocker.Core.Images;

namespace Gocker.Core.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("busybox:1.35", "busybox", "1.35")]
    [InlineData("library/busybox:latest", "library/busybox", "latest")]
    [InlineData("docker.io/library/busybox:1", "busybox", "1")]
    [InlineData("docker.io/me/app", "me/app", "latest")]
    [InlineData("localhost:5000/app:v1.2-rc_3", "localhost:5000/app", "v1.2-rc_3")]
    [InlineData("quay.io/a.b/c__d---e:x", "quay.io/a.b/c__d---e", "x")]
    [InlineData("3f57d9401f8d", "3f57d9401f8d", "latest")]
    public void Parses(string reference, string name, string tag) =>
        Assert.Equal(new ImageReference(name, tag), ImageReference.Parse(reference));

    [Theory]
    [InlineData("../etc")]
    [InlineData("Busybox")]
    [InlineData("a//b")]
    [InlineData("busybox:")]
    [InlineData("/abs")]
    [InlineData("a_-b")]
    [InlineData("-a")]
    [InlineData("busybox:-x")]
    [InlineData("busybox@sha256:abcd")]
    [InlineData("localhost:x/app")]
    public void RefusesWhatIsNotAName(string reference) =>
        Assert.Throws<GockerException>(() => ImageReference.Parse(reference));

    [Fact]
    public void SaysWhenANameMustBeLowercase() =>
        Assert.Contains("must be lowercase", Assert.Throws<GockerException>(() => ImageReference.Parse("Busybox")).Message);

    [Theory]
    [InlineData("sha256:abc", true, "abc")]
    [InlineData("0123456789abcdef", true, "0123456789abcdef")]
    [InlineData("busybox", false, "busybox")]
    public void TellsIdsFromNames(string s, bool isId, string hex)
    {
        Assert.Equal(isId, ImageReference.LooksLikeId(s, out var h));
        Assert.Equal(hex, h);
    }
}
