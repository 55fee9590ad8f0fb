using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Containers;

/// <summary>A blocking flock(2) on a lock file, released on dispose or when the process dies (the
/// kernel drops it with the fd), so a crashed gocker never leaves a store locked.</summary>
public sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle _fd;

    private FileLock(SafeFileHandle fd) => _fd = fd;

    public static FileLock Exclusive(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CREAT, 0b110_000_000);
        if (Libc.Retry(() => Libc.Flock(fd, Libc.LOCK_EX)) < 0)
        {
            fd.Dispose();
            Libc.Check(-1, $"lock {path}");
        }
        return new FileLock(fd);
    }

    public void Dispose() => _fd.Dispose();
}
