using Gocker.Core.Process;
using static Gocker.Core.Process.CommandResolver;

namespace Gocker.Core.Tests;

public class CommandResolverTests
{
    private static Func<string, FileKind> Fs(params (string Path, FileKind Kind)[] files) =>
        p => files.FirstOrDefault(f => f.Path == p) is { Path: not null } f ? f.Kind : FileKind.Missing;

    [Fact]
    public void SearchesPathInOrder()
    {
        var r = Resolve("sh", "/usr/bin:/bin", Fs(("/bin/sh", FileKind.Executable), ("/usr/bin/sh", FileKind.Executable)));
        Assert.Equal("/usr/bin/sh", r.Path);
    }

    [Fact]
    public void SkipsNonExecutablesOnThePath()
    {
        var r = Resolve("sh", "/usr/bin:/bin", Fs(("/usr/bin/sh", FileKind.NotExecutable), ("/bin/sh", FileKind.Executable)));
        Assert.Equal("/bin/sh", r.Path);
    }

    [Fact]
    public void NotFoundIs127()
    {
        var r = Resolve("nosuch", "/bin", Fs());
        Assert.Equal((null, 127), (r.Path, r.ExitCode));
        Assert.Equal("exec: \"nosuch\": executable file not found in $PATH", r.Error);
    }

    [Fact]
    public void ExplicitPathIsNotSearched()
    {
        Assert.Equal("/x/y", Resolve("/x/y", "/bin", Fs(("/x/y", FileKind.Executable))).Path);
        Assert.Equal(127, Resolve("/x/y", "/bin", Fs()).ExitCode);
    }

    [Fact]
    public void ExplicitNonExecutableOrDirectoryIs126()
    {
        Assert.Equal(126, Resolve("/etc/passwd", "/bin", Fs(("/etc/passwd", FileKind.NotExecutable))).ExitCode);
        Assert.Equal(126, Resolve("/etc", "/bin", Fs(("/etc", FileKind.Directory))).ExitCode);
    }

    [Fact]
    public void EmptyCommandIs127() => Assert.Equal(127, Resolve("", "/bin", Fs()).ExitCode);
}
