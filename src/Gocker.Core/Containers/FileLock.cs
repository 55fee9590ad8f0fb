using System.Runtime.InteropServices;
using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.Containers;

/// <summary>A blocking flock(2) on a lock file, released on dispose or when the process dies (the
/// kernel drops it with the fd), so a crashed gocker never leaves a store locked. flock belongs to
/// the open file description, so every acquisition opens the file anew: two threads of one process
/// exclude each other exactly as two processes do.</summary>
public sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle _fd;

    private FileLock(SafeFileHandle fd) => _fd = fd;

    /// <summary>Writers: alone.</summary>
    public static FileLock Exclusive(string path) => Acquire(path, Libc.O_RDWR, Libc.LOCK_EX);

    /// <summary>Readers: together, never alongside a writer.</summary>
    public static FileLock Shared(string path) => Acquire(path, Libc.O_RDONLY, Libc.LOCK_SH);

    /// <summary>Exclusive without waiting: null when someone else holds the lock (a live writer).</summary>
    public static FileLock? TryExclusive(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CREAT, 0b110_000_000);
        if (Libc.Retry(() => Libc.Flock(fd, Libc.LOCK_EX | Libc.LOCK_NB)) == 0)
            return new FileLock(fd);
        int errno = Marshal.GetLastPInvokeError();
        fd.Dispose();
        return errno == Errno.EAGAIN ? null : throw new SyscallException($"lock {path}", errno);
    }

    private static FileLock Acquire(string path, int access, int operation)
    {
        // O_CREAT on the read path too: if the file was deleted, locking a fresh one is still correct
        // for every later acquirer.
        var fd = Libc.Open(path, access | Libc.O_CREAT, 0b110_000_000);
        if (Libc.Retry(() => Libc.Flock(fd, operation)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw new SyscallException($"lock {path}", errno);
        }
        return new FileLock(fd);
    }

    public void Dispose() => _fd.Dispose();
}
