using System.Text;

namespace Gocker.Core.Tests;

/// <summary>SmallFile.ReadAllText reads what File.ReadAllText reads.</summary>
public class SmallFileTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(100_000)]
    public void ReadsWholeFilesOfAnySize(int size)
    {
        var path = Path.GetTempFileName();
        try
        {
            var text = string.Concat(Enumerable.Range(0, size).Select(i => (char)('a' + i % 26)));
            File.WriteAllText(path, text);
            Assert.Equal(File.ReadAllText(path), SmallFile.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DropsAByteOrderMarkAndDecodesUtf8()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("nameserver ü\n")]);
            Assert.Equal(File.ReadAllText(path), SmallFile.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ReadsProcFilesWhoseSizeIsZero() =>
        Assert.Equal(File.ReadAllText("/proc/self/limits"), SmallFile.ReadAllText("/proc/self/limits"));

    [Theory]
    [InlineData("/nonexistent-gocker-test")]
    [InlineData("/nonexistent-gocker-test/file")]
    [InlineData("/proc")]
    public void ThrowsWhatReadAllTextThrows(string path)
    {
        var expected = Record.Exception(() => File.ReadAllText(path));
        Assert.NotNull(expected);
        Assert.IsType(expected.GetType(), Record.Exception(() => SmallFile.ReadAllText(path)));
    }
}
