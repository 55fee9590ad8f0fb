using Gocker.Core.Security.Seccomp;

namespace Gocker.Core.Tests.Security;

public sealed class SeccompCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gocker-seccomp-cache-").FullName;
    private int _compiles;

    private byte[] Compile()
    {
        _compiles++;
        return [6, 0, 0, 0, 0, 0, 0xff, 0x7f]; // ret ALLOW
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheSecondAskReadsTheFile()
    {
        var cache = new SeccompCache(_dir, "1:2:3:4.5", "6.1.0");
        var first = cache.DefaultProgram(0xa80425fb, Compile);
        var second = new SeccompCache(_dir, "1:2:3:4.5", "6.1.0").DefaultProgram(0xa80425fb, Compile);
        Assert.Equal(first, second);
        Assert.Equal(1, _compiles);
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("1:2:3:4.6", "6.1.0", 0xa80425fbUL)]   // the binary was replaced (mtime)
    [InlineData("1:9:3:4.5", "6.1.0", 0xa80425fbUL)]   // another binary
    [InlineData("1:2:3:4.5", "6.2.0", 0xa80425fbUL)]   // another kernel
    [InlineData("1:2:3:4.5", "6.1.0", 0xa80435fbUL)]   // other capabilities
    public void AnythingTheProgramDependsOnIsInTheKey(string identity, string kernel, ulong caps)
    {
        new SeccompCache(_dir, "1:2:3:4.5", "6.1.0").DefaultProgram(0xa80425fb, Compile);
        new SeccompCache(_dir, identity, kernel).DefaultProgram(caps, Compile);
        Assert.Equal(2, _compiles);
    }

    [Fact]
    public void ATornOrEmptyFileIsCompiledAgain()
    {
        var cache = new SeccompCache(_dir, "1:2:3:4.5", "6.1.0");
        cache.DefaultProgram(1, Compile);
        File.WriteAllBytes(Directory.GetFiles(_dir).Single(), [1, 2, 3]);
        Assert.Equal(8, cache.DefaultProgram(1, Compile).Length);
        Assert.Equal(2, _compiles);
    }

    [Fact]
    public void AnUnwritableCacheStillGivesTheProgram()
    {
        var file = Path.Combine(_dir, "not-a-dir");
        File.WriteAllText(file, "");
        var program = new SeccompCache(file, "1:2:3:4.5", "6.1.0").DefaultProgram(1, Compile);
        Assert.Equal(8, program.Length);
    }
}
