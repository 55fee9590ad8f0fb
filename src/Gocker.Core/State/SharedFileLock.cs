using Gocker.Core.Interop;
using Microsoft.Win32.SafeHandles;

namespace Gocker.Core.State;

/// <summary>The reader's side of <see cref="Containers.FileLock"/>: a blocking flock(LOCK_SH) on the lock
/// file, so readers run together and never alongside a writer. flock belongs to the open file
/// description, so every acquisition opens the file anew (two threads of one process exclude each other
/// exactly like two processes), and the kernel drops it with the fd when the process dies.</summary>
internal sealed class SharedFileLock : IDisposable
{
    private readonly SafeFileHandle _fd;

    private SharedFileLock(SafeFileHandle fd) => _fd = fd;

    public static SharedFileLock Acquire(string path)
    {
        // O_CREAT on a read path: the file normally exists (writers create it before the store);
        // if it was deleted, locking a fresh one is still correct for every later acquirer.
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CREAT, 0b110_000_000);
        if (Libc.Retry(() => Libc.Flock(fd, Libc.LOCK_SH)) < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            fd.Dispose();
            throw new SyscallException($"lock {path}", errno);
        }
        return new SharedFileLock(fd);
    }

    public void Dispose() => _fd.Dispose();
}
