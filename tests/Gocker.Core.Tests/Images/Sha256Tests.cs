using System.Text;
using Gocker.Core.Images;

namespace Gocker.Core.Tests.Images;

/// <summary>FIPS 180-4 / NIST example vectors, fed whole and in awkward pieces.</summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void MatchesTheStandardVectors(string message, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        Assert.Equal(expected, Convert.ToHexStringLower(Sha256.HashData(bytes)));
        foreach (int piece in new[] { 1, 3, 63, 64, 65 })
        {
            var sha = new Sha256();
            for (int i = 0; i < bytes.Length; i += piece)
                sha.Append(bytes.AsSpan(i, Math.Min(piece, bytes.Length - i)));
            Assert.Equal(expected, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
    }

    [Fact]
    public void AMillionAs()
    {
        var sha = new Sha256();
        var chunk = Enumerable.Repeat((byte)'a', 1000).ToArray();
        for (int i = 0; i < 1000; i++)
            sha.Append(chunk);
        Assert.Equal("sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", sha.GetDigestAndReset());
    }

    [Fact]
    public void IsReusableAfterGettingTheHash()
    {
        var sha = new Sha256();
        sha.Append("abc"u8);
        sha.GetHashAndReset();
        sha.Append("abc"u8);
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha.GetDigestAndReset());
    }

    [Theory]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(119)]
    [InlineData(120)]
    public void PadsAtTheBlockEdges(int length)
    {
        // sha256sum of N 'x' characters (GNU coreutils).
        var bytes = Enumerable.Repeat((byte)'x', length).ToArray();
        Assert.Equal(Expected[length], Convert.ToHexStringLower(Sha256.HashData(bytes)));
    }

    private static readonly Dictionary<int, string> Expected = new()
    {
        [55] = "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072",
        [56] = "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e",
        [63] = "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2",
        [64] = "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c",
        [119] = "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c",
        [120] = "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98",
    };
}
